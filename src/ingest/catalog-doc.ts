/**
 * Builds the catalog document of a dataset (src/datasets/catalog-doc.ts owns its shape) when a load
 * publishes it. The document has the record layout,
 * so that the catalog is searched, faceted and sorted like any dataset (CATALOG_DESCRIPTOR), plus:
 *  - `dataset`: the descriptor as the v1 dataset lookup returns it, with metas.records_count (the loaded
 *    count), metas.modified (the given one, else the load time), metas.data_processed (the load time)
 *    and `features` computed with featuresOf;
 *  - `ingest`: bookkeeping of the load (not part of the v1 object);
 *  - `__visibility`: {public, users, groups} from the descriptor's visibility, indexed, for the catalog
 *    permission filter (src/auth/access.ts catalogVisibilityFilter).
 */
import { CATALOG_DESCRIPTOR, CATALOG_FIELDS } from '../datasets/catalog-descriptor';
import { catalogVisibility, type CatalogDoc, type IngestInfo } from '../datasets/catalog-doc';
import { featuresOf, type DatasetDescriptor } from '../datasets/descriptor';
import { DocumentBuilder } from './document-builder';

export interface CatalogDocInput {
  descriptor: DatasetDescriptor;
  recordsCount: number;
  /** The load time (ISO 8601 with offset). */
  loadTime: string;
  ingest?: IngestInfo;
}

/** The dataset object stored under `dataset`. */
export function publishedDescriptor(input: CatalogDocInput): DatasetDescriptor & { features: string[] } {
  const d = input.descriptor;
  return {
    ...d,
    metas: {
      ...d.metas,
      records_count: input.recordsCount,
      modified: d.metas.modified ?? input.loadTime,
      data_processed: input.loadTime,
      metadata_processed: input.loadTime,
    },
    features: featuresOf(d),
  };
}

/** Builds `{ id, doc }` for `PUT <prefix>-catalog/_doc/<id>`. Throws when a meta has the wrong type. */
export function buildCatalogDoc(input: CatalogDocInput): { id: string; doc: CatalogDoc } {
  const dataset = publishedDescriptor(input);
  const row: Record<string, unknown> = {};
  for (const f of CATALOG_FIELDS) {
    const v = (dataset.metas as Record<string, unknown>)[f.name];
    if (v !== undefined) row[f.name] = v;
  }
  const builder = new DocumentBuilder(CATALOG_DESCRIPTOR, { recordTimestamp: input.loadTime });
  const built = builder.build(row);
  if (!built.ok) throw new Error(`Invalid metas of dataset ${dataset.datasetid}: ${built.reason.replace(/^field/, 'meta')}`);
  const doc: CatalogDoc = {
    ...built.doc,
    recordid: dataset.datasetid,
    dataset,
    __visibility: catalogVisibility(dataset),
  };
  if (input.ingest) doc.ingest = input.ingest;
  return { id: dataset.datasetid, doc };
}
