/**
 * Analyze expressions have two forms (src/analyze/expression): a Lucene expression compiled for its
 * shape, and one painless interpreter script (past the compilation budget). On a real node both
 * must give the same values for every operator and function, equal to Java's Math as computed here
 * from the rows.
 */
import request from 'supertest';
import type { Client } from '@opensearch-project/opensearch';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { createOpenSearchClient } from '../../src/opensearch/client';
import { openSearchBackend } from '../../src/opensearch/backend';
import { indexNames } from '../../src/datasets/index-names';
import { datasetRegistry } from '../../src/datasets/registry';
import { parseDescriptor } from '../../src/datasets/descriptor';
import { loadDataset } from '../../src/ingest';
import { createProtection } from '../../src/protection';

jest.setTimeout(120_000);

const OPENSEARCH_URL = process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200';
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const names = indexNames(`iteng${run}`);

const descriptor = parseDescriptor({
  datasetid: 'numbers',
  metas: { title: 'Numbers' },
  fields: [
    { name: 'x', label: 'X', type: 'double' },
    { name: 'y', label: 'Y', type: 'int' },
    { name: 'g', label: 'Group', type: 'text' },
  ],
});
const XS = [-7.5, -2.5, -0.5, 0, 0.5, 1.5, 2.5, 3.25, 42, 0.1];
const ROWS = XS.flatMap((x, i) => [1, 2, 7, 100].map((y, j) => ({ x, y, g: `g${(i + j) % 2}` })));

// Java Math, as the Lucene text and the interpreter both compute it.
const rint = (v: number) => {
  const h = Math.floor(v + 0.5);
  return h - (v + 0.5 === h && h % 2 !== 0 ? 1 : 0);
};
const CASES: [string, (r: { x: number; y: number }) => number][] = [
  ['x + y * 2 - 3 / y', (r) => r.x + r.y * 2 - 3 / r.y],
  ['-x % 3', (r) => -r.x % 3],
  ['sqrt(abs(x)) + log(y + 1) - log10(y + 10)', (r) => Math.sqrt(Math.abs(r.x)) + Math.log(r.y + 1) - Math.log10(r.y + 10)],
  ['sin(x) * cos(y) + tan(x / 10) + atan(y) + atan2(x, y)', (r) => Math.sin(r.x) * Math.cos(r.y) + Math.tan(r.x / 10) + Math.atan(r.y) + Math.atan2(r.x, r.y)],
  ['exp(x / 100) + sinh(x / 50) + cosh(y / 50) - tanh(x)', (r) => Math.exp(r.x / 100) + Math.sinh(r.x / 50) + Math.cosh(r.y / 50) - Math.tanh(r.x)],
  ['ceil(x) + floor(y / 3) + round(x) + rint(x) + signum(x - y)', (r) => Math.ceil(r.x) + Math.floor(r.y / 3) + Math.floor(r.x + 0.5) + rint(r.x) + Math.sign(r.x - r.y)],
  ['pow(abs(x), 1.5) + max(x, y) - min(x, y) + hypot(x, y)', (r) => Math.pow(Math.abs(r.x), 1.5) + Math.max(r.x, r.y) - Math.min(r.x, r.y) + Math.hypot(r.x, r.y)],
  ['cbrt(x) + toRadians(y) + toDegrees(x / 100)', (r) => Math.cbrt(r.x) + (r.y * Math.PI) / 180 + ((r.x / 100) * 180) / Math.PI],
  ['IEEEremainder(x, 3) + asin(0.5) + acos(0.25)', (r) => r.x - 3 * rint(r.x / 3) + Math.asin(0.5) + Math.acos(0.25)],
];

let client: Client;
let compiled: ReturnType<typeof createApp>;
let interpreted: ReturnType<typeof createApp>;

beforeAll(async () => {
  client = createOpenSearchClient({ opensearchUrl: OPENSEARCH_URL });
  await loadDataset({
    client,
    names,
    datasetId: 'numbers',
    descriptor,
    source: { rows: (async function* () { let line = 0; for (const row of ROWS) yield { line: ++line, row }; })() },
    log: () => {},
  });
  const backend = openSearchBackend(client, names);
  const app = (budget: number) =>
    createApp({
      config: { trustProxy: false, maxRequestBodyBytes: 1 << 20 },
      logger: createLogger('silent'),
      backend,
      registry: datasetRegistry(backend, 0),
      protection: createProtection({ analyzeCompilationsPer5m: budget, analyzeCompilationsPerIdentityPer5m: budget }),
    });
  compiled = app(1000);
  interpreted = app(0);
});

afterAll(async () => {
  await client.indices.delete({ index: `${names.prefix}-*` }).catch(() => undefined);
  await client.close();
});

describe('compiled and interpreted expressions', () => {
  it.each(CASES)('SUM(%s) per group: both forms equal, and equal to Java Math on the rows', async (expr, f) => {
    const path = `/api/records/1.0/analyze/?dataset=numbers&x=g&y.s.func=SUM&y.s.expr=${encodeURIComponent(expr)}&y.m.func=MAX&y.m.expr=${encodeURIComponent(expr)}`;
    const a = await request(compiled).get(path);
    const b = await request(interpreted).get(path);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
    for (const g of ['g0', 'g1']) {
      const rows = ROWS.filter((r) => r.g === g);
      const bucket = (a.body as { x: string; s: number; m: number }[]).find((r) => r.x === g)!;
      expect(bucket.s).toBeCloseTo(rows.reduce((s, r) => s + f(r), 0), 9);
      expect(bucket.m).toBeCloseTo(Math.max(...rows.map(f)), 9);
    }
  });
});
