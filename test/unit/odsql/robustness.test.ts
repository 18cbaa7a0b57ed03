/**
 * Hostile or random clauses never escape as anything but a GatewayError (a 4xx), and stay fast:
 * random text, and random well-formed-looking clauses built from the language's own pieces.
 */
import fc from 'fast-check';
import { compileWhere, parseGroupBy, parseOrderBy, parseSelect, planAggregate } from '../../../src/odsql';
import { GatewayError } from '../../../src/errors';
import { parseDescriptor } from '../../../src/datasets/descriptor';
import { citiesDescriptor } from '../../fixtures/datasets/cities';

const d = parseDescriptor(citiesDescriptor);
const schema = { fields: d.fields };
const now = new Date('2024-05-10T12:00:00Z');

function onlyGatewayErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    expect(e.status).toBeGreaterThanOrEqual(400);
    expect(e.status).toBeLessThan(500);
  }
}

const piece = fc.constantFrom(
  'population', 'name', 'founded', 'updated', 'geo', 'country', 'nope', '`and`', '(', ')', ' and ', ' or ', 'not ', '=', '!=', '>', '<=', ':',
  ' in ', ' like ', ' is ', 'null', 'true', '"x"', "'y'", '1', '-2.5', "date'2020-01'", "date'bad'", "geom'POINT(1 2)'", "geom'POLYGON((0 0,1 0,1 1,0 0))'",
  '10km', 'now()', 'now(days=-1)', '[1..2]', ']1..2[', '("a","b")', 'search(', 'suggest(', 'startswith(', 'within_distance(', 'in_bbox(', 'intersects(', ',', '*',
  'count(*)', 'sum(population)', 'avg(', 'percentile(population, 50)', 'year(founded)', 'range(population, 10)', 'range(population, [1,2])', ' as a', ' desc',
);
const clause = fc.array(piece, { maxLength: 14 }).map((p) => p.join(''));

test('random text: parse and compile answer or refuse with a 4xx', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      onlyGatewayErrors(() => compileWhere(s, { schema, now }));
      onlyGatewayErrors(() => parseSelect(s));
    }),
    { numRuns: 300 },
  );
});

test('clauses made of the language\'s pieces: where, select, group_by, order_by answer or refuse with a 4xx', () => {
  fc.assert(
    fc.property(clause, clause, clause, (w, g, o) => {
      onlyGatewayErrors(() => compileWhere(w, { schema, now }));
      onlyGatewayErrors(() => {
        const select = parseSelect(w);
        const groupBy = parseGroupBy(g);
        const orderBy = parseOrderBy(o);
        planAggregate({ select, selectText: w, groupBy, groupByText: g, orderBy, orderByText: o, schema, timezone: 'UTC' });
      });
    }),
    { numRuns: 500 },
  );
});

test('long hostile input is refused quickly', () => {
  const started = Date.now();
  expect(() => compileWhere('not '.repeat(2400) + 'population > 1', { schema, now })).toThrow(/nested more than 32 levels/);
  onlyGatewayErrors(() => compileWhere('a and '.repeat(1600) + 'a', { schema, now }));
  onlyGatewayErrors(() => compileWhere('"'.repeat(9000), { schema, now }));
  expect(Date.now() - started).toBeLessThan(2000);
});
