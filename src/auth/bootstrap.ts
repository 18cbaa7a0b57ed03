/**
 * The bootstrap file (`BOOTSTRAP_FILE`; example in ops/bootstrap.example.json): groups, users, API
 * keys, OAuth2 clients and access rules applied at start, idempotently, so a docker-compose
 * deployment comes up with its accounts. Keys and client secrets are given in clear in the file (it
 * is the operator's secret; mount it read-only) and stored hashed like any other; passwords may be
 * given in clear or as a `password_hash` (scrypt$..., from `users hash-password`).
 *
 * Applying it twice changes nothing: existing users keep their password hash when the password still
 * matches, a known key or client secret is not re-stored, rules are overwritten with the same content.
 * It never deletes what is absent from the file (the admin API and CLIs manage the rest).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Identity } from './identity';
import { accessRuleInputSchema, clientInputSchema, describeIssues, givenApiKeySchema, groupInputSchema, userInputSchema } from './schemas';
import { matchesSha256, verifyPassword } from './secrets';

export const bootstrapSchema = z.object({
  groups: z.array(groupInputSchema).default([]),
  users: z
    .array(
      userInputSchema.extend({
        password_hash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'expected a scrypt$N$r$p$salt$hash string').optional(),
      }),
    )
    .default([]),
  api_keys: z.array(z.object({ username: z.string(), key: givenApiKeySchema, label: z.string().max(200).optional() })).default([]),
  clients: z
    .array(
      clientInputSchema.extend({
        client_id: z.string().regex(/^[A-Za-z0-9._~-]{8,128}$/, 'client_id has 8 to 128 characters [A-Za-z0-9._~-]'),
        client_secret: givenApiKeySchema.optional(),
      }),
    )
    .default([]),
  access_rules: z.array(accessRuleInputSchema).default([]),
});
export type BootstrapFile = z.output<typeof bootstrapSchema>;

export class BootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BootstrapError';
  }
}

/** Reads and validates the file; a BootstrapError names every problem (never a secret). */
export async function readBootstrapFile(path: string): Promise<BootstrapFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new BootstrapError(`Cannot read the bootstrap file ${path}: ${(e as Error).message}`);
  }
  const r = bootstrapSchema.safeParse(raw);
  if (!r.success) throw new BootstrapError(`Invalid bootstrap file ${path}: ${describeIssues(r.error)}`);
  for (const c of r.data.clients) {
    if (c.type === 'confidential' && c.client_secret === undefined) {
      throw new BootstrapError(`Invalid bootstrap file ${path}: client ${c.client_id} is confidential and needs a client_secret`);
    }
    if (c.type === 'public' && c.client_secret !== undefined) {
      throw new BootstrapError(`Invalid bootstrap file ${path}: client ${c.client_id} is public and cannot have a client_secret`);
    }
  }
  return r.data;
}

export interface BootstrapSummary {
  groups: number;
  users: number;
  apiKeys: { created: number; unchanged: number };
  clients: { created: number; updated: number; unchanged: number };
  accessRules: number;
}

export async function applyBootstrap(identity: Identity, file: BootstrapFile): Promise<BootstrapSummary> {
  const summary: BootstrapSummary = {
    groups: 0,
    users: 0,
    apiKeys: { created: 0, unchanged: 0 },
    clients: { created: 0, updated: 0, unchanged: 0 },
    accessRules: 0,
  };
  for (const g of file.groups) {
    await identity.putGroup(g);
    summary.groups++;
  }
  for (const { password, password_hash, ...u } of file.users) {
    const existing = await identity.getUser(u.username);
    // Keep a stored hash that still matches: re-hashing on every start would be slow and pointless.
    const keep = password !== undefined && existing?.passwordHash !== undefined && (await verifyPassword(password, existing.passwordHash));
    await identity.putUser({
      ...u,
      ...(keep ? { passwordHash: existing.passwordHash } : password !== undefined ? { password } : {}),
      ...(password === undefined && password_hash !== undefined ? { passwordHash: password_hash } : {}),
    });
    summary.users++;
  }
  for (const k of file.api_keys) {
    const existing = await identity.findApiKey(k.key);
    if (existing && existing.username === k.username && existing.label === k.label) {
      summary.apiKeys.unchanged++;
      continue;
    }
    if (existing) await identity.revokeApiKey(existing.keyId);
    await identity.createApiKey({ username: k.username, ...(k.label !== undefined ? { label: k.label } : {}) }, k.key);
    summary.apiKeys.created++;
  }
  for (const { client_id, client_secret, ...c } of file.clients) {
    const existing = await identity.getClient(client_id);
    const same =
      existing !== undefined &&
      existing.name === c.name &&
      existing.type === c.type &&
      JSON.stringify(existing.redirectUris) === JSON.stringify([...new Set(c.redirect_uris)]) &&
      (client_secret === undefined ? existing.secretHash === undefined : existing.secretHash !== undefined && matchesSha256(client_secret, existing.secretHash));
    if (same) {
      summary.clients.unchanged++;
      continue;
    }
    await identity.registerClient(c, { clientId: client_id, ...(client_secret !== undefined ? { clientSecret: client_secret } : {}) });
    if (existing) summary.clients.updated++;
    else summary.clients.created++;
  }
  for (const r of file.access_rules) {
    await identity.putAccessRule(r);
    summary.accessRules++;
  }
  return summary;
}
