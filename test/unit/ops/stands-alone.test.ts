/**
 * The repository stands alone (docs/architecture.md, habit 9): comments and documents cite files of
 * this repository or public sources, never notes kept outside it, machine paths or tracker numbers,
 * which someone who clones the project cannot follow.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const SCANNED = ['src', 'test', 'docs', 'grammar', 'ops', 'bench', 'web', 'mappings', 'README.md', 'jest.config.js', 'docker-compose.yml', '.ci'];
const SKIPPED_DIRS = new Set(['node_modules', 'generated', 'dist', '.local']);
const TEXT = /\.(ts|js|mjs|cjs|md|peggy|json|yml|yaml|sh|java|html|css|txt)$|^run$/;
const SELF = path.relative(ROOT, __filename);

/** What may not appear, with what to write instead. */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /\bspec\/[\w-]+\.md/, why: 'a private spec file: cite docs/ instead' },
  { pattern: /\.\.\/shared\b|\bshared\/spec\b/, why: 'a folder outside the repository' },
  { pattern: /\/work\//, why: 'a machine path' },
  { pattern: /\bissues? #?\d+\b/i, why: 'a tracker number: say what, not which ticket' },
  { pattern: /\b(v1-api-facts|client-compat|security-quotas|opensearch-design-notes|style-anchors|public-sources)\b/, why: 'a private note: cite docs/ instead' },
  { pattern: /(?<![\w-])design\.md\b/, why: 'a private note: cite docs/architecture.md instead' },
];

function files(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  let st;
  try {
    st = statSync(abs);
  } catch {
    return [];
  }
  if (st.isFile()) return TEXT.test(path.basename(rel)) ? [rel] : [];
  return readdirSync(abs).flatMap((name) => (SKIPPED_DIRS.has(name) ? [] : files(path.join(rel, name))));
}

describe('the repository stands alone', () => {
  const scanned = SCANNED.flatMap(files).filter((f) => f !== SELF && f !== 'docs/openapi.json');

  it('scans the source, tests and documents', () => {
    expect(scanned).toEqual(expect.arrayContaining(['src/app.ts', 'docs/v1-api.md', 'grammar/query.peggy', 'README.md']));
  });

  it('cites no private note, machine path or tracker number', () => {
    const found: string[] = [];
    for (const f of scanned) {
      const lines = readFileSync(path.join(ROOT, f), 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const { pattern, why } of FORBIDDEN) if (pattern.test(line)) found.push(`${f}:${i + 1}: ${why}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('would catch each kind (the patterns match what they are for)', () => {
    const samples = ['see spec/v1-api-facts.md', 'from ../shared/x', 'at /work/main', 'fixed in issue 8', 'client-compat §2', '(design.md, habit 4)'];
    for (const s of samples) expect(FORBIDDEN.some(({ pattern }) => pattern.test(s))).toBe(true);
    expect(FORBIDDEN.some(({ pattern }) => pattern.test('docs/opensearch-design.md, Geocluster'))).toBe(false);
  });
});
