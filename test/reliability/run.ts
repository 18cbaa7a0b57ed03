/**
 * The reliability suite: `npm run test:reliability` (docs/reliability.md, docs/operations.md).
 *
 * Starts the local 3-node cluster (ops/opensearch/cluster.sh, fresh), loads replicated datasets with
 * the ingest CLI, then runs every failure scenario against gateway processes on 127.0.0.1: nodes,
 * the whole cluster, Redis, gateways and loads killed under load, SIGTERM, two "hosts". Writes
 * docs/reliability.md (the command, the machine, a table of figures and the checks) and exits 1 when a
 * check fails. Bounded: each wait has a timeout; about 10 minutes on 2 busy cores.
 *
 * Environment: RELIABILITY_CLUSTER_BASE_PORT (9201), RELIABILITY_REDIS_PORT (6390),
 * RELIABILITY_S3_PORT (9281), RELIABILITY_ONLY=name,name (a subset, for development; the report then
 * goes to .local/reliability/report.md), RELIABILITY_KEEP_CLUSTER=1 (leave it running).
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeData } from './data';
import { Cluster, ROOT, sh } from './harness';
import { gatewayKilledDuringPushes, ingestKilled, loadWithCli, nodeFailover, redisOutage, sigterm, twoHosts, wholeClusterDown, type Context, type Outcome } from './scenarios';

const SCENARIOS: [string, (c: Context) => Promise<Outcome>][] = [
  ['node-failover', nodeFailover],
  ['redis', redisOutage],
  ['gateway-kill', gatewayKilledDuringPushes],
  ['ingest-kill', ingestKilled],
  ['sigterm', sigterm],
  ['two-hosts', twoHosts],
  ['cluster-down', wholeClusterDown],
];

async function main(): Promise<number> {
  const started = Date.now();
  const only = process.env.RELIABILITY_ONLY?.split(',').filter(Boolean);
  const cluster = new Cluster();
  const data = writeData(join(ROOT, '.local', 'reliability'));
  const c: Context = {
    cluster,
    data,
    nodes: cluster.urls.join(','),
    redisPort: Number(process.env.RELIABILITY_REDIS_PORT ?? 6390),
    s3Port: Number(process.env.RELIABILITY_S3_PORT ?? 9281),
  };
  const say = (line: string) => process.stderr.write(`[reliability] ${line}\n`);
  say(`starting the 3-node cluster on ${c.nodes}`);
  const clusterStart = await cluster.start(true);
  say(`cluster green after ${(clusterStart / 1000).toFixed(0)} s; loading the datasets (replicas by default)`);
  for (const [d, id] of [
    [data.search, 'rel-search'],
    [data.big, 'rel-big'],
    [data.sensors, 'rel-sensors'],
  ] as const) {
    const r = await loadWithCli(c, [d.csv, '--dataset', id, '--descriptor', d.descriptor]);
    if (r.code !== 0) throw new Error(`loading ${id} failed: ${r.output.slice(-2000)}`);
    say(r.output.trim().split('\n').pop() ?? '');
  }
  const outcomes: { name: string; outcome?: Outcome; error?: string; seconds: number }[] = [];
  for (const [name, scenario] of SCENARIOS) {
    if (only && !only.includes(name)) continue;
    say(`scenario ${name}`);
    const t = Date.now();
    try {
      const outcome = await scenario(c);
      outcomes.push({ name, outcome, seconds: (Date.now() - t) / 1000 });
      for (const ch of outcome.checks) say(`  ${ch.ok ? 'ok  ' : 'FAIL'} ${ch.what}${ch.detail ? ` (${ch.detail})` : ''}`);
    } catch (e) {
      outcomes.push({ name, error: (e as Error).stack ?? String(e), seconds: (Date.now() - t) / 1000 });
      say(`  ERROR ${(e as Error).message}`);
    }
  }
  if (process.env.RELIABILITY_KEEP_CLUSTER !== '1') await cluster.stop();

  const checks = outcomes.flatMap((o) => o.outcome?.checks ?? []);
  const failed = checks.filter((ch) => !ch.ok).length + outcomes.filter((o) => o.error).length;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const java = (await sh('java', ['-version']).catch(() => '')).split('\n')[0] ?? '';
  const md: string[] = [
    '# Reliability: every failure measured',
    '',
    'What the gateway does when parts of a production deployment fail, measured on this machine by the',
    'reliability suite (`test/reliability/`), which wrote this file. How the gateway is built to behave is',
    'in [operations.md](operations.md).',
    '',
    '```sh',
    'npm run test:reliability',
    '```',
    '',
    `- Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, shared with other work; Node ${process.version}; ${java.trim()}.`,
    `- OpenSearch: the local 3-node cluster of \`ops/opensearch/cluster.sh\` (2.19, ${cluster.heap} heap per node, 127.0.0.1:${cluster.base}..${cluster.base + 2}), started fresh in ${(clusterStart / 1000).toFixed(0)} s.`,
    `- Data: \`rel-search\` (${data.search.rows} rows) and \`rel-big\` (${data.big.rows} rows), loaded by the ingest CLI with the default replicas (one per shard on 3 nodes); \`rel-sensors\` for pushes.`,
    '- Gateways: separate processes (`node dist/src/main.js`), given all three nodes in `OPENSEARCH_URL`, `OPENSEARCH_REQUEST_TIMEOUT_MS=5000`; Redis and S3Proxy of the suite\'s own.',
    '- Load: 8 clients, each on its own keep-alive connection, requesting a record search with a facet, a catalog search, a sorted search and a dataset lookup in turn.',
    `- Run: ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${((Date.now() - started) / 60000).toFixed(1)} minutes; ${checks.length - checks.filter((ch) => !ch.ok).length} of ${checks.length} checks passed${outcomes.some((o) => o.error) ? `, ${outcomes.filter((o) => o.error).length} scenario(s) failed to run` : ''}.`,
    '',
    '| scenario | what was done | figures |',
    '|---|---|---|',
    ...outcomes.flatMap((o) => (o.outcome?.rows ?? [{ scenario: o.name, action: 'did not run to the end', figures: (o.error ?? '').split('\n')[0] ?? '' }]).map((r) => `| ${r.scenario} | ${r.action} | ${r.figures} |`)),
    '',
    '## Checks',
    '',
    ...outcomes.flatMap((o) => [
      ...(o.outcome?.checks ?? []).map((ch) => `- ${ch.ok ? '✅' : '❌'} ${ch.what}${!ch.ok && ch.detail ? ` (${ch.detail})` : ''}`),
      ...(o.error ? [`- ❌ ${o.name}: ${(o.error.split('\n')[0] ?? '').replace(/\|/g, '/')}`] : []),
    ]),
    '',
  ];
  const target = only ? join(ROOT, '.local', 'reliability', 'report.md') : join(ROOT, 'docs', 'reliability.md');
  mkdirSync(join(ROOT, '.local', 'reliability'), { recursive: true });
  writeFileSync(target, md.join('\n'));
  say(`${failed === 0 ? 'all checks passed' : `${failed} check(s) failed`}; report: ${target}`);
  process.stdout.write(`reliability: ${checks.length - checks.filter((ch) => !ch.ok).length} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[reliability] ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
