/**
 * Attack suite, access: a dataset restricted to group `hr`, asked on every endpoint that reads a
 * dataset, with every kind of credential. Without credentials or with bad ones: 401; signed in
 * without rights: 404 `Unknown dataset`, exactly as for a dataset that does not exist; with rights
 * (key or token, or an administrator): 200. A refusal carries nothing but the v1 error body.
 */
import request from 'supertest';
import { buildWorld, CREDENTIALS, type CredentialKind, type World } from './world';

let w: World;
let recordId: string;

beforeAll(async () => {
  w = await buildWorld();
  const hit = await w.client.search({ index: w.names.recordsAlias('vault'), body: { size: 1, query: { match_all: {} } } });
  recordId = (hit.body.hits.hits as { _id: string }[])[0]!._id;
});
afterAll(() => w.close());

type Ask = { name: string; method: 'get' | 'post'; path: () => string; form?: Record<string, string> };
const get = (name: string, path: () => string): Ask => ({ name, method: 'get', path });
const post = (name: string, path: string, form: Record<string, string>): Ask => ({ name, method: 'post', path: () => path, form });

const ENDPOINTS: Ask[] = [
  get('dataset lookup', () => '/api/datasets/1.0/vault/'),
  get('dataset lookup, JSONP', () => '/api/datasets/1.0/vault/?callback=f'),
  post('dataset lookup, POST', '/api/datasets/1.0/vault/', { extrametas: 'true' }),
  get('record search', () => '/api/records/1.0/search/?dataset=vault'),
  get('record search, id@domain', () => '/api/records/1.0/search/?dataset=vault@other.domain'),
  post('record search, POST', '/api/records/1.0/search/', { dataset: 'vault', q: 'person' }),
  get('record search, dataset route', () => '/api/datasets/1.0/vault/records/'),
  get('record search, csv', () => '/api/records/1.0/search/?dataset=vault&format=csv'),
  get('record search, geojson', () => '/api/records/1.0/search/?dataset=vault&format=geojson'),
  get('record search, jsonp', () => '/api/records/1.0/search/?dataset=vault&format=jsonp&callback=f'),
  get('record search, rss', () => '/api/records/1.0/search/?dataset=vault&format=rss'),
  get('record search, atom', () => '/api/records/1.0/search/?dataset=vault&format=atom'),
  get('record lookup', () => `/api/datasets/1.0/vault/records/${recordId}/`),
  post('record lookup, POST', '/api/datasets/1.0/vault/records/RECORD', {}),
  get('analyze', () => '/api/records/1.0/analyze/?dataset=vault&x=city&y.n.func=COUNT'),
  get('analyze, dataset route', () => '/api/datasets/1.0/vault/records/analyze/?x=city&y.s.func=SUM&y.s.expr=salary'),
  get('analyze, csv', () => '/api/records/1.0/analyze/?dataset=vault&x=city&y.n.func=COUNT&format=csv'),
  post('analyze, POST', '/api/records/1.0/analyze/', { dataset: 'vault', x: 'city', 'y.n.func': 'COUNT' }),
  get('geocluster', () => '/api/records/1.0/geocluster/?dataset=vault&clusterprecision=2'),
  get('geocluster, dataset route', () => '/api/datasets/1.0/vault/records/geocluster/?clusterprecision=3&y.s.func=SUM&y.s.expr=salary'),
  get('boundingbox', () => '/api/records/1.0/boundingbox/?dataset=vault'),
  get('boundingbox, dataset route', () => '/api/datasets/1.0/vault/records/boundingbox/'),
  get('download csv', () => '/api/records/1.0/download/?dataset=vault'),
  get('download json', () => '/api/records/1.0/download/?dataset=vault&format=json'),
  get('download geojson', () => '/api/records/1.0/download/?dataset=vault&format=geojson'),
  get('download, dataset route', () => '/api/datasets/1.0/vault/records/download/?format=csv'),
  get('download, explore route', () => '/explore/dataset/vault/download/?format=csv'),
  post('download, POST', '/api/records/1.0/download/', { dataset: 'vault', format: 'json' }),
  get('attachment', () => `/api/datasets/1.0/vault/attachments/${w.attachmentId}/`),
  get('file', () => `/api/datasets/1.0/vault/files/${w.photoId}/`),
  get('file thumbnail', () => `/api/datasets/1.0/vault/files/${w.photoId}/32/`),
  get('image', () => `/api/datasets/1.0/vault/images/${w.photoId}/`),
  get('file download, explore route', () => `/explore/dataset/vault/files/${w.photoId}/download/`),
  get('image thumbnail, explore route', () => `/explore/dataset/vault/images/${w.photoId}/32/`),
];

const EXPECTED: Record<CredentialKind, number> = {
  none: 401,
  'unknown key': 401,
  'key without rights': 404,
  'key with rights': 200,
  'token with rights': 200,
  'revoked token': 401,
  'admin key': 200,
};

const cases = ENDPOINTS.flatMap((e) => CREDENTIALS.map((c): [string, CredentialKind, Ask] => [e.name, c, e]));

describe('a restricted dataset on every endpoint, with every kind of credential', () => {
  it.each(cases)('%s, %s', async (_name, kind, ask) => {
    const path = ask.path().replace('RECORD', recordId);
    const req = ask.method === 'get' ? request(w.app).get(path) : request(w.app).post(path).type('form').send(ask.form ?? {});
    const res = await req.set(w.headers(kind));
    expect(res.status).toBe(EXPECTED[kind]);
    if (res.status === 200) return;
    const text = res.text.replace(/^\/\*\*\/f\(|\);$/g, '');
    const body = JSON.parse(text) as Record<string, unknown>;
    if (res.status === 404) expect(body).toEqual({ errorcode: 10404, error: 'Unknown dataset: vault' });
    else expect(body.errorcode).toBe(10401);
    // Nothing of the dataset in a refusal.
    expect(res.text).not.toMatch(/person|secret|Paris|the vault attachment/);
  });
});

describe('the catalog', () => {
  it.each(CREDENTIALS.filter((k) => EXPECTED[k] !== 401))('lists and counts the restricted dataset only for those who may see it (%s)', async (kind) => {
    const res = await request(w.app).get('/api/datasets/1.0/search/?rows=100&facet=publisher').set(w.headers(kind));
    expect(res.status).toBe(200);
    const ids = (res.body.datasets as { datasetid: string }[]).map((d) => d.datasetid).sort();
    const sees = EXPECTED[kind] === 200;
    expect(ids).toEqual(sees ? ['open', 'vault'] : ['open']);
    expect(res.body.nhits).toBe(sees ? 2 : 1);
  });

  it.each(CREDENTIALS.filter((k) => EXPECTED[k] === 401 && k !== 'none'))('refuses bad credentials on the catalog too (%s)', async (kind) => {
    expect((await request(w.app).get('/api/datasets/1.0/search/').set(w.headers(kind))).status).toBe(401);
  });
});
