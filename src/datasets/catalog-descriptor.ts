/**
 * The catalog is searched with the same query language and facets as records: it is an index whose
 * documents have the record layout (`{recordid: <datasetid>, fields: {<meta>: value}}`) described by
 * this built-in descriptor, plus the whole dataset descriptor under `dataset` (stored, not indexed).
 *
 * Queryable metas (docs/v1-api.md, Dataset lookup and the dataset object): publisher, title, description, license, records_count, modified,
 * language, theme, keyword, references. Catalog facets (docs/v1-api.md, Catalog search): modified, publisher, issued,
 * accrualperiodicity, language, license, granularity, dataquality, theme, keyword, created, creator,
 * contributor.
 */
import type { DatasetDescriptor, FieldDescriptor } from './descriptor';

const facet = { name: 'facet' as const };
const multi = { name: 'multivalued' as const, args: [','] };

export const CATALOG_FIELDS: FieldDescriptor[] = [
  { name: 'title', label: 'Title', type: 'text', annotations: [{ name: 'sortable' }] },
  { name: 'description', label: 'Description', type: 'text' },
  { name: 'publisher', label: 'Publisher', type: 'text', annotations: [facet] },
  { name: 'license', label: 'License', type: 'text', annotations: [facet] },
  { name: 'language', label: 'Language', type: 'text', annotations: [facet] },
  { name: 'theme', label: 'Theme', type: 'text', annotations: [facet, multi] },
  { name: 'keyword', label: 'Keyword', type: 'text', annotations: [facet, multi] },
  { name: 'references', label: 'References', type: 'text' },
  { name: 'records_count', label: 'Records', type: 'int' },
  { name: 'modified', label: 'Modified', type: 'datetime', annotations: [facet, { name: 'timeserie_precision', args: ['day'] }] },
  { name: 'issued', label: 'Issued', type: 'datetime', annotations: [facet, { name: 'timeserie_precision', args: ['day'] }] },
  { name: 'created', label: 'Created', type: 'datetime', annotations: [facet, { name: 'timeserie_precision', args: ['day'] }] },
  { name: 'accrualperiodicity', label: 'Accrual periodicity', type: 'text', annotations: [facet] },
  { name: 'granularity', label: 'Granularity', type: 'text', annotations: [facet] },
  { name: 'dataquality', label: 'Data quality', type: 'text', annotations: [facet] },
  { name: 'creator', label: 'Creator', type: 'text', annotations: [facet] },
  { name: 'contributor', label: 'Contributor', type: 'text', annotations: [facet] },
];

/** A descriptor-shaped view of the catalog, so the query compiler and facets need no special case. */
export const CATALOG_DESCRIPTOR: DatasetDescriptor = {
  datasetid: 'catalog',
  metas: { title: 'Catalog' },
  fields: CATALOG_FIELDS,
  attachments: [],
  alternative_exports: [],
  visibility: 'public',
};
