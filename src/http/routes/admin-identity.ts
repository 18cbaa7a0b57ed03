/**
 * The identity admin API, for administrators: an API key or access token of a user with `admin: true`,
 * or `Authorization: Bearer <ADMIN_TOKEN>` (the operator token the quota admin API takes too; it is
 * how a first administrator can be created over HTTP). Anonymous → 401, others → 403. JSON in, JSON
 * out; secrets appear once, in the answer that creates them, and never in a listing.
 *
 *   GET    /admin/identity/users                     list users
 *   POST   /admin/identity/users                     create or replace {username, password?, groups?, attributes?, admin?}
 *   GET    /admin/identity/users/<username>
 *   PATCH  /admin/identity/users/<username>          {password?, groups?, attributes?, admin?}
 *   DELETE /admin/identity/users/<username>          (and its API keys)
 *   GET    /admin/identity/groups                    POST {name, attributes?}   DELETE /groups/<name>
 *   GET    /admin/identity/apikeys[?username=]       list (key id, user, label, date; never the key)
 *   POST   /admin/identity/apikeys                   {username, label?} → 201 {key, key_id, ...} (key shown once)
 *   DELETE /admin/identity/apikeys/<key_id>          revoke
 *   GET    /admin/identity/clients                   POST {name, type, redirect_uris} → 201 {client_id, client_secret?}
 *   DELETE /admin/identity/clients/<client_id>
 *   GET    /admin/identity/access-rules[?dataset=]   list record filters and hidden fields
 *   PUT    /admin/identity/access-rules              {dataset, subject: "user:x"|"group:y"|"anonymous", record_filter?, hidden_fields?}
 *   DELETE /admin/identity/access-rules/<dataset>/<subject>
 */
import { Router, type Request, type Response } from 'express';
import { IdentityNotFoundError, type Identity } from '../../auth/identity';
import { accessRuleJson, apiKeyJson, clientJson, groupJson, userJson } from '../../auth/identity-json';
import { GatewayError } from '../../errors';
import { requireAdmin } from '../admin-guard';

export const ADMIN_PREFIX = '/admin/identity';

function jsonBody(req: Request): Record<string, unknown> {
  const b = req.body as unknown;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new GatewayError('bad_parameter', 'Send a JSON object (Content-Type: application/json)');
  return b as Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function adminIdentityRoutes(identity: Identity, options: { adminToken?: string | undefined } = {}): Router {
  const router = Router();
  type Handler = (req: Request, res: Response) => Promise<unknown>;
  const route = (h: Handler) => async (req: Request, res: Response) => {
    requireAdmin(req, options.adminToken);
    res.setHeader('Cache-Control', 'no-store');
    // Identity errors are GatewayErrors already (400 for invalid input, 404 for unknown names).
    const out = await h(req, res);
    if (!res.headersSent) {
      if (out === undefined) res.status(204).end();
      else res.json(out);
    }
  };
  const P = ADMIN_PREFIX;

  router.get(`${P}/users`, route(async () => ({ users: (await identity.listUsers()).map(userJson) })));
  router.post(
    `${P}/users`,
    route(async (req, res) => {
      const u = await identity.putUser(jsonBody(req) as never);
      res.status(201);
      return userJson(u);
    }),
  );
  router.get(
    `${P}/users/:username`,
    route(async (req) => {
      const u = await identity.getUser(String(req.params.username));
      if (!u) throw new IdentityNotFoundError(`Unknown user: ${String(req.params.username).slice(0, 100)}`);
      return userJson(u);
    }),
  );
  router.patch(`${P}/users/:username`, route(async (req) => userJson(await identity.patchUser(String(req.params.username), jsonBody(req)))));
  router.delete(`${P}/users/:username`, route(async (req) => identity.deleteUser(String(req.params.username))));

  router.get(`${P}/groups`, route(async () => ({ groups: (await identity.listGroups()).map(groupJson) })));
  router.post(
    `${P}/groups`,
    route(async (req, res) => {
      const g = await identity.putGroup(jsonBody(req) as never);
      res.status(201);
      return groupJson(g);
    }),
  );
  router.delete(`${P}/groups/:name`, route(async (req) => identity.deleteGroup(String(req.params.name))));

  router.get(
    `${P}/apikeys`,
    route(async (req) => ({ apikeys: (await identity.listApiKeys(str(req.query.username))).map(apiKeyJson) })),
  );
  router.post(
    `${P}/apikeys`,
    route(async (req, res) => {
      const b = jsonBody(req);
      const created = await identity.createApiKey({ username: String(b.username ?? ''), ...(str(b.label) ? { label: str(b.label)! } : {}) });
      res.status(201);
      return { key: created.key, ...apiKeyJson(created.record) };
    }),
  );
  router.delete(`${P}/apikeys/:keyId`, route(async (req) => void (await identity.revokeApiKey(String(req.params.keyId)))));

  router.get(`${P}/clients`, route(async () => ({ clients: (await identity.listClients()).map(clientJson) })));
  router.post(
    `${P}/clients`,
    route(async (req, res) => {
      const b = jsonBody(req);
      // v1 registers one redirection URL: accept `redirect_uri` as well as a list.
      const input = { ...b, redirect_uris: b.redirect_uris ?? (b.redirect_uri !== undefined ? [b.redirect_uri] : undefined) };
      const reg = await identity.registerClient(input as never);
      res.status(201);
      return { ...clientJson(reg.client), ...(reg.clientSecret !== undefined ? { client_secret: reg.clientSecret } : {}) };
    }),
  );
  router.delete(`${P}/clients/:clientId`, route(async (req) => identity.deleteClient(String(req.params.clientId))));

  router.get(
    `${P}/access-rules`,
    route(async (req) => ({ access_rules: (await identity.listAccessRules(str(req.query.dataset))).map(accessRuleJson) })),
  );
  router.put(`${P}/access-rules`, route(async (req) => accessRuleJson(await identity.putAccessRule(jsonBody(req) as never))));
  router.delete(
    `${P}/access-rules/:dataset/:subject`,
    route(async (req) => identity.deleteAccessRule(String(req.params.dataset), String(req.params.subject))),
  );

  return router;
}
