/**
 * The work one request may make the gateway do on its event loop is bounded before it is done
 * (the times themselves are measured by bench/event-loop.ts, not asserted here):
 * - all the q values of a request together have at most 10 000 characters (one anonymous form
 *   POST of 60 q values, each a 440-point #polygon, held the loop for ~0.5 s);
 * - all the geofilter.polygon values together have at most 1000 points, counted before parsing;
 * - at most 100 geofilter values in all;
 * - form bodies are parsed in linear time (repeated keys), with the same answers as before.
 */
import request from 'supertest';
import { buildApp } from '../helpers/build-app';
import { fakeBackend } from '../helpers/fake-backend';
import { citiesDescriptor, emptyish, paris } from '../fixtures/datasets/cities';

function setup() {
  const backend = fakeBackend();
  backend.addDataset(citiesDescriptor, [paris, emptyish]);
  backend.onSearch = () => ({ hits: { total: { value: 0, relation: 'eq' }, hits: [] } });
  return { backend, app: buildApp(backend) };
}

const ring = (n: number, lat: number) =>
  Array.from({ length: n }, (_, i) => `(${(lat + Math.sin((2 * Math.PI * i) / n)).toFixed(6)},${(2 + Math.cos((2 * Math.PI * i) / n)).toFixed(6)})`).join(',');
const form = (pairs: [string, string][]) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const searches = (backend: ReturnType<typeof setup>['backend']) => backend.calls.filter((c) => c.method === 'searchRecords').length;

describe('work bounds of one request', () => {
  it('When a form POST carries 60 q values of 440-point polygons, then it is a 400 naming the q value past 10 000 characters, and nothing is searched', async () => {
    const { app, backend } = setup();
    const q = `#polygon(geo, "${ring(440, 48)}")`;
    expect(q.length).toBeGreaterThan(5000);
    const body = form([['dataset', 'cities'], ...Array.from({ length: 60 }, (): [string, string] => ['q', q])]);
    const res = await request(app).post('/api/records/1.0/search/').type('form').send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errorcode: 10400, parameter: 'q', limit: 'maxLength', max: 10000 });
    expect(res.body.error).toMatch(/^Invalid query in parameter "q" \(value 2 of 60\): the q values of this request have more than 10000 characters together/);
    expect(searches(backend)).toBe(0);
    // One of them alone is a fine query.
    const one = await request(app).post('/api/records/1.0/search/').type('form').send(form([['dataset', 'cities'], ['q', q]]));
    expect(one.status).toBe(200);
  });

  it('When geofilter.polygon values have more than 1000 points together, then it is a 400 before any search', async () => {
    const { app, backend } = setup();
    const res = await request(app)
      .post('/api/records/1.0/search/')
      .type('form')
      .send(form([['dataset', 'cities'], ['geofilter.polygon', ring(600, 40)], ['geofilter.polygon', ring(600, 44)]]));
    expect(res.status).toBe(400);
    expect(res.body.parameter).toBe('geofilter.polygon');
    expect(res.body.error).toMatch(/1000 for all the geofilter\.polygon values of a request/);
    expect(searches(backend)).toBe(0);
  });

  it('When a request sends 101 geofilter values, then it is a 400', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/api/records/1.0/search/')
      .type('form')
      .send(form([['dataset', 'cities'], ...Array.from({ length: 101 }, (): [string, string] => ['geofilter.distance', '48.85,2.35,1000'])]));
    expect(res.status).toBe(400);
    expect(res.body.parameter).toBe('geofilter.distance');
  });

  it('When a form repeats a key thousands of times, then every value is read (the same answer as in the query string)', async () => {
    const { app, backend } = setup();
    const refines = Array.from({ length: 5000 }, (_, i): [string, string] => ['refine.country', `C${i}`]);
    const res = await request(app).post('/api/records/1.0/search/').type('form').send(form([['dataset', 'cities'], ['facet', 'country'], ...refines]));
    expect(res.status).toBe(200);
    expect(res.body.parameters.refine.country).toHaveLength(5000);
    const body = backend.calls.find((c) => c.method === 'searchRecords')!.args[1] as Record<string, unknown>;
    expect(JSON.stringify(body)).toContain('"C4999"');
  });

  it('When a form has more than 10 000 parameters, then it is a 400', async () => {
    const { app } = setup();
    const res = await request(app).post('/api/records/1.0/search/').type('form').send(Array.from({ length: 10_001 }, (_, i) => `a${i}=1`).join('&'));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Too many parameters in the request body');
  });
});
