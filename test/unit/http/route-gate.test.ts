import express, { Router } from 'express';
import request from 'supertest';
import { gated, routerPaths } from '../../../src/http/route-gate';

function router(build: (r: Router) => void): Router {
  const r = Router();
  build(r);
  return r;
}
const ok = (name: string) => (_req: express.Request, res: express.Response) => void res.json({ by: name });

describe('routerPaths', () => {
  it('reads whole paths for routes without parameters and literal beginnings for the others', () => {
    const r = router((x) => {
      x.get('/healthz', ok('h'));
      x.get('/API/Records/1.0/search/', ok('s'));
      x.get('/api/datasets/1.0/:datasetid/records', ok('r'));
      x.get('/.well-known/oauth-authorization-server/*rest', ok('w'));
      x.get('/files/{:name}', ok('f'));
      x.use('/assets/web', ok('a'));
    });
    const paths = routerPaths(r)!;
    expect([...paths.exact].sort()).toEqual(['/api/records/1.0/search', '/healthz']);
    expect(paths.prefixes.sort()).toEqual(['/.well-known/oauth-authorization-server/', '/api/datasets/1.0/', '/assets/web', '/files/']);
  });

  it('gives up (every request passes) for a RegExp pattern, middleware for every path, or a route whose pattern starts with a parameter', () => {
    expect(routerPaths(router((x) => x.get(/^\/x/, ok('x'))))).toBeUndefined();
    expect(routerPaths(router((x) => x.use(ok('x'))))).toBeUndefined();
    expect(routerPaths(router((x) => x.get('/:any', ok('x'))))).toBeUndefined();
  });
});

describe('gated', () => {
  const app = express();
  // The admin router, counting the requests it is entered with.
  let adminCalls = 0;
  const adminRouter = router((x) => {
    x.use('/admin', (_req, _res, next) => next());
    x.get('/admin/things', ok('admin'));
  });
  const admin = Object.assign((req: express.Request, res: express.Response, next: express.NextFunction) => (adminCalls++, adminRouter(req, res, next)), { stack: adminRouter.stack });
  app.use(gated(admin as unknown as Router));
  const records = router((x) => {
    x.get('/api/records/1.0/search', ok('search'));
    x.get('/api/datasets/1.0/:datasetid/records', ok('alias'));
  });
  app.use(gated(records));
  const late = Router();
  app.use(gated(late));
  // A route added after the gate was made (and before the first request) is behind the gate too.
  late.get('/late/route', ok('late'));
  const everything = router((x) => x.use((req, res, next) => (req.path === '/catch' ? void res.json({ by: 'catch' }) : next())));
  app.use(gated(everything));

  it('lets a request reach the router one of whose routes matches it, as Express would (any case, trailing slash)', async () => {
    expect((await request(app).get('/api/records/1.0/search').expect(200)).body.by).toBe('search');
    expect((await request(app).get('/API/Records/1.0/SEARCH/').expect(200)).body.by).toBe('search');
    expect((await request(app).get('/api/datasets/1.0/flights/records').expect(200)).body.by).toBe('alias');
    // Past the shared beginning, the router's own patterns decide: no route of it is /records/x.
    await request(app).get('/api/datasets/1.0/flights/records/x').expect(404);
    expect((await request(app).get('/late/route').expect(200)).body.by).toBe('late');
    expect((await request(app).get('/catch').expect(200)).body.by).toBe('catch');
  });

  it('keeps the router (and its middleware) out of requests none of its routes could match', async () => {
    adminCalls = 0;
    await request(app).get('/api/records/1.0/search').expect(200);
    await request(app).get('/administrator').expect(404);
    expect(adminCalls).toBe(0);
    await request(app).get('/admin/things').expect(200);
    expect(adminCalls).toBe(1);
  });

  it('keeps the router stack readable (the request metrics name endpoints from it)', () => {
    expect((gated(records) as unknown as { stack: unknown }).stack).toBe(records.stack);
  });
});
