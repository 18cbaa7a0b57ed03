/**
 * Property-based fuzzing (fast-check): any input, from random Unicode to soups of the language's
 * own tokens, gives either a safe DSL object or a 4xx GatewayError, quickly. And valid queries
 * survive a print → parse round trip.
 */
import fc from 'fast-check';
import { GatewayError } from '../../../src/errors';
import { compileQuery, printQuery } from '../../../src/query';
import { parseQuery } from '../../../src/query/parse';
import { assertSafe } from './dsl-safety';
import { CTX, shape } from './fixtures';

/** CPU time allowed per compile: queries of everyday length, and queries near the 10 000-character limit. */
const TIME_BUDGET_MS = 50;
const LONG_TIME_BUDGET_MS = 500;

/** Compiles q and checks the outcome; returns the CPU time it took, in milliseconds. */
function compileChecked(q: string): number {
  const cpu = process.cpuUsage();
  let out: unknown;
  let error: unknown;
  try {
    out = compileQuery(q, { ...CTX, attributes: { region: ['a', 'b'] } });
  } catch (e) {
    error = e;
  }
  const used = process.cpuUsage(cpu);
  if (error !== undefined) {
    if (!(error instanceof GatewayError)) throw new Error(`${JSON.stringify(q)} threw a non-GatewayError: ${String(error)}`);
    if (error.status < 400 || error.status > 499) throw new Error(`${JSON.stringify(q)} gave status ${error.status}`);
    if (error.message.length === 0) throw new Error(`${JSON.stringify(q)} gave an empty message`);
  } else {
    if (out === null || typeof out !== 'object') throw new Error(`${JSON.stringify(q)} gave ${String(out)}`);
    assertSafe(out);
    JSON.stringify(out); // serialisable (no cycles, no BigInt)
  }
  return (used.user + used.system) / 1000;
}

const TOKENS = [
  'a', 'film', 'Étoile', "l'", 'jean-claude', ' ', ' ', '  ', '\n', '\t', '"', "'", '\\', '(', ')', '[', ']', '{', '}',
  'AND', 'OR', 'NOT', 'and', 'or', 'not', ' AND ', ' OR ', 'NOT ', '-', '*', '#', ':', '=', '==', '>', '>=', '<', '<=', ',', 'TO', ' TO ',
  'title', 'population', 'area', 'founded', 'updated', 'geo', 'shape', 'photo', 'recordid', 'record_timestamp', 'nope',
  '2016', '2016/09', '2016-09-15', 'T10:00', 'Z', '+02:00', '12', '-5', '1e3', '.5', '99999999999999999999',
  '#now(', '#now()', 'days=-1', 'weekday=MO(2)', 'weekday=XX', 'years=', '#null(', '#exact(', '#search(', '#startswith(',
  '#distance(', '#polygon(', '#geometry(', '#attr(', '#foo(', '"48.85, 2.35"', '"(1,1),(1,2),(2,2)"', '"polygon"', '1000', 'region',
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((parts) => parts.join(''));

describe('fuzz: every input gives a safe DSL or a 4xx error, within the time budget', () => {
  let slowest = 0;
  let slowestLong = 0;
  const run = (arb: fc.Arbitrary<string>, numRuns: number): void => {
    fc.assert(
      fc.property(arb, (q) => {
        const ms = compileChecked(q);
        if (q.length <= 500) slowest = Math.max(slowest, ms);
        else slowestLong = Math.max(slowestLong, ms);
      }),
      { numRuns },
    );
  };

  beforeAll(() => {
    for (const t of TOKENS) compileChecked(t); // warm the JIT before timing
  });

  it('random Unicode strings', () => {
    run(fc.string({ unit: 'binary', maxLength: 200 }), 1500);
  });

  it('random ASCII strings', () => {
    run(fc.string({ unit: 'binary-ascii', maxLength: 200 }), 1500);
  });

  it("strings made of the language's tokens", () => {
    run(tokenSoup, 4000);
  });

  it('long inputs near the length limit', () => {
    run(
      fc.array(fc.constantFrom(...TOKENS), { minLength: 500, maxLength: 2000 }).map((p) => p.join('').slice(0, 10_000)),
      40,
    );
  });

  afterAll(() => {
    if (process.env.FUZZ_REPORT) process.stdout.write(`slowest compile: ${slowest.toFixed(2)} ms, long: ${slowestLong.toFixed(2)} ms of CPU\n`);
    expect(slowest).toBeLessThan(TIME_BUDGET_MS);
    expect(slowestLong).toBeLessThan(LONG_TIME_BUDGET_MS);
  });
});

describe('fuzz: print → parse round trip', () => {
  it('gives back the same tree for every q that parses', () => {
    let parsed = 0;
    fc.assert(
      fc.property(tokenSoup, (q) => {
        let root;
        try {
          root = parseQuery(q, { parameter: 'q' }, 32);
        } catch {
          return; // not a query: nothing to round-trip
        }
        parsed++;
        const printed = printQuery(root);
        expect(shape(parseQuery(printed, { parameter: 'q' }, 32))).toEqual(shape(root));
      }),
      { numRuns: 4000 },
    );
    expect(parsed).toBeGreaterThan(400); // the property was exercised, not vacuously true
  });
});

describe('fuzz: valid queries always compile', () => {
  const word = fc.stringMatching(/^[a-zA-Zé][a-zA-Z0-9é'-]{0,8}$/).filter((w) => !['AND', 'OR', 'NOT'].includes(w));
  const phrase = fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => `"${ws.join(' ')}"`);
  const int = fc.integer({ min: -1e6, max: 1e6 }).map(String);
  const date = fc
    .tuple(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.constantFrom('', '/', '-', 'T'))
    .map(([y, m, d, form]) => {
      const mm = String(m).padStart(2, '0');
      const dd = String(d).padStart(2, '0');
      return form === '' ? `${y}` : form === '/' ? `${y}/${mm}` : form === '-' ? `${y}-${mm}-${dd}` : `${y}-${mm}-${dd}T10:30:00Z`;
    });
  const now = fc
    .subarray(['days=-1', 'weeks=-2', 'weekday=MO(2)', 'hours=3', 'year=2001', 'months=-14', 'microsecond=0'], { maxLength: 3 })
    .map((args) => `#now(${args.join(', ')})`);
  const op = fc.constantFrom(':', '=', '==', '>', '>=', '<', '<=');
  const leaf: fc.Arbitrary<string> = fc.oneof(
    word,
    phrase,
    fc.tuple(fc.constantFrom('title', 'county', 'tags'), op, fc.oneof(word, phrase)).map(([f, o, v]) => `${f}${o}${v}`),
    fc.tuple(fc.constantFrom('population', 'area'), op, int).map(([f, o, v]) => `${f} ${o} ${v}`),
    fc.tuple(fc.constantFrom('founded', 'updated', 'record_timestamp'), op, fc.oneof(date, now)).map(([f, o, v]) => `${f}${o}${v}`),
    fc.tuple(fc.constantFrom('population', 'founded', 'title'), int, int).map(([f, a, b]) => (f === 'founded' ? `${f}:[${Math.abs(+a) % 100 + 1950} TO *]` : `${f}:[${a} TO ${b}]`)),
    fc.constantFrom(
      '#null(photo)',
      '#exact(title, "Paris")',
      '#search(title, county, "jean-c")',
      '#search(*, "x")',
      '#startswith(county, "Wa")',
      '#distance(geo, "48.85, 2.35", 500)',
      '#distance("1,2", 10)',
      '#polygon(shape, "(1,1),(1,2),(2,2)")',
      '#geometry(shape, "polygon")',
      '#attr(county, region)',
      "recordid:'0a1b'",
    ),
  );
  const query = fc.letrec<{ q: string }>((tie) => ({
    q: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('q'), fc.constantFrom(' AND ', ' OR ', ' '), tie('q')).map(([a, o, b]) => `(${a})${o}(${b})`),
      tie('q').map((a) => `NOT (${a})`),
      tie('q').map((a) => `-(${a})`),
    ),
  })).q;

  it('compiles every generated query to a safe DSL', () => {
    expect(fc.sample(query, { numRuns: 200, seed: 1 }).some((q) => q.includes('#now(') && q.includes(' OR '))).toBe(true);
    fc.assert(
      fc.property(query, (q) => {
        const out = compileQuery(q, { ...CTX, timezone: 'Europe/Paris', attributes: { region: 'Wake' } });
        assertSafe(out);
      }),
      { numRuns: 1500 },
    );
  });
});
