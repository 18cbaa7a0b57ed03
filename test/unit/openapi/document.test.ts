/**
 * The committed docs/openapi.json is exactly what src/openapi/ builds (regenerate with
 * `npm run openapi`), it passes Redocly's recommended rules, and its parts hold together.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument, openApiJson } from '../../../src/openapi/document';

const ROOT = join(__dirname, '..', '..', '..');

it('docs/openapi.json is the generated document (run npm run openapi after changing src/openapi/)', () => {
  expect(readFileSync(join(ROOT, 'docs', 'openapi.json'), 'utf8')).toBe(openApiJson());
});

it('passes the Redocly linter (recommended rules)', () => {
  let output = '';
  try {
    output = execFileSync(process.execPath, [join(ROOT, 'ops', 'lint-openapi.mjs'), join(ROOT, 'docs', 'openapi.json')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`The linter found problems:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
  expect(output).toMatch(/0 errors, 0 warnings/);
}, 60_000);

it('refers only to components it defines', () => {
  const doc = openApiDocument();
  const text = JSON.stringify(doc);
  const refs = [...new Set([...text.matchAll(/"\$ref":"#\/components\/(\w+)\/([^"]+)"/g)].map((m) => `${m[1]}/${m[2]}`))];
  const missing = refs.filter((r) => {
    const [kind, name] = r.split('/') as [keyof typeof doc.components, string];
    return !(doc.components[kind] as Record<string, unknown> | undefined)?.[name];
  });
  expect(refs.length).toBeGreaterThan(50);
  expect(missing).toEqual([]);
});

it('describes the v1 parameter families as form-exploded objects with name patterns', () => {
  const refine = openApiDocument().components.parameters.refine;
  expect(refine).toMatchObject({ in: 'query', style: 'form', explode: true, schema: { type: 'object', propertyNames: { pattern: '^refine\\.[a-z_][a-z0-9_]*$' } } });
  expect(new RegExp((refine?.schema.propertyNames as { pattern: string }).pattern).test('refine.country_code')).toBe(true);
});

it('offers every v1 credential and OAuth2 with PKCE', () => {
  const schemes = openApiDocument().components.securitySchemes;
  expect(schemes.apikeyHeader).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
  expect(schemes.apikeyQuery).toMatchObject({ type: 'apiKey', in: 'query', name: 'apikey' });
  expect(schemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  expect(schemes.oauth2).toMatchObject({ type: 'oauth2', flows: { authorizationCode: { authorizationUrl: '/oauth2/authorize/', tokenUrl: '/oauth2/token/', refreshUrl: '/oauth2/token/' } } });
  expect(String(schemes.oauth2?.description)).toMatch(/PKCE/);
});
