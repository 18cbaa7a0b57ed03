/**
 * Limits (length, depth, clauses) answered with a 400 before any call to OpenSearch, and the
 * shape of the DSL for long chains: flat, whatever the number of terms.
 */
import { DEFAULT_LIMITS } from '../../../src/query';
import { dsl, dslAll, errorOf, jsonDepth, prefixWord } from './fixtures';

const words = (n: number, op: string): string => Array.from({ length: n }, (_, i) => `w${i}`).join(op);

describe('defaults', () => {
  it('are documented values', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxLength: 10_000, maxDepth: 32, maxClauses: 1024, maxPolygonPoints: 1000 });
  });
});

describe('length', () => {
  it('refuses a q longer than maxLength before parsing it', () => {
    const e = errorOf('a'.repeat(10_001));
    expect(e.kind).toBe('bad_parameter');
    expect(e.message).toBe('Invalid query in parameter "q": the query has 10001 characters; at most 10000 are allowed');
    expect(e.extra).toEqual({ parameter: 'q', limit: 'maxLength', max: 10_000 });
    expect(dsl('a'.repeat(10_000))).toEqual(prefixWord('a'.repeat(10_000)));
  });

  it('bounds all the q values of a request together', () => {
    const e = errorOf(() => dslAll(['a'.repeat(6_000), 'b'.repeat(3_000), 'c'.repeat(2_000)]));
    expect(e.message).toBe(
      'Invalid query in parameter "q" (value 3 of 3): the q values of this request have more than 10000 characters together (11000 up to this one)',
    );
    expect(e.extra).toEqual({ parameter: 'q', limit: 'maxLength', max: 10_000 });
    // q and q.<name> share the bound; 10 000 together is fine.
    expect(() => dslAll([{ parameter: 'q', q: 'a'.repeat(5_000) }, { parameter: 'q.extra', q: 'b'.repeat(5_000) }])).not.toThrow();
    expect(errorOf(() => dslAll([{ parameter: 'q', q: 'a'.repeat(5_000) }, { parameter: 'q.extra', q: 'b'.repeat(5_001) }])).extra).toEqual({
      parameter: 'q.extra',
      limit: 'maxLength',
      max: 10_000,
    });
  });

  it('takes its limit from the context', () => {
    expect(errorOf('abcdef', { limits: { maxLength: 5 } }).extra).toEqual({ parameter: 'q', limit: 'maxLength', max: 5 });
    expect(dsl('abcde', { limits: { maxLength: 5 } })).toEqual(prefixWord('abcde'));
  });
});

describe('depth', () => {
  it('refuses parentheses nested deeper than maxDepth, pointing at the first one too deep', () => {
    const q = `${'('.repeat(33)}a${')'.repeat(33)}`;
    const e = errorOf(q);
    expect(e.kind).toBe('bad_parameter');
    expect(e.message).toBe('Invalid query in parameter "q" at offset 32 (line 1, column 33): parentheses are nested more than 32 levels deep');
    expect(e.extra).toEqual({ parameter: 'q', position: 32, line: 1, column: 33, limit: 'maxDepth', max: 32 });
    expect(dsl(`${'('.repeat(32)}a${')'.repeat(32)}`)).toEqual(prefixWord('a'));
  });

  it('does not count parentheses inside quoted strings', () => {
    expect(dsl(`"${'('.repeat(40)}"`)).toEqual({ match_phrase: { __all: { query: '('.repeat(40), zero_terms_query: 'all' } } });
    expect(dsl(`title:'${'('.repeat(40)}'`)).toEqual({ match_phrase: { 'fields.title': { query: '('.repeat(40) } } });
  });

  it('refuses operators nested deeper than maxDepth', () => {
    const e = errorOf(`${'NOT '.repeat(40)}a`);
    // the 33rd NOT is the first node too deep
    expect(e.message).toBe('Invalid query in parameter "q" at offset 128 (line 1, column 129): operators are nested more than 32 levels deep');
    expect(() => dsl(`${'NOT '.repeat(31)}a`)).not.toThrow();
    // alternating AND / OR cannot be flattened: each level counts
    let q = 'a';
    for (let i = 0; i < 40; i++) q = `x${i} ${i % 2 ? 'AND' : 'OR'} (${q})`;
    expect(errorOf(q).extra).toMatchObject({ limit: 'maxDepth', max: 32 });
  });

  it('answers fast on hostile input of the maximum length (no stack exhaustion)', () => {
    const hostile = [
      '('.repeat(10_000),
      `${'-'.repeat(9_999)}a`,
      `${'NOT '.repeat(2_499)}a`,
      `${'(a OR '.repeat(1_666)}b`,
      'a '.repeat(5_000),
      `${'a OR '.repeat(1_999)}a`,
    ];
    for (const q of hostile) errorOf(q); // warm the JIT up
    for (const q of hostile) {
      // CPU time of this process, so that a busy machine counts less. A 10 000-character chain
      // takes some 40-60 ms when the machine is idle, and was seen past 500 ms on a machine loaded
      // 10 times over (GC threads count too); a quadratic parse of 10 000 characters takes tens of
      // seconds, so a loose bound still catches it without failing on a busy machine.
      const cpu = process.cpuUsage();
      expect(errorOf(q).status).toBe(400);
      const used = process.cpuUsage(cpu);
      expect((used.user + used.system) / 1000).toBeLessThan(3000);
    }
  });

  it('keeps the JSON of the deepest allowed query far below OpenSearch nesting limits', () => {
    let q = 'a';
    for (let i = 0; i < 31; i++) q = `x${i} ${i % 2 ? 'AND' : 'OR'} (${q})`;
    const out = dsl(q);
    expect(jsonDepth(out)).toBeLessThanOrEqual(3 * DEFAULT_LIMITS.maxDepth + 6);
  });
});

describe('clauses', () => {
  it('refuses more than maxClauses terms', () => {
    const e = errorOf(words(1025, ' '));
    expect(e.kind).toBe('bad_parameter');
    expect(e.message).toBe('Invalid query in parameter "q": the query has more than 1024 terms, field queries and functions');
    expect(e.extra).toEqual({ parameter: 'q', limit: 'maxClauses', max: 1024 });
    expect(() => dsl(words(1024, ' OR '))).not.toThrow();
  });

  it('sums the clauses of every q of a request', () => {
    const e = errorOf(() => dslAll([words(600, ' '), words(600, ' ')]));
    expect(e.message).toBe('Invalid query in parameter "q" (value 2 of 2): the query has more than 1024 terms, field queries and functions');
    expect(() => dslAll([words(500, ' '), words(500, ' ')])).not.toThrow();
  });

  it('takes its limit from the context', () => {
    expect(errorOf('a b c', { limits: { maxClauses: 2 } }).extra).toEqual({ parameter: 'q', limit: 'maxClauses', max: 2 });
  });
});

describe('flat DSL for long chains', () => {
  it('turns 1000 ORed words into one bool.should of 1000 clauses', () => {
    const out = dsl(words(1000, ' OR '));
    const should = (out as { bool: { should: unknown[] } }).bool.should;
    expect(Object.keys(out)).toEqual(['bool']);
    expect(should).toHaveLength(1000);
    expect(should[999]).toEqual(prefixWord('w999'));
    expect(out).toEqual({ bool: { should: Array.from({ length: 1000 }, (_, i) => prefixWord(`w${i}`)), minimum_should_match: 1 } });
    expect(jsonDepth(out)).toBe(6);
  });

  it('turns 1000 ANDed terms, explicit or implicit, into one bool.must', () => {
    for (const op of [' AND ', ' ']) {
      const out = dsl(words(1000, op)) as { bool: { must: unknown[] } };
      expect(out.bool.must).toHaveLength(1000);
      expect(jsonDepth(out)).toBe(6);
    }
  });

  it('stays flat when chains are split by parentheses or across q values', () => {
    const grouped = Array.from({ length: 100 }, (_, i) => `(${words(10, ' OR ').replace(/w/g, `g${i}w`)})`).join(' OR ');
    const out = dsl(grouped) as { bool: { should: unknown[] } };
    expect(out.bool.should).toHaveLength(1000);
    expect(jsonDepth(out)).toBe(6);
    const many = dslAll(Array.from({ length: 50 }, (_, i) => `a${i} b${i}`)) as { bool: { must: unknown[] } };
    expect(many.bool.must).toHaveLength(100);
    expect(jsonDepth(many)).toBe(6);
  });

  it('puts 1000 negations side by side in must_not', () => {
    const out = dsl(`a ${Array.from({ length: 999 }, (_, i) => `-n${i}`).join(' ')}`) as { bool: { must: unknown[]; must_not: unknown[] } };
    expect(out.bool.must).toEqual([prefixWord('a')]);
    expect(out.bool.must_not).toHaveLength(999);
    expect(jsonDepth(out)).toBe(6);
  });
});
