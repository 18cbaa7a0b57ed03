import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { bodyParsers, hasBody, parseForm } from '../../../src/http/middleware/form-body';

describe('parseForm', () => {
  it('reads a form as v1 clients send it: + is a space, repeated keys become lists, values decoded', () => {
    const out = parseForm('dataset=a&q=b+c&q=%C3%A9t%C3%A9&refine.x=1&refine.x=2&refine.x=3&empty=&flag', 100)!;
    expect({ ...out }).toEqual({ dataset: 'a', q: ['b c', 'été'], 'refine.x': ['1', '2', '3'], empty: '', flag: '' });
  });

  it('keeps malformed escapes as they are, and prototype names as plain keys', () => {
    const out = parseForm('q=%FF%zz&__proto__=x&constructor=y', 100)!;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out.__proto__).toBe('x');
    expect(out.constructor).toBe('y');
    expect(out.q).toBe('\uFFFD%zz');
  });

  it('refuses more than parameterLimit pairs (undefined), before decoding anything', () => {
    expect(parseForm('a=1&b=2&c=3', 3)).toBeDefined();
    expect(parseForm('a=1&b=2&c=3&d=4', 3)).toBeUndefined();
  });

  it('builds a list of 9 000 values of one key by appending (body-parser copied the list at each value)', () => {
    const out = parseForm(Array.from({ length: 9000 }, (_, i) => `q=${i}`).join('&'), 10_000)!;
    expect(out.q).toHaveLength(9000);
    expect((out.q as string[])[8999]).toBe('8999');
  });
});

describe('bodyParsers', () => {
  const app = express();
  app.use(bodyParsers({ limit: 1000, parameterLimit: 10 }));
  app.all('/echo', (req, res) => void res.json({ body: req.body ?? null }));
  app.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => void res.status(err.status ?? 500).json({ type: err.type }));

  it('reads form and JSON bodies, fixed-length or chunked', async () => {
    expect((await request(app).post('/echo').type('form').send('q=a&q=b').expect(200)).body.body).toEqual({ q: ['a', 'b'] });
    expect((await request(app).post('/echo').send({ x: 1 }).expect(200)).body.body).toEqual({ x: 1 });
    const chunked = request(app).post('/echo').set('Content-Type', 'application/x-www-form-urlencoded').set('Transfer-Encoding', 'chunked');
    chunked.write('dataset=');
    chunked.write('flights');
    expect((await chunked.expect(200)).body.body).toEqual({ dataset: 'flights' });
  });

  it('keeps the limits of the parsers', async () => {
    expect((await request(app).post('/echo').type('form').send('a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11').expect(413)).body.type).toBe('parameters.too.many');
    expect((await request(app).post('/echo').send({ x: 'y'.repeat(2000) }).expect(413)).body.type).toBe('entity.too.large');
  });

  it('passes a request without a body on untouched', async () => {
    expect((await request(app).get('/echo?q=1').expect(200)).body.body).toBeNull();
  });
});

describe('hasBody', () => {
  it('follows RFC 9112 as body-parser does: a Content-Length (even 0) or a Transfer-Encoding', () => {
    expect(hasBody({})).toBe(false);
    expect(hasBody({ 'content-length': '0' })).toBe(true);
    expect(hasBody({ 'content-length': '12' })).toBe(true);
    expect(hasBody({ 'content-length': 'abc' })).toBe(false);
    expect(hasBody({ 'transfer-encoding': 'chunked' })).toBe(true);
  });
});
