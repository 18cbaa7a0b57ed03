/**
 * A single-node OpenSearch of a test file's own, for tests that lower cluster-wide limits
 * (`search.max_open_pit_context`, `script.max_compilations_rate`): on the shared test node they
 * would make the other test files, running at the same time, fail.
 *
 *   const node = await dedicatedNode();      // starts ops/opensearch/start.sh unless one of ours runs
 *   ... node.url ...
 *   await node.stop();                        // stops it if this call started it
 *
 * Port and name: OPENSEARCH_LIMITS_PORT (default 9211) and OPENSEARCH_LIMITS_NAME (default
 * `limits`; its state lives in .local/opensearch/<name>/). A node that answers on the port under
 * another name is never touched: the helper fails, naming the variable to change.
 * OPENSEARCH_LIMITS_URL points at a node to use as it is (never started or stopped here).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './integration';

const run = promisify(execFile);

export interface DedicatedNode {
  url: string;
  stop(): Promise<void>;
}

async function nodeName(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return ((await res.json()) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

export async function dedicatedNode(): Promise<DedicatedNode> {
  const given = process.env.OPENSEARCH_LIMITS_URL;
  if (given) return { url: given.replace(/\/+$/, ''), stop: async () => undefined };
  const port = Number(process.env.OPENSEARCH_LIMITS_PORT ?? 9211);
  const name = process.env.OPENSEARCH_LIMITS_NAME ?? 'limits';
  const url = `http://127.0.0.1:${port}`;
  const running = await nodeName(url);
  if (running !== undefined && running !== name) {
    throw new Error(`Port ${port} is used by the OpenSearch node "${running}", not "${name}": set OPENSEARCH_LIMITS_PORT to a free port`);
  }
  if (running === name) return { url, stop: async () => undefined }; // left running on purpose: reuse it
  const script = join(ROOT, 'ops', 'opensearch');
  await run('bash', [join(script, 'start.sh'), '--port', String(port), '--name', name, '--heap', '384m', '--fresh', '--timeout', '180'], { cwd: ROOT });
  if ((await nodeName(url)) !== name) throw new Error(`The dedicated OpenSearch node "${name}" did not start on ${url}`);
  return {
    url,
    stop: async () => {
      await run('bash', [join(script, 'stop.sh'), '--name', name], { cwd: ROOT });
    },
  };
}
