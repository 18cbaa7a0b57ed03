/**
 * Real-time push (docs/v1-api.md, Push) and its admin API. docs/push-and-multimedia.md has the whole story.
 *
 *   POST /api/push/1.0/<dataset>/<resource>/push/?pushkey=<key>              body: a record or an array
 *   POST /api/push/1.0/<dataset>/<resource>/delete/?pushkey=<key>            body: the same records
 *   GET  /api/push/1.0/<dataset>/<resource>/<record_id>/delete/?pushkey=<key>  (POST too)
 *   → 200 {"status": "OK"}
 *
 * A push key (per dataset resource) is the push's permission: no API key is needed (v1), and the
 * dataset's visibility does not apply to writing. The call still counts against the caller's daily
 * quota (anonymous by IP, or the user of an API key sent with it): the routes sit after enforceQuota.
 *
 * Admin (ADMIN_TOKEN bearer or an administrator principal; not counted in quotas):
 *   GET    /admin/push/keys[?dataset=]          list (key id, dataset, resource, label, date; never the key)
 *   POST   /admin/push/keys                     {dataset, resource, label?} → 201 {key, key_id, ...} (key shown once)
 *   DELETE /admin/push/keys/<key_id>            revoke → 204
 *   GET    /admin/push/datasets/<dataset>       {dataset, push_enabled}
 *   PUT    /admin/push/datasets/<dataset>       {push_enabled: true|false}
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { DatasetRegistry } from '../../datasets/registry';
import type { DatasetDescriptor } from '../../datasets/descriptor';
import { GatewayError, badParameter, missingParameter } from '../../errors';
import { requireAdmin } from '../admin-guard';
import { parsePushBody } from '../../push/push-payload';
import type { PushKeyRecord, PushKeys } from '../../push/push-keys';
import type { PushService } from '../../push/push-service';
import { RECORD_ID_PATTERN, RESOURCE_ID_PATTERN } from '../../push/push-types';
import { datasetIdParam } from '../../app/dataset-id';
import { SETTINGS } from '../../config';

/** v1: "Payload limit: 5 MB". */
export const PUSH_PATH = /^\/api\/push(?:\/|$)/;

const RAW_BODY = Symbol('pushBody');

/** `/api/push/1.0/<dataset>/<resource>/...`: the target of a push route, before routing. */
const PUSH_TARGET = /^\/api\/push\/1\.0\/([^/]+)\/([^/]+)\/./;

/**
 * Reads push bodies (any Content-Type: `curl -d` sends a form type) up to `limit` bytes. Mounted
 * BEFORE the app-wide parsers (1 MB): once the body is read they skip the request. The bytes are kept
 * aside and req.body left empty, so a pushed field named `apikey` or `access_token` is never taken
 * for a credential by the authentication middleware.
 *
 * With `keys`, the push key is checked BEFORE the body is read: a caller without a valid key never
 * makes the gateway read (and hold) up to 5 MB.
 */
export function pushBodyParser(limit: number = SETTINGS.pushMaxBodyBytes.default, keys?: PushKeys): RequestHandler {
  const raw = express.raw({ type: () => true, limit });
  return (req, res, next) => {
    if (!PUSH_PATH.test(req.path)) return next();
    const target = PUSH_TARGET.exec(req.path);
    if (keys && target) {
      let dataset: string;
      let resource: string;
      try {
        dataset = decodeURIComponent(target[1]!);
        resource = decodeURIComponent(target[2]!);
      } catch {
        return read();
      }
      verifyPushKey(keys, req, dataset, resource).then(read, (e: unknown) => next(e));
      return;
    }
    read();
    function read(): void {
      raw(req, res, (err?: unknown) => {
        if (err) {
          if ((err as { type?: string }).type === 'entity.too.large') {
            return next(
              new GatewayError('payload_too_large', `The push body is larger than the limit of ${limit} bytes (${(limit / 1048576).toFixed(1)} MB): split the batch`, {
                extra: { limit_bytes: limit },
              }),
            );
          }
          return next(err);
        }
        (req as unknown as { [RAW_BODY]?: Buffer })[RAW_BODY] = Buffer.isBuffer(req.body) ? req.body : undefined;
        req.body = undefined;
        next();
      });
    }
  };
}

/** The target whose push key the body parser already verified for this request (one lookup, not two). */
const VERIFIED = Symbol('pushKeyVerified');

/** The push key of the request must be one of this dataset resource (else 400/401). */
async function verifyPushKey(keys: PushKeys, req: Request, rawDataset: string, resource: string): Promise<string> {
  const datasetId = datasetIdParam(rawDataset, 'dataset');
  if (!RESOURCE_ID_PATTERN.test(resource)) throw badParameter('resource', 'expected letters, digits, _, - and . (at most 100)');
  const key = pushKeyOf(req);
  const holder = req as unknown as { [VERIFIED]?: string };
  const target = `${datasetId}/${resource}`;
  if (holder[VERIFIED] === target) return datasetId;
  if (!(await keys.verify(key, datasetId, resource))) {
    throw new GatewayError('unauthorized', `Push key is not valid for dataset ${datasetId}, resource ${resource}`);
  }
  holder[VERIFIED] = target;
  return datasetId;
}

const rawBodyOf = (req: Request): Buffer | undefined => (req as unknown as { [RAW_BODY]?: Buffer })[RAW_BODY];

export interface PushRoutesDeps {
  registry: DatasetRegistry;
  service: PushService;
  keys: PushKeys;
}

const OK = JSON.stringify({ status: 'OK' });

function sendOk(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).type('application/json').send(OK);
}

function pushKeyOf(req: Request): string {
  const v = (req.query as Record<string, unknown>).pushkey;
  if (v === undefined || v === '') {
    throw new GatewayError('unauthorized', 'Missing pushkey: send ?pushkey=<key>, a push key of this dataset resource');
  }
  if (typeof v !== 'string') throw badParameter('pushkey', 'send it once');
  return v;
}

export function pushRoutes(deps: PushRoutesDeps): Router {
  const router = Router();

  /** The push key must be one of this dataset resource; then the dataset must exist and accept pushes. */
  const authorize = async (req: Request): Promise<{ d: DatasetDescriptor; resource: string }> => {
    const resource = String(req.params.resource);
    const datasetId = await verifyPushKey(deps.keys, req, String(req.params.datasetid), resource);
    const d = await deps.registry.get(datasetId);
    if (!(await deps.keys.enabled(datasetId))) {
      throw new GatewayError('forbidden', `Push is disabled for dataset ${datasetId}: an administrator can enable it again`);
    }
    return { d, resource };
  };

  const push: RequestHandler = async (req, res) => {
    const { d, resource } = await authorize(req);
    await deps.service.push(d, resource, parsePushBody(rawBodyOf(req)));
    sendOk(res);
  };
  const deleteByValues: RequestHandler = async (req, res) => {
    const { d, resource } = await authorize(req);
    await deps.service.deleteByValues(d, resource, parsePushBody(rawBodyOf(req)));
    sendOk(res);
  };
  const deleteById: RequestHandler = async (req, res) => {
    const { d, resource } = await authorize(req);
    const recordId = String(req.params.recordid);
    if (!RECORD_ID_PATTERN.test(recordId)) throw badParameter('record_id', 'expected a record id (letters, digits, _ and -, at most 128)');
    await deps.service.deleteById(d, resource, recordId);
    sendOk(res);
  };

  router.post('/api/push/1.0/:datasetid/:resource/push', push);
  router.post('/api/push/1.0/:datasetid/:resource/delete', deleteByValues);
  router.get('/api/push/1.0/:datasetid/:resource/:recordid/delete', deleteById);
  router.post('/api/push/1.0/:datasetid/:resource/:recordid/delete', deleteById);
  return router;
}

// ---- admin ----------------------------------------------------------------------------------------

export interface AdminPushRoutesDeps {
  keys: PushKeys;
  adminToken?: string | undefined;
}

const keyJson = (k: PushKeyRecord) => ({
  key_id: k.keyId,
  dataset: k.dataset,
  resource: k.resource,
  ...(k.label !== undefined ? { label: k.label } : {}),
  created_at: k.createdAt,
});

function jsonObject(req: Request): Record<string, unknown> {
  const b = req.body as unknown;
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new GatewayError('bad_parameter', 'Send a JSON object (Content-Type: application/json)');
  return b as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw badParameter(name, 'expected a string');
  return v;
}

export function adminPushRoutes(deps: AdminPushRoutesDeps): Router {
  const router = Router();
  const admin =
    (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    async (req, res) => {
      requireAdmin(req, deps.adminToken);
      res.setHeader('Cache-Control', 'no-store');
      await handler(req, res);
    };

  router.get(
    '/admin/push/keys',
    admin(async (req, res) => {
      const dataset = typeof req.query.dataset === 'string' && req.query.dataset !== '' ? req.query.dataset : undefined;
      res.json({ keys: (await deps.keys.list(dataset)).map(keyJson) });
    }),
  );
  router.post(
    '/admin/push/keys',
    admin(async (req, res) => {
      const body = jsonObject(req);
      const dataset = optionalString(body, 'dataset');
      const resource = optionalString(body, 'resource');
      if (!dataset) throw missingParameter('dataset', 'a dataset id');
      if (!resource) throw missingParameter('resource', 'a resource id');
      const label = optionalString(body, 'label');
      const created = await deps.keys.create({ dataset, resource, ...(label ? { label } : {}) });
      res.status(201).json({ key: created.key, ...keyJson(created.record) });
    }),
  );
  router.delete(
    '/admin/push/keys/:keyid',
    admin(async (req, res) => {
      const keyId = String(req.params.keyid);
      if (!(await deps.keys.revoke(keyId))) throw new GatewayError('not_found', `Unknown push key id: ${keyId.slice(0, 64)}`);
      res.status(204).end();
    }),
  );
  router.get(
    '/admin/push/datasets/:datasetid',
    admin(async (req, res) => {
      const dataset = datasetIdParam(String(req.params.datasetid), 'dataset');
      res.json({ dataset, push_enabled: await deps.keys.enabled(dataset) });
    }),
  );
  router.put(
    '/admin/push/datasets/:datasetid',
    admin(async (req, res) => {
      const dataset = datasetIdParam(String(req.params.datasetid), 'dataset');
      const enabled = jsonObject(req).push_enabled;
      if (typeof enabled !== 'boolean') throw badParameter('push_enabled', 'expected true or false');
      const s = await deps.keys.setEnabled(dataset, enabled);
      res.json({ dataset: s.dataset, push_enabled: s.enabled, updated_at: s.updatedAt });
    }),
  );
  return router;
}
