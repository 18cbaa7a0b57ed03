import { parseDescriptor } from '../../../src/datasets/descriptor';
import { buildCatalogIndexBody, buildIndexBody, fieldMapping } from '../../../src/datasets/mapping';
import { CATALOG_FIELDS } from '../../../src/datasets/catalog-descriptor';
import { CATALOG_VISIBILITY_MAPPING } from '../../../src/datasets/catalog-doc';

const TEXT = {
  type: 'text',
  analyzer: 'ods_text',
  index_prefixes: { min_chars: 1, max_chars: 19 },
  copy_to: '__all',
  fields: {
    keyword: { type: 'keyword', ignore_above: 8191 },
    lower: { type: 'keyword', normalizer: 'ods_lower', ignore_above: 8191 },
  },
};

const ANALYSIS = {
  filter: {
    ods_elision: {
      type: 'elision',
      articles_case: true,
      articles: ['l', 'm', 't', 'qu', 'n', 's', 'j', 'd', 'c', 'jusqu', 'quoiqu', 'lorsqu', 'puisqu'],
    },
  },
  analyzer: { ods_text: { type: 'custom', tokenizer: 'standard', filter: ['ods_elision', 'lowercase', 'asciifolding'] } },
  normalizer: { ods_lower: { type: 'custom', filter: ['lowercase', 'asciifolding'] } },
};

const small = parseDescriptor({
  datasetid: 'small',
  metas: { title: 'Small' },
  fields: [
    { name: 'name', label: 'Name', type: 'text', annotations: [{ name: 'sortable' }] },
    { name: 'category', label: 'Category', type: 'text', annotations: [{ name: 'facet' }, { name: 'hierarchical', args: ['>'] }] },
    { name: 'count', label: 'Count', type: 'int' },
    { name: 'ratio', label: 'Ratio', type: 'double' },
    { name: 'day', label: 'Day', type: 'date' },
    { name: 'at', label: 'At', type: 'datetime' },
    { name: 'geo_point_2d', label: 'Point', type: 'geo_point_2d' },
    { name: 'outline', label: 'Outline', type: 'geo_shape' },
    { name: 'photo', label: 'Photo', type: 'file' },
  ],
});

describe('buildIndexBody', () => {
  it('generates the full index body of a small descriptor', () => {
    expect(buildIndexBody(small)).toEqual({
      // one replica as soon as the cluster has a second data node, none on a single node
      settings: { number_of_shards: 1, auto_expand_replicas: '0-1', refresh_interval: '1s', analysis: ANALYSIS },
      mappings: {
        dynamic: 'strict',
        properties: {
          recordid: { type: 'keyword' },
          record_timestamp: { type: 'date' },
          __all: { type: 'text', analyzer: 'ods_text', index_prefixes: { min_chars: 1, max_chars: 19 } },
          fields: {
            properties: {
              name: TEXT,
              category: TEXT,
              count: { type: 'long' },
              ratio: { type: 'double' },
              day: { type: 'date', format: 'strict_date_optional_time||epoch_millis' },
              at: { type: 'date', format: 'strict_date_optional_time||epoch_millis' },
              geo_point_2d: { type: 'geo_point' },
              outline: { type: 'geo_shape' },
              photo: { type: 'object', dynamic: false, properties: { id: { type: 'keyword' } } }, // file ids indexed
            },
          },
          __paths: { properties: { category: { type: 'keyword' } } },
          __geo_type: { properties: { outline: { type: 'keyword' } } },
          __geo_digest: { properties: { outline: { type: 'keyword' } } },
          __geo_length: { properties: { outline: { type: 'double' } } },
        },
      },
    });
  });

  it('takes the replicas and the refresh interval of a bulk load', () => {
    const body = buildIndexBody(small, { replicas: 2, refreshInterval: '-1' });
    expect(body.settings).toMatchObject({ auto_expand_replicas: false, number_of_replicas: 2, refresh_interval: '-1' });
  });

  it('raises the total fields limit only for wide datasets', () => {
    const wide = parseDescriptor({
      datasetid: 'wide',
      metas: { title: 'Wide' },
      fields: Array.from({ length: 300 }, (_, i) => ({ name: `c${i}`, label: `C${i}`, type: 'text' })),
    });
    expect(buildIndexBody(wide).settings['mapping.total_fields.limit']).toBe(2000);
    expect(buildIndexBody(small).settings).not.toHaveProperty('mapping.total_fields.limit');
  });

  it('maps every field type', () => {
    expect(fieldMapping({ name: 'x', label: 'x', type: 'text' })).toEqual(TEXT);
    expect(fieldMapping({ name: 'x', label: 'x', type: 'int' })).toEqual({ type: 'long' });
  });
});

describe('buildCatalogIndexBody', () => {
  it('is the record layout of the catalog descriptor plus the stored descriptor and load info', () => {
    const body = buildCatalogIndexBody();
    const props = body.mappings.properties;
    expect(Object.keys(props.fields?.properties as object)).toEqual(CATALOG_FIELDS.map((f) => f.name));
    expect(props.dataset).toEqual({ type: 'object', enabled: false });
    expect(props.ingest).toEqual({ type: 'object', enabled: false });
    // the catalog permission filter (src/auth/catalog-visibility.ts) searches these
    expect(props.__visibility).toEqual(CATALOG_VISIBILITY_MAPPING);
    expect(CATALOG_VISIBILITY_MAPPING.properties.users).toEqual({ type: 'keyword' });
    expect((props.fields?.properties as Record<string, unknown>).records_count).toEqual({ type: 'long' });
    expect((props.fields?.properties as Record<string, unknown>).theme).toEqual(TEXT);
    expect(body.mappings.dynamic).toBe('strict');
  });
});
