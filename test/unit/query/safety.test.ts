/**
 * Injection safety: whatever q says, the DSL is built from a fixed set of leaf queries; it never
 * holds query_string, scripts, regexps, wildcards, lookups into other indices or index names
 * (docs/security.md: Attack suite, Dataset permissions). Field paths come from the schema, never from q.
 */
import { GatewayError } from '../../../src/errors';
import { assertSafe } from './dsl-safety';
import { dsl } from './fixtures';

const HOSTILE = [
  'query_string',
  'title:query_string',
  'title:"{\\"script\\": \\"x\\"}"',
  'title:*foo* OR title:f?o',
  'title:/a.*b/',
  'title:fo~2',
  '_index:foo OR index:x',
  'script:x',
  '#exact(title, "*")',
  '#startswith(title, ".*")',
  '#search(*, "a* OR b")',
  '#geometry(shape, "indexed_shape")',
  '#attr(county, index)',
  'title:[a TO *] AND NOT title:[* TO b]',
  '#polygon(geo, "(1,1),(1,2),(2,2)") #distance("1,1", 5)',
  'recordid:\'x\' OR record_timestamp<#now()',
  'founded:2016/09 updated>=#now(weekday=MO(2))',
  '"__proto__" constructor prototype',
  'NOT #null(photo) -#null(geo)',
];

describe('DSL safety', () => {
  it.each(HOSTILE)('%s compiles to allowed keys only (or is refused)', (q) => {
    let out: unknown;
    try {
      out = dsl(q, { attributes: { index: ['a', 'b'] } });
    } catch (e) {
      expect(e).toBeInstanceOf(GatewayError);
      expect((e as GatewayError).status).toBe(400);
      return;
    }
    expect(() => assertSafe(out)).not.toThrow();
  });

  it('refuses unknown fields instead of passing their names through', () => {
    for (const q of ['_index:x', 'index:x', 'script:x', 'fields.title:x', '__all:x', '__geo_type:x']) {
      expect(() => dsl(q)).toThrow(GatewayError);
    }
  });

  it('can fail: the checker itself catches a forbidden key', () => {
    expect(() => assertSafe({ bool: { must: [{ query_string: { query: 'x' } }] } })).toThrow(/forbidden key query_string/);
    expect(() => assertSafe({ terms: { 'fields.title': { index: 'other', id: '1', path: 'x' } } })).toThrow(/forbidden key index/);
    expect(() => assertSafe({ regexp: { 'fields.title.keyword': '.*' } })).toThrow(/forbidden/);
  });
});
