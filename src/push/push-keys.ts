/**
 * Push keys: one secret per dataset resource, shown once when created, stored as its sha256 (a
 * random 192-bit key needs no slow hash; the same choice as API keys, src/auth/secrets.ts), looked up
 * by that hash. Also the per-dataset switch that disables pushes.
 *
 *   const { key } = await keys.create({ dataset: 'sensors', resource: 'live' });   // give `key` to the pusher
 *   await keys.verify(presentedKey, 'sensors', 'live')                              // → record | undefined
 */
import { randomHex, safeEqual, sha256 } from '../auth/secrets';
import { DATASET_ID_PATTERN } from '../datasets/descriptor';
import { RESOURCE_ID_PATTERN } from './push-types';
import { GatewayError } from '../errors';

export interface PushKeyRecord {
  keyId: string;
  keyHash: string;
  dataset: string;
  resource: string;
  label?: string;
  createdAt: string;
}

export interface PushDatasetSettings {
  dataset: string;
  /** false: every push, deletion included, answers 403 until re-enabled. Default true. */
  enabled: boolean;
  updatedAt?: string;
}

/** Where keys and settings live (OpenSearch in production, memory in tests). */
export interface PushKeyStore {
  putKey(record: PushKeyRecord): Promise<void>;
  keyByHash(keyHash: string): Promise<PushKeyRecord | undefined>;
  listKeys(dataset?: string): Promise<PushKeyRecord[]>;
  /** false when no key has that id. */
  deleteKey(keyId: string): Promise<boolean>;
  settings(dataset: string): Promise<PushDatasetSettings | undefined>;
  putSettings(settings: PushDatasetSettings): Promise<void>;
}

/** A push-key request that does not validate (the admin API answers 400, the CLI exits 2). */
export class PushKeyInputError extends GatewayError {
  constructor(message: string) {
    super('bad_parameter', message);
    this.name = 'PushKeyInputError';
  }
}

/** `pk_` + 48 hex characters: recognisable in logs and secret scanners. */
export const PUSH_KEY_PATTERN = /^pk_[0-9a-f]{48}$/;

export interface CreatedPushKey {
  key: string;
  record: PushKeyRecord;
}

export function pushKeys(store: PushKeyStore, clock: () => Date = () => new Date()) {
  const checkTarget = (dataset: string, resource: string): void => {
    if (!DATASET_ID_PATTERN.test(dataset)) throw new PushKeyInputError(`Invalid dataset id "${dataset.slice(0, 100)}"`);
    if (!RESOURCE_ID_PATTERN.test(resource)) {
      throw new PushKeyInputError(`Invalid resource id "${resource.slice(0, 100)}": letters, digits, _, - and . (at most 100)`);
    }
  };
  return {
    async create(input: { dataset: string; resource: string; label?: string }): Promise<CreatedPushKey> {
      checkTarget(input.dataset, input.resource);
      if (input.label !== undefined && input.label.length > 200) throw new PushKeyInputError('label: at most 200 characters');
      const key = `pk_${randomHex(24)}`;
      const record: PushKeyRecord = {
        keyId: randomHex(8),
        keyHash: sha256(key),
        dataset: input.dataset,
        resource: input.resource,
        ...(input.label ? { label: input.label } : {}),
        createdAt: clock().toISOString(),
      };
      await store.putKey(record);
      return { key, record };
    },
    /** The key's record when it is a key of this dataset resource; undefined otherwise (no store call for a malformed key). */
    async verify(key: string, dataset: string, resource: string): Promise<PushKeyRecord | undefined> {
      if (!PUSH_KEY_PATTERN.test(key)) return undefined;
      const hash = sha256(key);
      const record = await store.keyByHash(hash);
      if (!record || !safeEqual(record.keyHash, hash)) return undefined;
      return record.dataset === dataset && record.resource === resource ? record : undefined;
    },
    list: (dataset?: string) => store.listKeys(dataset),
    revoke: (keyId: string) => store.deleteKey(keyId),
    async enabled(dataset: string): Promise<boolean> {
      return (await store.settings(dataset))?.enabled ?? true;
    },
    async setEnabled(dataset: string, enabled: boolean): Promise<PushDatasetSettings> {
      if (!DATASET_ID_PATTERN.test(dataset)) throw new PushKeyInputError(`Invalid dataset id "${dataset.slice(0, 100)}"`);
      const s: PushDatasetSettings = { dataset, enabled, updatedAt: clock().toISOString() };
      await store.putSettings(s);
      return s;
    },
  };
}

export type PushKeys = ReturnType<typeof pushKeys>;

/** In-memory store (HTTP tests; a gateway without OpenSearch security data). */
export function memoryPushKeyStore(): PushKeyStore {
  const keys = new Map<string, PushKeyRecord>();
  const settings = new Map<string, PushDatasetSettings>();
  return {
    async putKey(r) {
      keys.set(r.keyHash, { ...r });
    },
    async keyByHash(h) {
      const r = keys.get(h);
      return r ? { ...r } : undefined;
    },
    async listKeys(dataset) {
      return [...keys.values()].filter((r) => dataset === undefined || r.dataset === dataset).map((r) => ({ ...r }));
    },
    async deleteKey(keyId) {
      for (const [h, r] of keys) {
        if (r.keyId === keyId) {
          keys.delete(h);
          return true;
        }
      }
      return false;
    },
    async settings(dataset) {
      const s = settings.get(dataset);
      return s ? { ...s } : undefined;
    },
    async putSettings(s) {
      settings.set(s.dataset, { ...s });
    },
  };
}
