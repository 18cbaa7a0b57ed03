/**
 * The failure scenarios of the reliability suite. Each returns the rows of docs/reliability.md (what
 * was done, what was measured) and checks: a check that fails makes the suite exit 1.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordIdOf } from '../../src/ingest/record-id';
import type { DataFiles } from './data';
import { ROOT, Cluster, call, describeFailures, ingest, json, sleep, startGateway, startLoad, startRedis, sh, type LoadStats, type Proc } from './harness';

export const PREFIX = 'rel';

export interface Row {
  scenario: string;
  action: string;
  figures: string;
}

export interface Outcome {
  rows: Row[];
  checks: { what: string; ok: boolean; detail?: string }[];
}

export interface Context {
  cluster: Cluster;
  data: DataFiles;
  /** OPENSEARCH_URL for gateways and CLIs: every node. */
  nodes: string;
  redisPort: number;
  s3Port: number;
}

export const SEARCH_PATHS = [
  '/api/records/1.0/search/?dataset=rel-search&q=name&facet=country&rows=5',
  '/api/datasets/1.0/search/?rows=2',
  '/api/records/1.0/search/?dataset=rel-search&rows=3&sort=-population',
  '/api/datasets/1.0/rel-search/',
];

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const baseEnv = (c: Context, extra: Record<string, string> = {}): Record<string, string> => ({
  OPENSEARCH_URL: c.nodes,
  INDEX_PREFIX: PREFIX,
  OPENSEARCH_REQUEST_TIMEOUT_MS: '5000',
  ...extra,
});

export async function loadWithCli(c: Context, args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const p = ingest(args, baseEnv(c, extra));
  const code = await p.exited;
  return { code, output: p.output() };
}

function loadFigures(st: LoadStats): string {
  return `${st.requests} requests, ${st.requests - st.ok} failed (${describeFailures(st.failures)}), longest ${s(st.maxMs)}`;
}

/** HTTP connections a node opened since it started, asked of the OTHER nodes (the suite never connects to it). */
async function httpOpened(c: Context, node: string): Promise<number | undefined> {
  const own = c.cluster.urls[Number(node.slice('node-'.length)) - 1];
  for (const u of c.cluster.urls.filter((x) => x !== own)) {
    try {
      const r = await json<{ nodes: Record<string, { name: string; http?: { total_opened?: number } }> }>(`${u}/_nodes/stats/http`, { timeoutMs: 5000 });
      return Object.values(r.nodes).find((n) => n.name === node)?.http?.total_opened;
    } catch {
      // next node
    }
  }
  return undefined;
}

// 1 ------------------------------------------------------------------------------------------------------

export async function nodeFailover(c: Context): Promise<Outcome> {
  const out: Outcome = { rows: [], checks: [] };
  const gw = await startGateway(baseEnv(c));
  try {
    for (const [node, label] of [
      [3, 'a node that is not the first of OPENSEARCH_URL'],
      [1, 'the node the gateway was given first (also the elected cluster manager at start)'],
    ] as const) {
      const load = startLoad(() => gw.url, SEARCH_PATHS, { concurrency: 8 });
      await sleep(3000);
      const killedAt = Date.now();
      c.cluster.kill9(node);
      await sleep(8000);
      await c.cluster.startNode(node);
      await c.cluster.waitGreen(3, 300_000, node);
      const recovered = Date.now() - killedAt;
      // The gateway pings a dead node every 12 s at most, and sends it requests once it answers: the
      // restarted node counts the connections opened to it, and only the gateway connects to it.
      await sleep(15_000);
      const after = (await httpOpened(c, `node-${node}`)) ?? 0;
      const st = await load.stop();
      out.rows.push({
        scenario: '3-node cluster, replicated data, search load at concurrency 8',
        action: `kill -9 node-${node} (${label}), 8 s later start it again`,
        figures: `${loadFigures(st)}; back to green with 3 nodes ${s(recovered)} after the kill; 15 s later the gateway had opened ${after} connection(s) to the restarted node-${node}`,
      });
      out.checks.push({ what: `no failed request when node-${node} is killed and comes back`, ok: st.requests > 0 && st.ok === st.requests, detail: describeFailures(st.failures) });
      out.checks.push({ what: `the gateway uses node-${node} again once it is back`, ok: after > 0 });
    }
    out.checks.push({ what: 'the gateway was not restarted', ok: gw.child.exitCode === null });
  } finally {
    gw.signal('SIGTERM');
    await gw.exited;
  }
  return out;
}

// 2 ------------------------------------------------------------------------------------------------------

export async function redisOutage(c: Context): Promise<Outcome> {
  const out: Outcome = { rows: [], checks: [] };
  const redis = await startRedis(c.redisPort);
  try {
    for (const policy of ['open', 'closed'] as const) {
      const admin = 'reliability-admin-token-0123456789';
      const gw = await startGateway(baseEnv(c, { REDIS_URL: redis.url, QUOTA_REDIS_FAILURE_POLICY: policy, ADMIN_TOKEN: admin, QUOTA_STORE_TIMEOUT_MS: '500' }));
      try {
        const load = startLoad(() => gw.url, SEARCH_PATHS, { concurrency: 8 });
        await sleep(3000);
        redis.kill9();
        await sleep(10_000);
        await redis.restart();
        await sleep(4000);
        const st = await load.stop();
        // Counting after recovery: N sequential calls move the anonymous caller's counter by N. The
        // usage is read once the quota store answers again (the admin API answers 503 until then).
        const agent = new http.Agent({ keepAlive: true });
        const usage = async (): Promise<number> => {
          for (let i = 0; i < 100; i += 1) {
            const a = await call(agent, `${gw.url}/admin/quota/usage?identity=ip:127.0.0.1`, { headers: { authorization: `Bearer ${admin}` } }).catch(() => undefined);
            if (a?.status === 200) return (JSON.parse(a.body.toString()) as { used: number }).used;
            await sleep(100);
          }
          return Number.NaN;
        };
        const usedBefore = await usage();
        for (let i = 0; i < 20; i += 1) await call(agent, `${gw.url}${SEARCH_PATHS[0]}`);
        const usedAfter = await usage();
        agent.destroy();
        const statuses = Object.keys(st.failures);
        out.rows.push({
          scenario: `Redis killed for 10 s under load, QUOTA_REDIS_FAILURE_POLICY=${policy}`,
          action: 'kill -9 our own redis-server, start it again 10 s later',
          figures: `${loadFigures(st)}; after the restart 20 calls moved the counter by ${usedAfter - usedBefore}`,
        });
        out.checks.push({ what: `Redis down (${policy}): no request waits more than a few seconds`, ok: st.maxMs < 5000, detail: s(st.maxMs) });
        if (policy === 'open') out.checks.push({ what: 'Redis down (open): every request served', ok: st.ok === st.requests, detail: describeFailures(st.failures) });
        else out.checks.push({ what: 'Redis down (closed): only 503s, never a 429 or a 500', ok: statuses.every((k) => k === '503') && st.missingRetryAfter === 0, detail: describeFailures(st.failures) });
        out.checks.push({ what: `Redis back (${policy}): counting is exact again`, ok: usedAfter - usedBefore === 20, detail: `${usedAfter - usedBefore}` });
      } finally {
        gw.signal('SIGTERM');
        await gw.exited;
      }
    }
  } finally {
    await redis.stop();
  }
  return out;
}

// 3 ------------------------------------------------------------------------------------------------------

export async function wholeClusterDown(c: Context): Promise<Outcome> {
  const out: Outcome = { rows: [], checks: [] };
  const gw = await startGateway(baseEnv(c));
  try {
    const load = startLoad(() => gw.url, SEARCH_PATHS, { concurrency: 8 });
    await sleep(3000);
    const killedAt = Date.now();
    for (const i of [1, 2, 3]) c.cluster.kill9(i);
    await sleep(6000);
    const agent = new http.Agent({ keepAlive: false });
    const ready = await call(agent, `${gw.url}/readyz`);
    const health = await call(agent, `${gw.url}/healthz`);
    const during = { ...load.stats, failures: { ...load.stats.failures } };
    const restartAt = Date.now();
    await c.cluster.start(false);
    const restarted = Date.now() - restartAt;
    // first 200 after the restart: the gateway recovered without being restarted
    let firstOk = 0;
    for (let i = 0; i < 600 && !firstOk; i += 1) {
      const a = await call(agent, `${gw.url}${SEARCH_PATHS[0]}`).catch(() => undefined);
      if (a?.status === 200) firstOk = Date.now();
      else await sleep(100);
    }
    await sleep(3000);
    const st = await load.stop();
    agent.destroy();
    const failuresDuringOutage = Object.keys(during.failures);
    out.rows.push({
      scenario: 'the whole OpenSearch cluster down, search load at concurrency 8',
      action: 'kill -9 all three nodes, start the cluster again (cluster.sh start)',
      figures: `${loadFigures(st)}; during the outage: ${describeFailures(during.failures)}, every 503 with Retry-After: ${st.missingRetryAfter === 0 ? 'yes' : `no (${st.missingRetryAfter} without)`}; /readyz ${ready.status}, /healthz ${health.status}; cluster green ${s(restarted)} after its restart, first answer 200 ${s(firstOk - restartAt)} after it (outage ${s(firstOk - killedAt)} in all)`,
    });
    out.checks.push({ what: 'OpenSearch down: only 503 with Retry-After', ok: failuresDuringOutage.every((k) => k === '503') && st.missingRetryAfter === 0, detail: describeFailures(during.failures) });
    out.checks.push({ what: 'OpenSearch down: answers within the request timeout (5 s)', ok: st.maxMs <= 5000 + 1500, detail: s(st.maxMs) });
    out.checks.push({ what: 'OpenSearch down: /readyz fails, /healthz passes', ok: ready.status === 503 && health.status === 200 });
    out.checks.push({ what: 'OpenSearch back: the same gateway process answers 200', ok: firstOk > 0 && gw.child.exitCode === null });
  } finally {
    gw.signal('SIGTERM');
    await gw.exited;
  }
  return out;
}

// 4 ------------------------------------------------------------------------------------------------------

async function pushKey(gw: Proc, admin: string): Promise<string> {
  const res = await fetch(`${gw.url}/admin/push/keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ dataset: 'rel-sensors', resource: 'live' }) });
  return ((await res.json()) as { key: string }).key;
}

async function allRecordIds(c: Context, index: string): Promise<Set<string>> {
  const r = await json<{ hits: { hits: { _id: string }[] } }>(`${c.cluster.urls[1]}/${index}/_search?expand_wildcards=all`, { method: 'POST', body: { size: 10000, _source: false, query: { match_all: {} } } });
  return new Set(r.hits.hits.map((h) => h._id));
}

export async function gatewayKilledDuringPushes(c: Context): Promise<Outcome> {
  const out: Outcome = { rows: [], checks: [] };
  const admin = 'reliability-admin-token-0123456789';
  const a = await startGateway(baseEnv(c, { ADMIN_TOKEN: admin }));
  const b = await startGateway(baseEnv(c, { ADMIN_TOKEN: admin }));
  try {
    const key = await pushKey(b, admin);
    const acked = new Set<string>();
    const failed: Record<string, number> = {};
    let aDead = false;
    const pusher = async (w: number): Promise<void> => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const end = Date.now() + 12_000;
      for (let i = 0; i < 2000 && Date.now() < end; i += 1) {
        const station = `P${w}-${i}`;
        const target = w % 2 === 0 && !aDead ? a : b; // half the clients on a until it dies, as behind a proxy
        try {
          const res = await call(agent, `${target.url}/api/push/1.0/rel-sensors/live/push/?pushkey=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ station, value: i }) });
          if (res.status === 200) acked.add(station);
          else failed[res.status] = (failed[res.status] ?? 0) + 1;
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code ?? 'error';
          failed[code] = (failed[code] ?? 0) + 1;
        }
      }
      agent.destroy();
    };
    const pushing = Promise.all([0, 1, 2, 3, 4, 5].map(pusher));
    await sleep(4000);
    a.signal('SIGKILL');
    aDead = true;
    await pushing;
    const alias = `${PREFIX}-records-rel-sensors`;
    await json(`${c.cluster.urls[1]}/${alias}/_refresh`, { method: 'POST' });
    await json(`${c.cluster.urls[1]}/${PREFIX}-push-log/_refresh?expand_wildcards=all`, { method: 'POST' });
    const idOf = (station: string) => recordIdOf({ station }, ['station']);
    const inIndex = await allRecordIds(c, alias);
    const log = await json<{ hits: { hits: { _source: { recordid: string } }[] } }>(`${c.cluster.urls[1]}/${PREFIX}-push-log/_search?expand_wildcards=all`, {
      method: 'POST',
      body: { size: 10000, query: { term: { dataset: 'rel-sensors' } } },
    });
    const inLog = new Set(log.hits.hits.map((h) => h._source.recordid));
    const missingIndex = [...acked].filter((st) => !inIndex.has(idOf(st)));
    const missingLog = [...acked].filter((st) => !inLog.has(idOf(st)));
    // A reload, run on its own (no directory shared with either gateway), keeps them all.
    const reload = await loadWithCli(c, [c.data.sensors.csv, '--dataset', 'rel-sensors', '--descriptor', c.data.sensors.descriptor]);
    const afterReload = await allRecordIds(c, alias);
    const missingAfterReload = [...acked].filter((st) => !afterReload.has(idOf(st)));
    out.rows.push({
      scenario: 'a gateway killed in a stream of pushes through two replicas',
      action: 'six clients push one record per request for 12 s, half through gateway A; kill -9 A after 4 s (its clients move to B); then reload the dataset with the ingest CLI',
      figures: `${acked.size} pushes answered 200, ${Object.values(failed).reduce((x, y) => x + y, 0)} not (${describeFailures(failed)}); answered 200 but missing: ${missingIndex.length} from the index, ${missingLog.length} from the push log, ${missingAfterReload.length} after the reload (exit ${reload.code})`,
    });
    out.checks.push({ what: 'every push answered 200 is in the index and in the push log', ok: acked.size > 0 && missingIndex.length === 0 && missingLog.length === 0 });
    out.checks.push({ what: 'a reload afterwards keeps every push answered 200', ok: reload.code === 0 && missingAfterReload.length === 0, detail: reload.code === 0 ? '' : reload.output.slice(-500) });
  } finally {
    for (const g of [a, b]) if (g.child.exitCode === null && g.child.signalCode === null) g.signal('SIGTERM');
    await Promise.all([a.exited, b.exited]);
  }
  return out;
}

// 5 and 7 ------------------------------------------------------------------------------------------------

async function versionIndices(c: Context, datasetId: string): Promise<string[]> {
  const rows = await json<{ index: string }[]>(`${c.cluster.urls[0]}/_cat/indices/${PREFIX}-records-${datasetId}.*?format=json&h=index`);
  return rows.map((r) => r.index).sort();
}

async function killReloadHalfWay(c: Context): Promise<{ indexed: number; orphan: string | undefined }> {
  const before = await versionIndices(c, 'rel-big');
  const p = ingest([c.data.big.csv, '--dataset', 'rel-big', '--descriptor', c.data.big.descriptor], baseEnv(c));
  let orphan: string | undefined;
  let indexed = 0;
  for (let i = 0; i < 600 && p.child.exitCode === null; i += 1) {
    const now = await versionIndices(c, 'rel-big').catch(() => before);
    orphan = now.find((x) => !before.includes(x));
    if (orphan) {
      const st = await json<{ _all: { primaries: { indexing?: { index_total?: number } } } }>(`${c.cluster.urls[0]}/${orphan}/_stats/indexing`).catch(() => undefined);
      indexed = st?._all.primaries.indexing?.index_total ?? 0;
      if (indexed >= c.data.big.rows / 4) break;
    }
    await sleep(100);
  }
  p.child.kill('SIGKILL');
  await p.exited;
  return { indexed, orphan };
}

export async function ingestKilled(c: Context): Promise<Outcome> {
  const out: Outcome = { rows: [], checks: [] };
  const gw = await startGateway(baseEnv(c));
  try {
    const countPath = '/api/records/1.0/search/?dataset=rel-big&rows=0';
    const counts: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      const agent = new http.Agent({ keepAlive: true });
      while (sampling) {
        const r = await call(agent, `${gw.url}${countPath}`).catch(() => undefined);
        counts.push(r?.status === 200 ? (JSON.parse(r.body.toString()) as { nhits: number }).nhits : -(r?.status ?? 1));
        await sleep(200);
      }
      agent.destroy();
    })();
    const published = await versionIndices(c, 'rel-big');
    const first = await killReloadHalfWay(c);
    const afterKill = await versionIndices(c, 'rel-big');
    // 7a: the next load of ANOTHER dataset deletes the orphan
    const small = await loadWithCli(c, [c.data.small.csv, '--dataset', 'rel-small', '--descriptor', c.data.small.descriptor]);
    const afterOther = await versionIndices(c, 'rel-big');
    // 7b: a second killed reload; a gateway that starts deletes its orphan
    const second = await killReloadHalfWay(c);
    const afterSecondKill = await versionIndices(c, 'rel-big');
    const fresh = await startGateway(baseEnv(c));
    let afterGatewayStart = await versionIndices(c, 'rel-big');
    for (let i = 0; i < 100 && afterGatewayStart.length > published.length; i += 1) {
      await sleep(100);
      afterGatewayStart = await versionIndices(c, 'rel-big');
    }
    fresh.signal('SIGTERM');
    await fresh.exited;
    // 5: the rerun succeeds and leaves one index
    const rerun = await loadWithCli(c, [c.data.big.csv, '--dataset', 'rel-big', '--descriptor', c.data.big.descriptor]);
    sampling = false;
    await sampler;
    const finalIndices = await versionIndices(c, 'rel-big');
    const finalCount = (JSON.parse((await call(new http.Agent(), `${gw.url}${countPath}`)).body.toString()) as { nhits: number }).nhits;
    const wrong = counts.filter((n) => n !== c.data.big.rows);
    out.rows.push({
      scenario: 'the ingest CLI killed half-way through a reload',
      action: `kill -9 the reload of rel-big (${c.data.big.rows} rows) once a quarter is indexed (${first.indexed} documents)`,
      figures: `${counts.length} count requests during the reloads, ${wrong.length} not ${c.data.big.rows}; indices after the kill: ${afterKill.length} (the published one and the orphan); the rerun exited ${rerun.code}, leaving ${finalIndices.length} index with ${finalCount} records`,
    });
    out.rows.push({
      scenario: 'a killed load leaves no orphan',
      action: 'after a killed reload of rel-big: load another dataset (rel-small); after a second killed reload: start a gateway',
      figures: `rel-big indices: ${afterKill.length} → ${afterOther.length} after the load of rel-small (exit ${small.code}); ${afterSecondKill.length} → ${afterGatewayStart.length} after a gateway started`,
    });
    out.checks.push({ what: 'a killed reload: the old data keeps serving with the same count', ok: counts.length > 0 && wrong.length === 0, detail: wrong.slice(0, 5).join(',') });
    out.checks.push({ what: 'a killed reload left its orphan index', ok: first.orphan !== undefined && afterKill.length === published.length + 1 && second.orphan !== undefined });
    out.checks.push({ what: 'the next load of another dataset deletes the orphan', ok: small.code === 0 && afterOther.length === published.length });
    out.checks.push({ what: 'a gateway that starts deletes the orphan', ok: afterSecondKill.length === published.length + 1 && afterGatewayStart.length === published.length });
    out.checks.push({ what: 'a rerun succeeds and leaves no stray index', ok: rerun.code === 0 && finalIndices.length === 1 && finalCount === c.data.big.rows });
  } finally {
    gw.signal('SIGTERM');
    await gw.exited;
  }
  return out;
}

// 6 ------------------------------------------------------------------------------------------------------

async function ourPits(c: Context): Promise<number> {
  const r = await json<{ pits?: { pit_id: string }[] }>(`${c.cluster.urls[0]}/_search/point_in_time/_all`);
  return (r.pits ?? []).filter((p) => Buffer.from(p.pit_id, 'base64').toString('latin1').includes(`${PREFIX}-records-`)).length;
}

export async function sigterm(c: Context): Promise<Outcome> {
  const out: Outcome = { rows: [], checks: [] };
  const gw = await startGateway(baseEnv(c, { SHUTDOWN_TIMEOUT_MS: '3000', DOWNLOAD_PAGE_SIZE: '200', LOG_LEVEL: 'info' }));
  // A download whose client stops reading after the first chunk (the gateway waits on a full socket).
  let response: http.IncomingMessage | undefined;
  const download = new Promise<{ status: number; how: string; bytes: number }>((resolve) => {
    const u = new URL(`${gw.url}/api/records/1.0/download/?dataset=rel-big&format=csv`);
    http
      .get({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}` }, (res) => {
        response = res;
        let how = 'open';
        let bytes = 0;
        res.once('data', () => res.pause());
        res.on('data', (b: Buffer) => (bytes += b.length));
        res.on('end', () => (how = 'normal end'));
        res.on('aborted', () => (how = 'aborted'));
        res.on('error', () => (how = how === 'open' ? 'error' : how));
        res.on('close', () => resolve({ status: res.statusCode ?? 0, how, bytes }));
      })
      .on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, how: `request error ${e.code}`, bytes: 0 }));
  });
  for (let i = 0; i < 100 && !response; i += 1) await sleep(50);
  await sleep(1500);
  const pitsDuring = await ourPits(c);
  const load = startLoad(() => gw.url, SEARCH_PATHS, { concurrency: 8, stopOnRefused: true });
  await sleep(2000);
  const t = Date.now();
  gw.signal('SIGTERM');
  // Requests sent once the gateway has begun its shutdown (its log says so) must be told to close.
  for (let i = 0; i < 200 && !gw.output().includes('shutting down'); i += 1) await sleep(5);
  load.mark();
  const code = await gw.exited;
  const took = Date.now() - t;
  response?.resume();
  const dl = await download;
  const st = await load.stop();
  const pitsAfter = await ourPits(c);
  const resets = st.failures.ECONNRESET ?? 0;
  out.rows.push({
    scenario: 'SIGTERM during a CSV download and a search load (SHUTDOWN_TIMEOUT_MS=3000)',
    action: 'a download whose client stopped reading, and 8 keep-alive search clients; SIGTERM to the gateway',
    figures: `the gateway exited ${code} after ${s(took)}; the download ended ${dl.how} after ${dl.bytes} bytes (status ${dl.status}); its point-in-time: ${pitsDuring} open before, ${pitsAfter} after; searches: ${st.requests} answered, ${st.closeAfterMark} answered during the drain with Connection: close, ${st.keepAliveAfterMark} sent during the drain answered keep-alive, ${resets} resets, then ${st.failures.ECONNREFUSED ?? 0} clients refused (the listener is closed)`,
  });
  out.checks.push({ what: 'SIGTERM: the cut download ends as an aborted stream', ok: dl.status === 200 && dl.how === 'aborted' });
  out.checks.push({ what: 'SIGTERM: its point-in-time is released', ok: pitsDuring === 1 && pitsAfter === 0 });
  out.checks.push({ what: 'SIGTERM: responses during the drain say Connection: close, no keep-alive client gets a reset', ok: st.keepAliveAfterMark === 0 && resets === 0 && st.closeAfterMark > 0, detail: describeFailures(st.failures) });
  out.checks.push({ what: 'SIGTERM: the gateway exits 0 within the timeout and the cut', ok: code === 0 && took < 3000 + 5000 + 2000 });
  return out;
}

// 8 ------------------------------------------------------------------------------------------------------

export async function twoHosts(c: Context): Promise<Outcome> {
  const out: Outcome = { rows: [], checks: [] };
  const admin = 'reliability-admin-token-0123456789';
  await sh('bash', ['ops/s3proxy/start.sh', '--port', String(c.s3Port), '--name', 'reliability', '--bucket', 'rel-files', '--fresh'], 180_000);
  const s3 = {
    FILE_STORE_S3_BUCKET: 'rel-files',
    FILE_STORE_S3_ENDPOINT: `http://127.0.0.1:${c.s3Port}`,
    FILE_STORE_S3_ACCESS_KEY_ID: 'local-identity',
    FILE_STORE_S3_SECRET_ACCESS_KEY: 'local-credential',
    ADMIN_TOKEN: admin,
  };
  // Two "hosts": each its own (unused) local directory; they share the cluster and the bucket only.
  const a = await startGateway(baseEnv(c, { ...s3, FILE_STORE_DIR: `${c.data.dir}/host-a/files` }));
  const b = await startGateway(baseEnv(c, { ...s3, FILE_STORE_DIR: `${c.data.dir}/host-b/files` }));
  try {
    const key = await pushKey(a, admin);
    const png = readFileSync(join(ROOT, 'test', 'fixtures', 'files', 'documentation.txt'));
    const push = (gw: Proc, body: unknown) =>
      fetch(`${gw.url}/api/push/1.0/rel-sensors/live/push/?pushkey=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const pushed = await push(a, { station: 'HOST-A', value: 1, photo: { content: png.toString('base64'), 'content-type': 'text/plain', filename: 'doc.txt' } });
    const search = (await (await fetch(`${b.url}/api/records/1.0/search/?dataset=rel-sensors&q=station:HOST-A`)).json()) as { records: { fields: { photo: { id: string } } }[] };
    const fileId = search.records[0]?.fields.photo.id ?? 'none';
    const file = await fetch(`${b.url}/api/datasets/1.0/rel-sensors/files/${fileId}/`);
    const same = file.status === 200 && Buffer.compare(Buffer.from(await file.arrayBuffer()), png) === 0;
    // A push through A, then a reload run "next to B" (its own environment, no shared directory).
    const second = await push(a, { station: 'HOST-A-2', value: 2 });
    const reload = await loadWithCli(c, [c.data.sensors.csv, '--dataset', 'rel-sensors', '--descriptor', c.data.sensors.descriptor], { ...s3, FILE_STORE_DIR: `${c.data.dir}/host-c/files` });
    const after = (await (await fetch(`${b.url}/api/records/1.0/search/?dataset=rel-sensors&q=station:HOST-A-2`)).json()) as { nhits: number };
    out.rows.push({
      scenario: 'two gateway replicas on different "hosts" (their own FILE_STORE_DIR, the file store in S3Proxy)',
      action: 'push a record with a file through A, read it through B; push through A, reload with the ingest CLI run on a third "host"',
      figures: `push through A: ${pushed.status}; the file through B: ${file.status}, ${same ? 'the same bytes' : 'DIFFERENT bytes'}; second push ${second.status}, reload exit ${reload.code}, the pushed record found through B after it: ${after.nhits}`,
    });
    out.checks.push({ what: 'a file uploaded through one replica is served by the other', ok: pushed.status === 200 && same });
    out.checks.push({ what: 'a push through one replica is replayed by a reload run elsewhere', ok: second.status === 200 && reload.code === 0 && after.nhits === 1 });
  } finally {
    for (const g of [a, b]) g.signal('SIGTERM');
    await Promise.all([a.exited, b.exited]);
    await sh('bash', ['ops/s3proxy/stop.sh', '--name', 'reliability'], 60_000).catch(() => '');
  }
  return out;
}
