/**
 * Feeds never repeat a caller's credentials: RSS and Atom copy the request URL into `<id>` and
 * `<link rel="self">`, and a feed is meant to be shared and cached by feed readers. The `apikey`
 * and `access_token` parameters are left out of those URLs (the other parameters keep their order
 * and encoding); the JSON `parameters` echo never had them.
 */
import request from 'supertest';
import { authFixture, tokensFor, type AuthFixture } from '../helpers/auth';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, emptyish, paris } from '../fixtures/datasets/cities';
import { withoutCredentials } from '../../src/http/params/without-credentials';

const answer = { hits: { total: { value: 2, relation: 'eq' }, hits: [paris, emptyish].map((r) => ({ _id: r.recordid, _source: r })) } };

let f: AuthFixture;
let token: string;

beforeAll(async () => {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor, [paris, emptyish]);
  backend.onSearch = () => structuredClone(answer);
  backend.searchCatalog = async () => ({ hits: { total: { value: 1 }, hits: [{ _id: 'cities', _source: { recordid: 'cities', dataset: citiesDescriptor } }] } });
  f = await authFixture({ backend });
  token = (await tokensFor(f)).access_token;
});

describe('withoutCredentials', () => {
  it.each([
    ['/x?apikey=K', '/x'],
    ['/x?dataset=a&apikey=K&q=b%20c', '/x?dataset=a&q=b%20c'],
    ['/x?access_token=T&format=atom', '/x?format=atom'],
    ['/x?a=1&APIKEY=K', '/x?a=1&APIKEY=K'], // parameter names are case-sensitive: this one is not a credential
    ['/x?api%6Bey=K&a=1', '/x?a=1'], // an encoded name is the same parameter
    ['/x?q=apikey%3DK', '/x?q=apikey%3DK'], // a value that mentions it is kept
    ['/x?a=1&&apikey=K#frag', '/x?a=1'],
    ['/x', '/x'],
    ['/x?%zz=1&apikey=K', '/x?%zz=1'],
  ])('%s → %s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });
});

describe('feeds of an authenticated caller', () => {
  const secretOf = (kind: 'apikey' | 'access_token') => (kind === 'apikey' ? f.keys.alice : token);

  it.each([
    ['apikey', 'atom', '/api/records/1.0/search/?dataset=cities&format=atom&rows=2'],
    ['apikey', 'rss', '/api/records/1.0/search/?dataset=cities&format=rss&rows=2'],
    ['access_token', 'atom', '/api/records/1.0/search/?dataset=cities&format=atom&rows=2'],
    ['access_token', 'rss', '/api/datasets/1.0/search/?format=rss'],
  ] as const)('%s in the URL of a %s feed is not repeated in it (%s)', async (kind, format, path) => {
    const secret = secretOf(kind);
    const res = await request(f.app).get(`${path}&${kind}=${secret}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(secret);
    // Atom's id and self link are still the request URL, with the other parameters as sent.
    if (format === 'atom') expect(res.text).toContain(`<link rel="self" href="https://gateway.example.org${path.replace(/&/g, '&amp;')}"/>`);
  });

  it('never echoes a credential in the JSON parameters either', async () => {
    const res = await request(f.app).get(`/api/records/1.0/search/?dataset=cities&apikey=${f.keys.alice}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain(f.keys.alice);
  });
});
