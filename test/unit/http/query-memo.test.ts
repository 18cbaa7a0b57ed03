import express from 'express';
import request from 'supertest';
import { memoizeQuery } from '../../../src/http/query-memo';

describe('memoizeQuery', () => {
  it('parses the query string once per URL, with the value Express would give, and again when req.url changes', async () => {
    const app = express();
    app.set('query parser', 'simple');
    memoizeQuery(app);
    app.get('/x', (req, res) => {
      const first = req.query;
      const second = req.query;
      req.url = '/x?b=2';
      const third = req.query;
      res.json({ same: first === second, first, third, changed: third !== first });
    });
    const res = await request(app).get('/x?a=1&a=2&c=%C3%A9').expect(200);
    expect(res.body).toEqual({ same: true, first: { a: ['1', '2'], c: 'é' }, third: { b: '2' }, changed: true });
  });

  it('leaves another app alone', async () => {
    const memo = express();
    memoizeQuery(memo);
    const plain = express();
    plain.get('/x', (req, res) => void res.json({ same: req.query === req.query }));
    expect((await request(plain).get('/x?a=1').expect(200)).body.same).toBe(false);
  });
});
