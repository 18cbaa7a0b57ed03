#!/usr/bin/env node
/**
 * `users`: users, groups and per-dataset access rules in the security index (OPENSEARCH_URL,
 * INDEX_PREFIX... from the environment, as for the gateway). Passwords come on stdin.
 *
 *   echo "$PASSWORD" | node dist/src/cli/users.js add alice --password-stdin --group staff --attr city=Paris
 *   node dist/src/cli/users.js set alice --admin | --no-admin | --groups staff,north | --attr city=Lyon
 *   node dist/src/cli/users.js list | show alice | delete alice
 *   node dist/src/cli/users.js add-group staff --attr department=all | groups | delete-group staff
 *   node dist/src/cli/users.js set-rule movies group:staff --filter '#attr(country, country)' --hide budget,gross
 *   node dist/src/cli/users.js rules [--dataset movies] | delete-rule movies group:staff
 *   echo "$PASSWORD" | node dist/src/cli/users.js hash-password     (a password_hash for the bootstrap file)
 *
 * Exit codes: 0 done, 1 failure or unknown name, 2 bad usage or input.
 */
import { collectAttribute, collectList, runAsMain, runIdentityCli, type IdentityCliIo } from './identity-cli';
import { IdentityInputError, IdentityNotFoundError } from '../auth/identity';
import { accessRuleJson, groupJson, userJson } from '../auth/identity-json';
import type { UserRecord } from '../auth/identity-store';
import { subjectKey } from '../auth/identity-store';
import { hashPassword } from '../auth/secrets';
import { passwordSchema } from '../auth/schemas';

interface UserOptions {
  passwordStdin?: boolean;
  group?: string[];
  groups?: string[];
  attr?: Record<string, string | string[]>;
  admin?: boolean;
}

export function runUsersCli(args: string[], io: IdentityCliIo): Promise<number> {
  return runIdentityCli('users', 'Users, groups and dataset access rules of the gateway', args, io, (program, ctx) => {
    const userText = (u: UserRecord) =>
      `${u.username}${u.admin ? '  (admin)' : ''}  groups: ${u.groups.join(',') || '-'}  attributes: ${JSON.stringify(u.attributes)}${u.passwordHash !== undefined ? '' : '  (no password)'}`;

    program
      .command('add')
      .description('create or replace a user')
      .argument('<username>')
      .option('--password-stdin', 'read the password from standard input (first line)')
      .option('--group <name>', 'a group (repeatable, or comma-separated)', collectList)
      .option('--attr <name=value>', 'an attribute for #attr (repeatable)', collectAttribute)
      .option('--admin', 'administrator (admin API)')
      .action(async (username: string, o: UserOptions) => {
        const password = o.passwordStdin ? await ctx.passwordFromStdin() : undefined;
        const u = await (await ctx.identity()).putUser({
          username,
          groups: o.group ?? [],
          attributes: o.attr ?? {},
          admin: o.admin ?? false,
          ...(password !== undefined ? { password } : {}),
        });
        ctx.print(userJson(u), `saved ${userText(u)}`);
      });

    program
      .command('set')
      .description('change some of a user\'s properties')
      .argument('<username>')
      .option('--password-stdin', 'read a new password from standard input (first line)')
      .option('--groups <names>', 'replace the groups (comma-separated; "" for none)', collectList)
      .option('--attr <name=value>', 'replace the attributes (repeatable)', collectAttribute)
      .option('--admin', 'make administrator')
      .option('--no-admin', 'remove administrator')
      .action(async (username: string, o: UserOptions) => {
        const patch = {
          ...(o.passwordStdin ? { password: await ctx.passwordFromStdin() } : {}),
          ...(o.groups !== undefined ? { groups: o.groups } : {}),
          ...(o.attr !== undefined ? { attributes: o.attr } : {}),
          ...(o.admin !== undefined ? { admin: o.admin } : {}),
        };
        const u = await (await ctx.identity()).patchUser(username, patch);
        ctx.print(userJson(u), `saved ${userText(u)}`);
      });

    program
      .command('list')
      .description('every user')
      .action(async () => {
        const users = await (await ctx.identity()).listUsers();
        ctx.print({ users: users.map(userJson) }, users.length ? users.map(userText).join('\n') : '(no users)');
      });

    program
      .command('show')
      .argument('<username>')
      .action(async (username: string) => {
        const u = await (await ctx.identity()).getUser(username);
        if (!u) throw new IdentityNotFoundError(`Unknown user: ${username}`);
        ctx.print(userJson(u), userText(u));
      });

    program
      .command('delete')
      .description('delete a user and its API keys')
      .argument('<username>')
      .action(async (username: string) => {
        await (await ctx.identity()).deleteUser(username);
        ctx.print({ deleted: username }, `deleted ${username} and its API keys`);
      });

    program
      .command('add-group')
      .description('create or replace a group and its attributes')
      .argument('<name>')
      .option('--attr <name=value>', 'an attribute for #attr (repeatable)', collectAttribute)
      .action(async (name: string, o: UserOptions) => {
        const g = await (await ctx.identity()).putGroup({ name, attributes: o.attr ?? {} });
        ctx.print(groupJson(g), `saved group ${g.name}  attributes: ${JSON.stringify(g.attributes)}`);
      });

    program
      .command('groups')
      .description('every group')
      .action(async () => {
        const groups = await (await ctx.identity()).listGroups();
        ctx.print({ groups: groups.map(groupJson) }, groups.length ? groups.map((g) => `${g.name}  attributes: ${JSON.stringify(g.attributes)}`).join('\n') : '(no groups)');
      });

    program
      .command('delete-group')
      .argument('<name>')
      .action(async (name: string) => {
        await (await ctx.identity()).deleteGroup(name);
        ctx.print({ deleted: name }, `deleted group ${name}`);
      });

    program
      .command('set-rule')
      .description('set the record filter and hidden fields of a dataset for user:<name>, group:<name> or anonymous')
      .argument('<dataset>')
      .argument('<subject>', 'user:<name>, group:<name> or anonymous')
      .option('--filter <q>', 'a q expression the subject\'s records must match (#attr allowed)')
      .option('--hide <fields>', 'fields hidden from the subject (comma-separated, repeatable)', collectList)
      .action(async (dataset: string, subject: string, o: { filter?: string; hide?: string[] }) => {
        const r = await (await ctx.identity()).putAccessRule({
          dataset,
          subject,
          ...(o.filter !== undefined ? { record_filter: o.filter } : {}),
          hidden_fields: o.hide ?? [],
        });
        ctx.print(accessRuleJson(r), `saved rule ${r.dataset} ${subjectKey(r.subject)}  filter: ${r.recordFilter ?? '-'}  hidden: ${r.hiddenFields.join(',') || '-'}`);
      });

    program
      .command('rules')
      .description('access rules, of every dataset or one')
      .option('--dataset <id>')
      .action(async (o: { dataset?: string }) => {
        const rules = await (await ctx.identity()).listAccessRules(o.dataset);
        ctx.print(
          { access_rules: rules.map(accessRuleJson) },
          rules.length
            ? rules.map((r) => `${r.dataset}  ${subjectKey(r.subject)}  filter: ${r.recordFilter ?? '-'}  hidden: ${r.hiddenFields.join(',') || '-'}`).join('\n')
            : '(no rules)',
        );
      });

    program
      .command('delete-rule')
      .argument('<dataset>')
      .argument('<subject>')
      .action(async (dataset: string, subject: string) => {
        await (await ctx.identity()).deleteAccessRule(dataset, subject);
        ctx.print({ deleted: { dataset, subject } }, `deleted rule ${dataset} ${subject}`);
      });

    program
      .command('hash-password')
      .description('print the scrypt hash of the password on stdin (password_hash in the bootstrap file); needs no OpenSearch')
      .action(async () => {
        const password = await ctx.passwordFromStdin();
        const r = passwordSchema.safeParse(password);
        if (!r.success) throw new IdentityInputError(r.error.issues[0]?.message ?? 'invalid password');
        const hash = await hashPassword(password);
        ctx.print({ password_hash: hash }, hash);
      });
  });
}

if (require.main === module) runAsMain(runUsersCli, 'users');
