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

/**
 * The outside names, put together from parts so that this file, which must name them, does not cite
 * them itself (other checkers read it too).
 */
const NOTES_DIR = ['sp', 'ec'].join('');
const OUTSIDE_DIR = ['..', ['sha', 'red'].join('')].join('/');
const MACHINE_DIR = ['', ['wo', 'rk'].join(''), ''].join('/');
const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** What may not appear, with what to write instead. */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: new RegExp(`\\b${NOTES_DIR}\\/[\\w-]+\\.md`), why: 'a file of a notes folder outside the repository: cite docs/ instead' },
  { pattern: new RegExp(`${escaped(OUTSIDE_DIR)}\\b`), why: 'a folder outside the repository' },
  { pattern: new RegExp(escaped(MACHINE_DIR)), why: 'a machine path' },
  { pattern: /\bissues? #?\d+\b/i, why: 'a tracker number: say what, not which ticket' },
];

/** `docs/<name>.md` cited in a line: each must be a document of the repository. */
const CITED_DOC = /\bdocs\/([\w.-]+\.md)\b/g;

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

  it('cites no outside note, machine path or tracker number, and only documents that exist', () => {
    const docs = new Set(readdirSync(path.join(ROOT, 'docs')));
    const found: string[] = [];
    for (const f of scanned) {
      const lines = readFileSync(path.join(ROOT, f), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const at = `${f}:${i + 1}`;
        for (const { pattern, why } of FORBIDDEN) if (pattern.test(line)) found.push(`${at}: ${why}: ${line.trim().slice(0, 120)}`);
        for (const m of line.matchAll(CITED_DOC)) if (!docs.has(m[1]!)) found.push(`${at}: docs/${m[1]} is not in the repository`);
      });
    }
    expect(found).toEqual([]);
  });

  it('would catch each kind (the patterns match what they are for)', () => {
    const samples = [`see ${NOTES_DIR}/notes.md`, `from ${OUTSIDE_DIR}/x`, `at ${MACHINE_DIR}main`, 'fixed in issue 8'];
    for (const s of samples) expect(FORBIDDEN.some(({ pattern }) => pattern.test(s))).toBe(true);
    expect([...'see docs/nowhere.md and docs/v1-api.md'.matchAll(CITED_DOC)].map((m) => m[1])).toEqual(['nowhere.md', 'v1-api.md']);
  });
});
