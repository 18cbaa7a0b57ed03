/**
 * CSV of catalog search (its v1 layout was never published, docs/v1-api.md, Where the sources are silent): one row per dataset,
 * columns `datasetid` then the searchable metas in CATALOG_FIELDS order, written by the record CSV
 * writer (lists joined with ",", dates in the request timezone).
 */
import { CATALOG_DESCRIPTOR, CATALOG_FIELDS } from '../../datasets/catalog-descriptor';
import type { DatasetDescriptor } from '../../datasets/descriptor';
import { renderRecord } from '../record';
import { csvWriter } from './csv';

const CATALOG_CSV_DESCRIPTOR: DatasetDescriptor = {
  ...CATALOG_DESCRIPTOR,
  fields: [{ name: 'datasetid', label: 'Dataset id', type: 'text' }, ...CATALOG_FIELDS],
};

export function catalogCsv(datasets: DatasetDescriptor[], options: { separator: string; timezone: string }): string {
  const writer = csvWriter(CATALOG_CSV_DESCRIPTOR, { separator: options.separator });
  const rows = datasets.map((d) => {
    const record = renderRecord(
      CATALOG_CSV_DESCRIPTOR,
      { recordid: d.datasetid, fields: { ...d.metas, datasetid: d.datasetid } },
      { timezone: options.timezone },
    );
    return writer.row(record);
  });
  return writer.header() + rows.join('');
}
