/**
 * What integration tests share: a client on the test node, the index names of the test prefix, the
 * configuration, and the sample descriptors. test/integration/global-setup.ts has loaded every sample
 * dataset under that prefix (default `odstest`, or INDEX_PREFIX) before the tests run.
 *
 *   const ctx = testContext();
 *   afterAll(() => closeTestContext());
 *   await ctx.client.count({ index: ctx.names.recordsAlias('movies') });
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { loadConfig, type Config } from '../../src/config';
import { parseDescriptor, type DatasetDescriptor } from '../../src/datasets/descriptor';
import { indexNames, type IndexNames } from '../../src/datasets/index-names';
import { createOpenSearchClient } from '../../src/opensearch/client';

export const ROOT = join(__dirname, '..', '..');
export const DEFAULT_TEST_PREFIX = 'odstest';
/** Written by the global setup: { url, prefix, samples: { <id>: records } }. */
export const SETUP_STATE_FILE = join(ROOT, '.local', 'test-integration.json');

export interface SetupState {
  url: string;
  prefix: string;
  samples: Record<string, number>;
}

export interface TestContext {
  client: Client;
  names: IndexNames;
  config: Config;
  /** The descriptor of a sample dataset, from mappings/<id>.json. */
  descriptor(id: string): DatasetDescriptor;
  /** Records loaded per sample dataset by the global setup (when it ran). */
  samples: Record<string, number>;
}

export function readSetupState(): SetupState | undefined {
  if (!existsSync(SETUP_STATE_FILE)) return undefined;
  return JSON.parse(readFileSync(SETUP_STATE_FILE, 'utf8')) as SetupState;
}

/** The environment of the integration tests (what the global setup exported). */
export function testEnv(): Record<string, string | undefined> {
  const state = readSetupState();
  return {
    ...process.env,
    OPENSEARCH_URL: process.env.OPENSEARCH_URL ?? state?.url ?? 'http://127.0.0.1:9200',
    INDEX_PREFIX: process.env.INDEX_PREFIX ?? state?.prefix ?? DEFAULT_TEST_PREFIX,
  };
}

let current: TestContext | undefined;

/** One context per test file (jest gives each file its own module registry). */
export function testContext(): TestContext {
  if (current) return current;
  const config = loadConfig(testEnv());
  const client = createOpenSearchClient({ ...config, opensearchRequestTimeoutMs: Math.max(config.opensearchRequestTimeoutMs, 60_000) }, { maxRetries: 2 });
  const descriptors = new Map<string, DatasetDescriptor>();
  current = {
    client,
    names: indexNames(config.indexPrefix),
    config,
    samples: readSetupState()?.samples ?? {},
    descriptor(id: string): DatasetDescriptor {
      let d = descriptors.get(id);
      if (!d) {
        d = parseDescriptor(JSON.parse(readFileSync(join(ROOT, 'mappings', `${id}.json`), 'utf8')), `mappings/${id}.json`);
        descriptors.set(id, d);
      }
      return d;
    },
  };
  return current;
}

export async function closeTestContext(): Promise<void> {
  const c = current;
  current = undefined;
  await c?.client.close();
}
