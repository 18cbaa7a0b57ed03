/**
 * resolveField: the one resolver facets, sort and analyze share with q.
 */
import { CATALOG_DESCRIPTOR } from '../../../src/datasets/catalog-descriptor';
import { GatewayError } from '../../../src/errors';
import { PSEUDO_FIELDS, closestFieldNames, lookupField, resolveField, visibleFieldNames } from '../../../src/query';
import { FIELDS } from './fixtures';

const schema = { fields: FIELDS, hidden: new Set(['secret']) };

describe('resolveField', () => {
  it.each<[string, unknown]>([
    ['title', { value: 'fields.title', text: 'fields.title', keyword: 'fields.title.keyword', lower: 'fields.title.lower' }],
    ['population', { value: 'fields.population' }],
    ['founded', { value: 'fields.founded' }],
    ['geo', { value: 'fields.geo' }],
    ['shape', { value: 'fields.shape', geoType: '__geo_type.shape' }],
    ['photo', { value: 'fields.photo' }],
    ['recordid', { value: 'recordid', keyword: 'recordid' }],
    ['record_timestamp', { value: 'record_timestamp' }],
  ])('gives the paths of %s', (name, paths) => {
    const f = resolveField(schema, name, { parameter: 'sort' });
    expect(f.paths).toEqual(paths);
    expect(f.name).toBe(name);
  });

  it('gives the descriptor, the type, and whether it is a pseudo-field', () => {
    const title = resolveField(schema, 'title', { parameter: 'facet' });
    expect(title).toMatchObject({ type: 'text', pseudo: false, descriptor: FIELDS[0] });
    expect(resolveField(schema, 'recordid', { parameter: 'facet' })).toMatchObject({ type: 'text', pseudo: true });
    expect(resolveField(schema, 'record_timestamp', { parameter: 'sort' })).toMatchObject({ type: 'datetime', pseudo: true });
    expect([...PSEUDO_FIELDS.keys()]).toEqual(['recordid', 'record_timestamp']);
  });

  it('throws a 400 naming the parameter and the closest fields for an unknown name', () => {
    let e: unknown;
    try {
      resolveField(schema, 'populaton', { parameter: 'sort' });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).kind).toBe('bad_parameter');
    expect((e as GatewayError).message).toBe(
      'Invalid value for parameter "sort": unknown field "populaton"; known fields, closest first: population, county, updated, photo, founded (and 7 more)',
    );
    expect((e as GatewayError).extra).toEqual({
      parameter: 'sort',
      field: 'populaton',
      known_fields: ['population', 'county', 'updated', 'photo', 'founded'],
    });
  });

  it('reports a position when the name sits in a longer text', () => {
    expect(() => resolveField(schema, 'nope', { parameter: 'y.s.expr', position: { offset: 5, line: 1, column: 6 } })).toThrow(
      expect.objectContaining({ kind: 'bad_parameter', extra: expect.objectContaining({ parameter: 'y.s.expr', position: 5, column: 6 }) }),
    );
  });

  it('treats a hidden field exactly like a missing one', () => {
    const absent = { fields: FIELDS.filter((f) => f.name !== 'secret') };
    const message = (s: typeof schema | typeof absent): string => {
      try {
        resolveField(s, 'secret', { parameter: 'facet' });
      } catch (e) {
        return (e as GatewayError).message;
      }
      return 'resolved';
    };
    expect(message(schema)).toBe(message(absent));
    expect(lookupField(schema, 'secret')).toBeUndefined();
    expect(visibleFieldNames(schema)).not.toContain('secret');
    expect(closestFieldNames(schema, 'secret', 20)).not.toContain('secret');
    expect(lookupField({ fields: FIELDS }, 'secret')).toBeDefined();
  });

  it('resolves the catalog metas with the same API', () => {
    const catalog = { fields: CATALOG_DESCRIPTOR.fields };
    expect(resolveField(catalog, 'publisher', { parameter: 'facet' }).paths.keyword).toBe('fields.publisher.keyword');
    expect(resolveField(catalog, 'modified', { parameter: 'sort' }).type).toBe('datetime');
  });
});
