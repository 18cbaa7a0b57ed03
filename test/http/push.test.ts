import request from 'supertest';
import { recordIdOf } from '../../src/ingest/record-id';
import { memoryQuotaStore, quotaService } from '../helpers/quota-support';
import { ADMIN_TOKEN, pushApp, type PushApp } from '../helpers/push-app';

const PUSH = '/api/push/1.0/sensors/live/push/';
let ctx: PushApp;
afterEach(async () => ctx?.cleanup());

describe('POST /api/push/1.0/<dataset>/<resource>/push/', () => {
  it('answers {"status": "OK"} and the record is in the dataset', async () => {
    ctx = await pushApp();
    const res = await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'A', value: 1.5 }).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'OK' });
    expect(ctx.backend.recordsOf('sensors').map((r) => r.fields)).toEqual([{ station: 'A', value: 1.5 }]);
  });

  it('accepts an array, any Content-Type (curl -d), and upserts on the id fields', async () => {
    ctx = await pushApp();
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).type('form').send(JSON.stringify([{ station: 'A', value: 1 }, { station: 'B', value: 2 }])).expect(200);
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).set('Content-Type', 'text/plain').send('{"station": "A", "value": 3}').expect(200);
    const recs = ctx.backend.recordsOf('sensors');
    expect(recs.map((r) => [r.recordid, r.fields?.value])).toEqual([
      [recordIdOf({ station: 'A' }, ['station']), 3],
      [recordIdOf({ station: 'B' }, ['station']), 2],
    ]);
  });

  it.each([
    ['without a pushkey', '', 'Missing pushkey: send ?pushkey=<key>, a push key of this dataset resource'],
    ['with a wrong pushkey', '?pushkey=pk_000000000000000000000000000000000000000000000000', 'Push key is not valid for dataset sensors, resource live'],
    ['with a malformed pushkey', '?pushkey=nope', 'Push key is not valid for dataset sensors, resource live'],
  ])('answers 401 with a v1 body %s', async (_what, qs, error) => {
    ctx = await pushApp();
    const res = await request(ctx.app).post(`${PUSH}${qs}`).send({ station: 'A' }).expect(401);
    expect(res.body).toEqual({ errorcode: 10401, error });
    expect(ctx.backend.calls.filter((c) => c.method === 'writeRecords')).toEqual([]);
  });

  it('answers 401 for a key of another resource or dataset, and does not reveal whether the dataset exists', async () => {
    ctx = await pushApp();
    const other = await ctx.keys.create({ dataset: 'sensors', resource: 'archive' });
    await request(ctx.app).post(`${PUSH}?pushkey=${other.key}`).send({ station: 'A' }).expect(401);
    const res = await request(ctx.app).post(`/api/push/1.0/unknown/live/push/?pushkey=${ctx.key}`).send({ station: 'A' }).expect(401);
    expect(res.body.errorcode).toBe(10401);
  });

  it('answers 404 for a key of a dataset that is not in the catalog', async () => {
    ctx = await pushApp();
    const k = await ctx.keys.create({ dataset: 'ghost', resource: 'live' });
    const res = await request(ctx.app).post(`/api/push/1.0/ghost/live/push/?pushkey=${k.key}`).send({ station: 'A' }).expect(404);
    expect(res.body).toEqual({ errorcode: 10404, error: 'Unknown dataset: ghost' });
  });

  it('answers 403 when push is disabled for the dataset', async () => {
    ctx = await pushApp();
    await ctx.keys.setEnabled('sensors', false);
    const res = await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'A' }).expect(403);
    expect(res.body).toEqual({ errorcode: 10403, error: 'Push is disabled for dataset sensors: an administrator can enable it again' });
    await request(ctx.app).get(`/api/push/1.0/sensors/live/abc/delete/?pushkey=${ctx.key}`).expect(403);
  });

  it('answers 400 listing every invalid record with its position and field; nothing is written', async () => {
    ctx = await pushApp();
    const res = await request(ctx.app)
      .post(`${PUSH}?pushkey=${ctx.key}`)
      .send([{ station: 'A', value: 1 }, { station: 'B', value: 'high', colour: 'red' }, { station: 'C', at: 'tomorrow' }])
      .expect(400);
    expect(res.body).toEqual({
      errorcode: 10400,
      problems: [
        { index: 1, field: 'value', error: 'expected a number, got "high"' },
        { index: 1, field: 'colour', error: 'unknown field "colour"; the fields of dataset sensors are: station, value, at, photo' },
        { index: 2, field: 'at', error: expect.stringMatching(/^expected a date-time/) },
      ],
      problems_count: 3,
      error: '2 of 3 records are invalid (3 problems); nothing was pushed: fix them and send the whole batch again',
    });
    expect(ctx.backend.recordsOf('sensors')).toEqual([]);
    expect(ctx.log.all()).toEqual([]);
  });

  it.each([
    ['an empty body', '', 'The push body is empty: send a JSON object (one record) or an array of objects'],
    ['invalid JSON', '{"station": ', expect.stringMatching(/^The push body is not valid JSON/)],
    ['an empty array', '[]', 'The push body is an empty array: send at least one record'],
    ['a scalar', '42', 'The push body must be a JSON object (one record) or an array of objects'],
  ])('answers 400 for %s', async (_what, body, error) => {
    ctx = await pushApp();
    const res = await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).set('Content-Type', 'application/json').send(body).expect(400);
    expect(res.body).toEqual({ errorcode: 10400, error });
  });

  it('answers 413 with a v1 body past 5 MB, although the app-wide limit is 1 MB', async () => {
    ctx = await pushApp();
    const records = Array.from({ length: 2200 }, (_, i) => ({ station: `S${i}`, value: i, at: '2024-01-01T00:00:00Z', pad: 'x'.repeat(2400) }));
    const big = JSON.stringify(records);
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    const res = await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).set('Content-Type', 'application/json').send(big).expect(413);
    expect(res.body).toEqual({
      errorcode: 10413,
      limit_bytes: 5242880,
      error: 'The push body is larger than the limit of 5242880 bytes (5.0 MB): split the batch',
    });
    // 2 MB (over the app-wide 1 MB) is accepted on push
    const medium = Array.from({ length: 800 }, (_, i) => ({ station: `S${i}`, value: i, at: '2024-01-01T00:00:00Z' }));
    const twoMb = JSON.stringify([...medium, { station: 'big', value: 1, at: '2024-01-01T00:00:00Z' }]).replace('"big"', JSON.stringify('y'.repeat(2 * 1024 * 1024)));
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).set('Content-Type', 'application/json').send(twoMb).expect(200);
    expect(ctx.backend.recordsOf('sensors')).toHaveLength(801);
  });

  it('never takes a pushed field named apikey for a credential', async () => {
    ctx = await pushApp();
    const res = await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'A', apikey: 'x', access_token: 'y' }).expect(400);
    expect(res.body.problems.map((p: { field: string }) => p.field)).toEqual(['apikey', 'access_token']);
  });

  it('counts a push against the caller\'s daily quota like any call', async () => {
    ctx = await pushApp({ quota: quotaService(memoryQuotaStore(), { anonymousDailyLimit: 2 }) });
    const first = await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'A' }).expect(200);
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'B' }).expect(200);
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'C' }).expect(429);
  });
});

describe('deletions', () => {
  it('deletes by values (POST .../delete/) and by id (GET .../<record_id>/delete/)', async () => {
    ctx = await pushApp();
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send([{ station: 'A' }, { station: 'B' }, { station: 'C' }]).expect(200);
    const del = await request(ctx.app).post(`/api/push/1.0/sensors/live/delete/?pushkey=${ctx.key}`).send({ station: 'A', value: 0 }).expect(200);
    expect(del.body).toEqual({ status: 'OK' });
    await request(ctx.app).get(`/api/push/1.0/sensors/live/${recordIdOf({ station: 'B' }, ['station'])}/delete/?pushkey=${ctx.key}`).expect(200);
    expect(ctx.backend.recordsOf('sensors').map((r) => r.fields?.station)).toEqual(['C']);
  });

  it('validates a deletion body like a push, and a record id', async () => {
    ctx = await pushApp();
    const res = await request(ctx.app).post(`/api/push/1.0/sensors/live/delete/?pushkey=${ctx.key}`).send([{ nope: 1 }]).expect(400);
    expect(res.body.error).toMatch(/nothing was deleted/);
    await request(ctx.app).get(`/api/push/1.0/sensors/live/${'x'.repeat(200)}/delete/?pushkey=${ctx.key}`).expect(400);
    await request(ctx.app).get(`/api/push/1.0/sensors/live/abc/delete/`).expect(401);
  });
});

describe('push key admin API', () => {
  it('needs ADMIN_TOKEN (or an administrator)', async () => {
    ctx = await pushApp();
    await request(ctx.app).get('/admin/push/keys').expect(401);
    await request(ctx.app).get('/admin/push/keys').set('Authorization', 'Bearer wrong-token-wrong-token').expect(401);
  });

  it('creates a key (shown once), lists keys without it, revokes it', async () => {
    ctx = await pushApp();
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const created = await request(ctx.app).post('/admin/push/keys').set(auth).send({ dataset: 'sensors', resource: 'batch', label: 'nightly' }).expect(201);
    expect(created.body).toEqual({ key: expect.stringMatching(/^pk_[0-9a-f]{48}$/), key_id: expect.any(String), dataset: 'sensors', resource: 'batch', label: 'nightly', created_at: expect.any(String) });
    await request(ctx.app).post(`/api/push/1.0/sensors/batch/push/?pushkey=${created.body.key}`).send({ station: 'Z' }).expect(200);
    const list = await request(ctx.app).get('/admin/push/keys?dataset=sensors').set(auth).expect(200);
    expect(list.body.keys).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    await request(ctx.app).delete(`/admin/push/keys/${created.body.key_id}`).set(auth).expect(204);
    await request(ctx.app).delete(`/admin/push/keys/${created.body.key_id}`).set(auth).expect(404);
    await request(ctx.app).post(`/api/push/1.0/sensors/batch/push/?pushkey=${created.body.key}`).send({ station: 'Z' }).expect(401);
    await request(ctx.app).post('/admin/push/keys').set(auth).send({ dataset: 'sensors' }).expect(400);
  });

  it('disables and enables push for a dataset', async () => {
    ctx = await pushApp();
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await request(ctx.app).get('/admin/push/datasets/sensors').set(auth).expect(200)).body).toEqual({ dataset: 'sensors', push_enabled: true });
    await request(ctx.app).put('/admin/push/datasets/sensors').set(auth).send({ push_enabled: false }).expect(200);
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'A' }).expect(403);
    await request(ctx.app).put('/admin/push/datasets/sensors').set(auth).send({ push_enabled: 'yes' }).expect(400);
    await request(ctx.app).put('/admin/push/datasets/sensors').set(auth).send({ push_enabled: true }).expect(200);
    await request(ctx.app).post(`${PUSH}?pushkey=${ctx.key}`).send({ station: 'A' }).expect(200);
  });
});
