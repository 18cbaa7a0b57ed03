/**
 * The catalog search uses the same language over the metas (CATALOG_DESCRIPTOR): nothing special.
 */
import { CATALOG_DESCRIPTOR } from '../../../src/datasets/catalog-descriptor';
import { compileQuery } from '../../../src/query';
import { NOW, prefixWord } from './fixtures';

const catalog = (q: string) => compileQuery(q, { schema: { fields: CATALOG_DESCRIPTOR.fields }, now: NOW });

describe('catalog search', () => {
  it.each<[string, unknown]>([
    ['transport', prefixWord('transport')],
    ['publisher:"Ville de Paris"', { match_phrase: { 'fields.publisher': { query: 'Ville de Paris' } } }],
    ['theme==Environnement', { term: { 'fields.theme.lower': 'Environnement' } }],
    ['records_count >= 50', { range: { 'fields.records_count': { gte: 50 } } }],
    ['modified >= 2013/02', { range: { 'fields.modified': { gte: '2013-02-01T00:00:00.000Z' } } }],
    ['modified > #now(years=-1)', { range: { 'fields.modified': { gte: '2023-05-15T10:30:00.001Z' } } }],
    ['language:fr AND NOT #null(license)', {
      bool: { must: [{ match_phrase: { 'fields.language': { query: 'fr' } } }, { exists: { field: 'fields.license' } }] },
    }],
    ["recordid:'my-dataset'", { term: { recordid: 'my-dataset' } }],
  ])('%s', (q, expected) => {
    expect(catalog(q)).toEqual(expected);
  });

  it('names the metas when a field is unknown', () => {
    expect(() => catalog('titel:x')).toThrow('unknown field "titel"; known fields, closest first: title, theme, license, issued, created (and 14 more)');
  });
});
