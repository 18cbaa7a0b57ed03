/**
 * Attack suite, injection: dataset ids that would name other indices, q that would reach internal
 * fields or inject DSL, JSONP callbacks that would run code, CSV cells that would run formulas, XML
 * that would break feeds, headers, and paths that would leave the file store.
 */
import request from 'supertest';
import { XMLParser } from 'fast-xml-parser';
import { buildWorld, OPEN_VIEW, type World } from './world';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(() => w.close());

const enc = encodeURIComponent;

describe('dataset ids never name another index', () => {
  const IDS = [
    '*', '_all', 'open,vault', 'open%2Cvault', '-open', '.security', '..', '%2e%2e', 'OPEN', 'open*', 'op?n', '<logs-{now/d}>',
    'remote:open', 'open/../vault', 'open%00', '__proto__', 'constructor', 'a'.repeat(101), '', 'op en', 'vault%20',
  ];
  const ROUTES = [
    (id: string) => `/api/records/1.0/search/?dataset=${id}`,
    (id: string) => `/api/records/1.0/analyze/?dataset=${id}&x=city&y.n.func=COUNT`,
    (id: string) => `/api/records/1.0/download/?dataset=${id}`,
    (id: string) => `/api/datasets/1.0/${id}/`,
  ];
  const cases = IDS.flatMap((id) => ROUTES.map((route, i): [string, number, string] => [id, i, route(id.includes('%') ? id : enc(id))]));
  it.each(cases)('id %j on route %i → 4xx, no record of any dataset', async (_id, _route, path) => {
    const res = await request(w.app).get(path);
    expect([400, 401, 404]).toContain(res.status);
    expect(res.text).not.toMatch(/person \d+|secret\d+@/);
    expect(res.text).not.toContain(w.names.prefix);
  });
});

describe('q cannot reach internal fields or inject DSL', () => {
  const QS = [
    '__all:secret3',
    '__all==secret3@example.org',
    'fields.email:secret3',
    'fields.email.keyword==secret3@example.org',
    '_id:x',
    '_index:x',
    '_source:x',
    '__visibility.public:true',
    '__paths.city:Lyon',
    '__geo_type.geo:point',
    'dataset.visibility:public',
    '{"match_all":{}}',
    '*:*',
    '_exists_:email',
    'email:*',
    '#search(email, secret)',
    '#exact(fields.email, x)',
    'city:Lyon)) OR ((city:Lyon',
    'city:"Lyon\\" OR city:\\"Paris"',
  ];
  it.each(QS)('q=%j as anonymous: refused, or only the caller\'s records, never the hidden field', async (q) => {
    const res = await request(w.app).get(`/api/records/1.0/search/?dataset=open&rows=100&q=${enc(q)}`);
    expect([200, 400]).toContain(res.status);
    // (An error message or the parameters echo may quote the q itself.)
    expect(JSON.stringify(res.body.records ?? [])).not.toMatch(/secret\d+@/);
    if (res.status === 200) {
      const allowed = new Set(OPEN_VIEW.default.rows.map((r) => r.name));
      for (const r of res.body.records as { fields: { name: string; city: string } }[]) expect(allowed.has(r.fields.name)).toBe(true);
    }
  });
});

describe('JSONP', () => {
  it.each(['alert(1)', 'a;b', '<script>', 'a b', 'a\u2028b', '1abc', 'x'.repeat(65), 'a"b', "a'b", 'a-b', 'eval/**/'])(
    'callback %j is refused with a 400 (never echoed as code)',
    async (callback) => {
      const res = await request(w.app).get(`/api/records/1.0/search/?dataset=open&callback=${enc(callback)}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.parameter).toBe('callback');
    },
  );

  it.each(['f', 'jQuery123_456', 'ns.fn', '$cb', '_x'])('callback %j is served as JavaScript, guarded', async (callback) => {
    const res = await request(w.app).get(`/api/records/1.0/search/?dataset=open&callback=${callback}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/javascript/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text.startsWith(`/**/${callback}(`)).toBe(true);
  });
});

describe('CSV cells never start a formula', () => {
  it.each([
    '/api/records/1.0/search/?dataset=open&rows=100&format=csv',
    '/api/records/1.0/download/?dataset=open&format=csv',
    '/api/records/1.0/download/?dataset=open&format=csv&csv_separator=,',
  ])('%s', async (path) => {
    const res = await request(w.app).get(path);
    expect(res.status).toBe(200);
    expect(res.text).toContain('HYPERLINK');
    for (const line of res.text.split(/\r?\n/)) {
      for (const cell of line.split(/[;,]/)) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@]/);
    }
  });
});

describe('feeds are well-formed XML whatever the data holds', () => {
  it.each(['rss', 'atom'])('%s', async (format) => {
    const res = await request(w.app).get(`/api/records/1.0/search/?dataset=open&rows=100&format=${format}&q=HYPERLINK`);
    expect(res.status).toBe(200);
    expect(() => new XMLParser().parse(res.text)).not.toThrow();
    expect(res.text).toContain('HYPERLINK');
    expect(res.text).not.toContain('<b>&amp;</b>');
    expect(res.text).not.toMatch(/]]>(?!.*CDATA)/s);
  });
});

describe('headers', () => {
  it.each(['a\u0000b', 'x'.repeat(300), 'bad id with spaces', '../../etc'])('an X-Request-Id like %j is replaced, not echoed', async (id) => {
    const res = await request(w.app).get('/healthz').set('X-Request-Id', id.replace(/\u0000/g, ''));
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a well-formed X-Request-Id is kept (proxies chain them)', async () => {
    const res = await request(w.app).get('/healthz').set('X-Request-Id', 'proxy-id-12345');
    expect(res.headers['x-request-id']).toBe('proxy-id-12345');
  });

  it('Content-Disposition names only the dataset id', async () => {
    const res = await request(w.app).get(`/api/records/1.0/download/?dataset=open&format=csv&filename=${enc('x"; y')}`);
    expect(res.headers['content-disposition']).toBe('attachment; filename="open.csv"');
  });
});

describe('paths never leave the file store', () => {
  it.each([
    '/api/datasets/1.0/open/files/..%2F..%2F..%2Fetc%2Fpasswd',
    '/api/datasets/1.0/open/files/%2e%2e/%2e%2e/etc/passwd',
    '/api/datasets/1.0/open/attachments/..%2F..%2Fsecret.txt',
    '/api/datasets/1.0/open/attachments/%2Fetc%2Fpasswd',
    '/api/datasets/1.0/vault/attachments/..%2Fopen',
    '/api/datasets/1.0/open/files/0123456789abcdef0123456789abcdef01234567/',
    '/api/datasets/1.0/open/images/..%5C..%5Cwindows',
    '/explore/dataset/open/files/..%2F..%2Fetc%2Fpasswd/download',
  ])('%s → 400 or 404 (401 on the restricted dataset)', async (path) => {
    const res = await request(w.app).get(path);
    expect(path.includes('/vault/') ? [401] : [400, 404]).toContain(res.status);
    expect(res.text).not.toMatch(/root:|the vault attachment/);
  });

  it('an attachment of one dataset is not served under another', async () => {
    const res = await request(w.app).get(`/api/datasets/1.0/open/attachments/${w.attachmentId}/`);
    expect(res.status).toBe(404);
  });
});
