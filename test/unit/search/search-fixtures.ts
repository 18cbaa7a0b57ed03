/** Shared inputs of the search unit tests: a descriptor with one field of each facet kind. */
import type { DatasetDescriptor } from '../../../src/datasets/descriptor';
import type { SearchRequest } from '../../../src/search/search-request';

export const shops: DatasetDescriptor = {
  datasetid: 'shops',
  metas: { title: 'Shops', description: 'Shops & markets', publisher: 'Town' },
  fields: [
    { name: 'name', label: 'Name', type: 'text', annotations: [{ name: 'sortable' }] },
    { name: 'city', label: 'City', type: 'text', annotations: [{ name: 'facet' }] },
    { name: 'category', label: 'Category', type: 'text', annotations: [{ name: 'facet' }, { name: 'hierarchical', args: ['/'] }] },
    { name: 'tags', label: 'Tags', type: 'text', annotations: [{ name: 'facet' }, { name: 'multivalued', args: [','] }] },
    { name: 'notes', label: 'Notes', type: 'text' },
    { name: 'staff', label: 'Staff', type: 'int', annotations: [{ name: 'facet' }] },
    { name: 'rating', label: 'Rating', type: 'double' },
    { name: 'opened', label: 'Opened', type: 'date', annotations: [{ name: 'facet' }] },
    { name: 'inspected', label: 'Inspected', type: 'datetime', annotations: [{ name: 'facet' }] },
    { name: 'geo', label: 'Location', type: 'geo_point_2d' },
  ],
  attachments: [],
  alternative_exports: [],
  visibility: 'public',
};

/** The same dataset with a shape: polygons then apply to the shape. */
export const parcels: DatasetDescriptor = {
  ...shops,
  datasetid: 'parcels',
  fields: [...shops.fields, { name: 'outline', label: 'Outline', type: 'geo_shape' }],
};

export function request(overrides: Partial<SearchRequest> = {}): SearchRequest {
  return {
    q: [],
    facets: [],
    refine: new Map(),
    exclude: new Map(),
    disjunctive: new Set(),
    facetsort: new Map(),
    fields: undefined,
    sort: [],
    rows: 10,
    start: 0,
    geofilter: { distance: [], polygon: [], bbox: [] },
    timezone: 'UTC',
    ...overrides,
  };
}
