/**
 * The front door for people (docs/front-door.md): pages served by the gateway itself, with every
 * asset from the repository (web/) or from npm packages (node_modules), nothing from a CDN.
 *
 *   GET /                                   the catalog page (as /explore/)
 *   GET /api/openapi.json                   the OpenAPI 3.1 document (src/openapi/)
 *   GET /console/                           the API console (Swagger UI over the document)
 *   GET /explore/                           the catalog page
 *   GET /explore/dataset/<id>/              a dataset's page (table, map, chart, export)
 *   GET /assets/web/...                     the pages' scripts and styles (web/)
 *   GET /assets/vendor/<package>/<file>     the few files of npm packages the pages load
 *
 * Pages are static: they read everything through the v1 API, with the visitor's credentials, like
 * any client, so they need no authentication and reveal nothing. Mounted before authentication and
 * quotas: loading a page and its assets costs no API call (the API calls the page makes count).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import express, { Router, type Response } from 'express';

/**
 * The pages load scripts and styles from this origin only; inline styles are allowed because
 * Leaflet, Chart.js and Swagger UI set style attributes; data: and blob: images are map markers and
 * Swagger UI's icons. No inline script anywhere.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/** The files of npm packages the pages use, by URL name: nothing else of node_modules is served. */
export const VENDOR_FILES: Record<string, { pkg: string; dir: string; files: string[] }> = {
  leaflet: {
    pkg: 'leaflet',
    dir: 'dist',
    files: ['leaflet.js', 'leaflet.css', 'images/layers.png', 'images/layers-2x.png', 'images/marker-icon.png', 'images/marker-icon-2x.png', 'images/marker-shadow.png'],
  },
  'chart.js': { pkg: 'chart.js', dir: 'dist', files: ['chart.umd.min.js'] },
  dompurify: { pkg: 'dompurify', dir: 'dist', files: ['purify.min.js'] },
  'topojson-client': { pkg: 'topojson-client', dir: 'dist', files: ['topojson-client.min.js'] },
  'world-atlas': { pkg: 'world-atlas', dir: '', files: ['land-110m.json'] },
  'swagger-ui': {
    pkg: 'swagger-ui-dist',
    dir: '',
    files: ['swagger-ui-bundle.js', 'swagger-ui.css', 'oauth2-redirect.html', 'oauth2-redirect.js', 'favicon-32x32.png', 'favicon-16x16.png'],
  },
};

/** The folder of an installed npm package (some packages do not export their package.json). */
export function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    let dir = dirname(require.resolve(name));
    for (;;) {
      const pj = join(dir, 'package.json');
      if (existsSync(pj) && (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === name) return dir;
      const up = dirname(dir);
      if (up === dir) throw new Error(`Cannot find the folder of the npm package ${name}`);
      dir = up;
    }
  }
}

/** web/ of the repository, from src/http/routes (ts) or dist/src/http/routes (built). */
export function defaultWebDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'web', 'explore', 'index.html'))) return join(dir, 'web');
    const up = dirname(dir);
    if (up === dir) throw new Error(`Cannot find the web/ folder of the gateway above ${from}`);
    dir = up;
  }
}

const WEB_ASSET = /\.(?:js|css|html|svg|png)$/;

function pageHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', 'no-cache');
}

/** The document's JSON, made once per document (tests build many apps over the same one). */
const serialized = new WeakMap<object, string>();
function jsonOf(document: unknown): string {
  if (typeof document !== 'object' || document === null) return JSON.stringify(document);
  let json = serialized.get(document);
  if (json === undefined) {
    json = JSON.stringify(document);
    serialized.set(document, json);
  }
  return json;
}

export interface FrontDoorDeps {
  /** The OpenAPI document served at /api/openapi.json. */
  document: unknown;
  /** The folder of the pages (default: web/ of the repository). */
  webDir?: string;
}

export function frontDoorRoutes(deps: FrontDoorDeps): Router {
  const router = Router();
  const webDir = resolve(deps.webDir ?? defaultWebDir());
  const documentJson = jsonOf(deps.document);

  const page = (file: string) => (_req: unknown, res: Response) => {
    pageHeaders(res);
    res.sendFile(join(webDir, file));
  };

  router.get('/', page('explore/index.html'));
  router.get('/api/openapi.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(documentJson);
  });
  router.get('/console', page('console/index.html'));
  router.get('/explore', page('explore/index.html'));
  router.get('/explore/dataset/:datasetid', page('explore/dataset.html'));

  const assetHeaders = (res: Response, file: string) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Swagger UI's OAuth2 redirect page is the one HTML asset: the pages' policy applies to it too.
    if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', PAGE_CSP);
  };
  // redirect: false — a folder must not be redirected to its trailing-slash form: normalizePath takes
  // the slash away again, and the browser would loop. It is a 404 like any missing asset.
  const web = express.static(webDir, { index: false, redirect: false, fallthrough: true, setHeaders: assetHeaders, maxAge: 0 });
  // What a browser loads, not the folder's tooling (web/tsconfig.json, globals.d.ts).
  router.use('/assets/web', (req, res, next) => (WEB_ASSET.test(req.path) ? web(req, res, next) : next()));
  for (const [name, v] of Object.entries(VENDOR_FILES)) {
    const dir = join(packageDir(v.pkg), v.dir);
    const allowed = new Set(v.files.map((f) => `/${f}`));
    const serve = express.static(dir, { index: false, redirect: false, fallthrough: true, setHeaders: assetHeaders, maxAge: '1d' });
    router.use(`/assets/vendor/${name}`, (req, res, next) => (allowed.has(req.path) ? serve(req, res, next) : next()));
  }
  return router;
}
