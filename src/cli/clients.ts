#!/usr/bin/env node
/**
 * `clients`: OAuth2 client registrations (v1 "My applications": name, type, redirection URL).
 *
 *   node dist/src/cli/clients.js register --name "My app" --type confidential --redirect-uri https://app.example/cb
 *       → prints client_id and client_secret (the secret once; public clients have none)
 *   node dist/src/cli/clients.js list
 *   node dist/src/cli/clients.js delete <client_id>
 *
 * Exit codes: 0 done, 1 failure or unknown name, 2 bad usage or input.
 */
import { Option } from 'commander';
import { collectList, runAsMain, runIdentityCli, type IdentityCliIo } from './identity-cli';
import { clientJson } from '../auth/identity-json';
import { CLIENT_TYPES } from '../auth/identity-store';

export function runClientsCli(args: string[], io: IdentityCliIo): Promise<number> {
  return runIdentityCli('clients', 'OAuth2 clients of the gateway', args, io, (program, ctx) => {
    program
      .command('register')
      .description('register a client; prints its id and (confidential) secret, shown only now')
      .requiredOption('--name <name>')
      .addOption(new Option('--type <type>').choices([...CLIENT_TYPES]).default('confidential'))
      .requiredOption('--redirect-uri <uri>', 'a redirect URI, compared byte for byte (repeatable)', collectList)
      .action(async (o: { name: string; type: 'confidential' | 'public'; redirectUri: string[] }) => {
        const reg = await (await ctx.identity()).registerClient({ name: o.name, type: o.type, redirect_uris: o.redirectUri });
        const c = reg.client;
        ctx.print(
          { ...clientJson(c), ...(reg.clientSecret !== undefined ? { client_secret: reg.clientSecret } : {}) },
          [
            `client_id      ${c.clientId}`,
            ...(reg.clientSecret !== undefined ? [`client_secret  ${reg.clientSecret}`, '(store the secret now: it is not shown again)'] : ['(public client: no secret; it must use PKCE)']),
          ].join('\n'),
        );
      });

    program
      .command('list')
      .action(async () => {
        const clients = await (await ctx.identity()).listClients();
        ctx.print(
          { clients: clients.map(clientJson) },
          clients.length ? clients.map((c) => `${c.clientId}  ${c.type.padEnd(12)}  ${c.name}  ${c.redirectUris.join(' ')}`).join('\n') : '(no clients)',
        );
      });

    program
      .command('delete')
      .argument('<client_id>')
      .action(async (clientId: string) => {
        await (await ctx.identity()).deleteClient(clientId);
        ctx.print({ deleted: clientId }, `deleted client ${clientId}`);
      });
  });
}

if (require.main === module) runAsMain(runClientsCli, 'clients');
