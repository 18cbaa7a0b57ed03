/**
 * The real app with push and multimedia wired over fakes at the lowest seams: the fake backend, the
 * in-memory push key store and push log, and a file store in a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { datasetRegistry } from '../../src/datasets/registry';
import type { DatasetDescriptorInput } from '../../src/datasets/descriptor';
import { directoryFileStore, type FileStore } from '../../src/files/file-store';
import { memoryPushKeyStore, pushKeys, type PushKeys } from '../../src/push/push-keys';
import { pushService } from '../../src/push/push-service';
import type { QuotaService } from '../../src/quota/service';
import type { AuthServices } from '../../src/auth/services';
import { fakeBackend, type FakeBackend } from './fake-backend';
import { memoryPushLog, type MemoryPushLog } from './memory-push-log';

export const ADMIN_TOKEN = 'admin-token-for-push-tests';

export const sensorsDescriptor: DatasetDescriptorInput = {
  datasetid: 'sensors',
  metas: { title: 'Sensors', timezone: 'UTC' },
  fields: [
    { name: 'station', label: 'Station', type: 'text', annotations: [{ name: 'id' }] },
    { name: 'value', label: 'Value', type: 'double' },
    { name: 'at', label: 'At', type: 'datetime' },
    { name: 'photo', label: 'Photo', type: 'file' },
  ],
};

export interface PushApp {
  app: Express;
  backend: FakeBackend;
  keys: PushKeys;
  files: FileStore;
  log: MemoryPushLog;
  /** A push key of sensors/live. */
  key: string;
  dir: string;
  cleanup(): Promise<void>;
}

export async function pushApp(
  options: { maxBodyBytes?: number; quota?: QuotaService; auth?: AuthServices; datasets?: DatasetDescriptorInput[]; files?: FileStore } = {},
): Promise<PushApp> {
  const dir = await mkdtemp(join(tmpdir(), 'pushapp-'));
  const backend = fakeBackend();
  for (const d of options.datasets ?? [sensorsDescriptor]) backend.addDataset(d);
  const keys = pushKeys(memoryPushKeyStore());
  const files = options.files ?? directoryFileStore(join(dir, 'files'));
  const log = memoryPushLog();
  const app = createApp({
    config: { trustProxy: false, maxRequestBodyBytes: 1024 * 1024 },
    logger: createLogger('silent'),
    backend,
    registry: datasetRegistry(backend, 0),
    push: { service: pushService({ backend, files, log }), keys, ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) },
    files,
    tokens: { admin: ADMIN_TOKEN },
    ...(options.quota ? { quota: options.quota } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
  });
  const { key } = await keys.create({ dataset: 'sensors', resource: 'live' });
  return { app, backend, keys, files, log, key, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
