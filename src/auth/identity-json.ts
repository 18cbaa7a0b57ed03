/**
 * The JSON shapes of identity objects, shared by the admin API and the CLIs' `--json` output:
 * snake_case like the rest of the v1 API, and never a hash or a secret (those appear once, added by
 * the answer that creates them).
 */
import type { AccessRule, ApiKeyRecord, GroupRecord, OAuthClientRecord, UserRecord } from './identity-store';
import { subjectKey } from './identity-store';

export const userJson = (u: UserRecord) => ({
  username: u.username,
  groups: u.groups,
  attributes: u.attributes,
  admin: u.admin,
  has_password: u.passwordHash !== undefined,
  created_at: u.createdAt,
});

export const groupJson = (g: GroupRecord) => ({ name: g.name, attributes: g.attributes, created_at: g.createdAt });

export const apiKeyJson = (k: ApiKeyRecord) => ({
  key_id: k.keyId,
  username: k.username,
  ...(k.label !== undefined ? { label: k.label } : {}),
  created_at: k.createdAt,
});

export const clientJson = (c: OAuthClientRecord) => ({
  client_id: c.clientId,
  name: c.name,
  type: c.type,
  redirect_uris: c.redirectUris,
  created_at: c.createdAt,
});

export const accessRuleJson = (r: AccessRule) => ({
  dataset: r.dataset,
  subject: subjectKey(r.subject),
  ...(r.recordFilter !== undefined ? { record_filter: r.recordFilter } : {}),
  hidden_fields: r.hiddenFields,
  updated_at: r.updatedAt,
});
