#!/usr/bin/env node
/**
 * `keys`: API keys of users (stored as sha256; the key is printed once, when made).
 *
 *   node dist/src/cli/keys.js create alice [--label dashboard]     → prints the key (once)
 *   node dist/src/cli/keys.js list [--user alice]                  → key ids, users, labels, dates
 *   node dist/src/cli/keys.js revoke <key_id>
 *
 * Exit codes: 0 done, 1 failure or unknown name, 2 bad usage or input.
 */
import { runAsMain, runIdentityCli, type IdentityCliIo } from './identity-cli';
import { apiKeyJson } from '../auth/identity-json';

export function runKeysCli(args: string[], io: IdentityCliIo): Promise<number> {
  return runIdentityCli('keys', 'API keys of the gateway users', args, io, (program, ctx) => {
    program
      .command('create')
      .description('make an API key for a user; the key is shown only now')
      .argument('<username>')
      .option('--label <text>', 'what the key is for')
      .action(async (username: string, o: { label?: string }) => {
        const created = await (await ctx.identity()).createApiKey({ username, ...(o.label !== undefined ? { label: o.label } : {}) });
        const k = created.record;
        ctx.print(
          { key: created.key, ...apiKeyJson(k) },
          `${created.key}\n(key id ${k.keyId} for ${k.username}; store the key now: it is not shown again)`,
        );
      });

    program
      .command('list')
      .description('key ids, users, labels and dates (never the keys)')
      .option('--user <username>')
      .action(async (o: { user?: string }) => {
        const keys = await (await ctx.identity()).listApiKeys(o.user);
        ctx.print(
          { apikeys: keys.map(apiKeyJson) },
          keys.length ? keys.map((k) => `${k.keyId}  ${k.username}  ${k.createdAt}  ${k.label ?? ''}`.trimEnd()).join('\n') : '(no keys)',
        );
      });

    program
      .command('revoke')
      .description('revoke a key by its id (every gateway refuses it within IDENTITY_CACHE_TTL_MS)')
      .argument('<key_id>')
      .action(async (keyId: string) => {
        const k = await (await ctx.identity()).revokeApiKey(keyId);
        ctx.print({ revoked: k.keyId, username: k.username }, `revoked ${k.keyId} of ${k.username}`);
      });
  });
}

if (require.main === module) runAsMain(runKeysCli, 'keys');
