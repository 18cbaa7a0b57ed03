/**
 * Integration setup (jest globalSetup of the `integration` project):
 *  1. checks that OpenSearch answers at OPENSEARCH_URL (default http://127.0.0.1:9200) within
 *     OPENSEARCH_WAIT_SECONDS (default 30), with a clear error otherwise;
 *  2. uses the index prefix `odstest` (INDEX_PREFIX overrides) and exports both to process.env
 *     and .local/test-integration.json for the test workers (test/helpers/integration.ts);
 *  3. loads every sample dataset of mappings/ through the ingest library (not by spawning), skipping a
 *     dataset whose catalog doc shows the same fingerprint (descriptor + mapping + source size/mtime)
 *     and count, so that repeated local runs are fast. A lock file serialises concurrent setups.
 * The data stays for the next run; global-teardown.ts closes the client.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { loadConfig } from '../../src/config';
import { indexNames } from '../../src/datasets/index-names';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { formatSummary } from '../../src/ingest/load';
import { listSamples, loadSample } from '../../src/ingest/samples';
import { DEFAULT_TEST_PREFIX, ROOT, SETUP_STATE_FILE, type SetupState } from '../helpers/integration';

const LOCK = join(ROOT, '.local', 'test-integration.lock');
const say = (s: string): void => void process.stderr.write(`[integration setup] ${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

declare global {
  var __INGEST_TEST_CLIENT__: Client | undefined;
}

async function waitForOpenSearch(client: Client, url: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let last = '';
  for (;;) {
    try {
      await client.cluster.health({ wait_for_status: 'yellow', timeout: '5s' });
      return;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `OpenSearch does not answer at ${url} after ${seconds} s (${last}).\n` +
          `  Start it with npm run opensearch:start (or set OPENSEARCH_URL to a running node).`,
      );
    }
    await sleep(1000);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A lock file, so that two test runs on one machine do not load the samples at the same time. */
async function withLock<T>(f: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 15 * 60 * 1000;
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      let stale = false;
      try {
        const pid = Number(readFileSync(LOCK, 'utf8'));
        stale = !pidAlive(pid) || Date.now() - statSync(LOCK).mtimeMs > 15 * 60 * 1000;
      } catch {
        stale = true;
      }
      if (stale) rmSync(LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`Another test run holds ${LOCK}; remove it if no run is active`);
      else await sleep(1000);
    }
  }
  try {
    return await f();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

export default async function globalSetup(): Promise<void> {
  process.env.OPENSEARCH_URL ??= 'http://127.0.0.1:9200';
  process.env.INDEX_PREFIX ??= DEFAULT_TEST_PREFIX;
  const config = loadConfig(process.env);
  const client = createOpenSearchClient({ ...config, opensearchRequestTimeoutMs: Math.max(config.opensearchRequestTimeoutMs, 120_000) }, { maxRetries: 3 });
  globalThis.__INGEST_TEST_CLIENT__ = client;
  await waitForOpenSearch(client, config.opensearchUrl, Number(process.env.OPENSEARCH_WAIT_SECONDS ?? 30));

  const names = indexNames(config.indexPrefix);
  const samples: Record<string, number> = {};
  await withLock(async () => {
    for (const id of await listSamples()) {
      const outcome = await loadSample(id, { client, names, skipUnchanged: true, log: (l) => say(`${id}: ${l}`) });
      if (outcome.skipped) {
        samples[id] = outcome.records;
        say(`${id}: unchanged, ${outcome.records} records`);
      } else {
        samples[id] = outcome.result.rowsLoaded;
        say(formatSummary(outcome.result));
      }
    }
  });
  const state: SetupState = { url: config.opensearchUrl, prefix: config.indexPrefix, samples };
  mkdirSync(dirname(SETUP_STATE_FILE), { recursive: true });
  writeFileSync(SETUP_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`);
}
