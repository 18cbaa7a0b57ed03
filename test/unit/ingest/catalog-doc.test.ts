import { parseDescriptor } from '../../../src/datasets/descriptor';
import { catalogVisibility } from '../../../src/datasets/catalog-doc';
import { buildCatalogDoc } from '../../../src/ingest/catalog-doc';

const descriptor = parseDescriptor({
  datasetid: 'shops',
  metas: {
    title: 'Shops',
    description: '<p>All the shops</p>',
    publisher: 'City',
    license: 'CC BY',
    language: 'fr',
    theme: 'Economy, Shops',
    keyword: ['retail', 'shops'],
    references: 'https://example.org',
    timezone: 'Europe/Paris',
    custom_meta: 'kept',
  },
  fields: [
    { name: 'name', label: 'Name', type: 'text' },
    { name: 'opened', label: 'Opened', type: 'date' },
    { name: 'geo_point_2d', label: 'Point', type: 'geo_point_2d' },
  ],
  extra_metas: { visualization: {} },
});

describe('buildCatalogDoc', () => {
  it('builds the record-layout document and the stored dataset object', () => {
    const { id, doc } = buildCatalogDoc({ descriptor, recordsCount: 42, loadTime: '2026-11-27T10:15:00Z' });
    expect(id).toBe('shops');
    expect(doc).toEqual({
      recordid: 'shops',
      record_timestamp: '2026-11-27T10:15:00Z',
      fields: {
        title: 'Shops',
        description: '<p>All the shops</p>',
        publisher: 'City',
        license: 'CC BY',
        language: 'fr',
        theme: ['Economy', 'Shops'],
        keyword: ['retail', 'shops'],
        references: 'https://example.org',
        records_count: 42,
        modified: '2026-11-27T10:15:00Z',
      },
      dataset: {
        ...descriptor,
        metas: { ...descriptor.metas, records_count: 42, modified: '2026-11-27T10:15:00Z', data_processed: '2026-11-27T10:15:00Z', metadata_processed: '2026-11-27T10:15:00Z' },
        features: ['analyze', 'geo', 'timeserie'],
      },
      __visibility: { public: true, users: [], groups: [] },
    });
  });

  it('indexes the visibility the way the catalog permission filter reads it', () => {
    const restricted = { ...descriptor, visibility: { restricted: { users: ['ann'], groups: ['staff'] } } };
    const { doc } = buildCatalogDoc({ descriptor: restricted, recordsCount: 1, loadTime: '2026-11-27T10:15:00Z' });
    expect(doc.__visibility).toEqual({ public: false, users: ['ann'], groups: ['staff'] });
    expect(catalogVisibility(descriptor)).toEqual({ public: true, users: [], groups: [] });
  });

  it('keeps a given modified date and given features, and carries the load info', () => {
    const d = { ...descriptor, metas: { ...descriptor.metas, modified: '2020-01-02T03:04:05+01:00' }, features: ['geo'] };
    const ingest = { index: 'ods-records-shops.1', version: '1', rows_read: 3, rows_loaded: 2, rows_rejected: 1, loaded_at: 'x', fingerprint: 'f' };
    const { doc } = buildCatalogDoc({ descriptor: d, recordsCount: 2, loadTime: '2026-11-27T10:15:00Z', ingest });
    expect(doc.fields.modified).toBe('2020-01-02T03:04:05+01:00');
    expect(doc.dataset.metas.modified).toBe('2020-01-02T03:04:05+01:00');
    expect(doc.dataset.metas.data_processed).toBe('2026-11-27T10:15:00Z');
    expect(doc.dataset.features).toEqual(['geo']);
    expect(doc.ingest).toEqual(ingest);
  });

  it('names the meta that has a wrong type', () => {
    const d = { ...descriptor, metas: { ...descriptor.metas, modified: 'last tuesday' } };
    expect(() => buildCatalogDoc({ descriptor: d, recordsCount: 1, loadTime: '2026-11-27T10:15:00Z' })).toThrow(/meta "modified": expected a date-time/);
  });
});
