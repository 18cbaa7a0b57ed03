/**
 * The streamed body of each download format, written record by record with the writers of record
 * search (src/responses/formats): `open()` once, `records(batch, offset)` per page, `close()` once.
 *   csv       header (names, or labels with use_labels_for_header) then one CRLF line per record
 *   json      a bare array of v1 records (no nhits/parameters wrapper: clients map r.fields)
 *   jsonp     callback([...]);
 *   geojson   a FeatureCollection, one Feature per record
 *   geojsonp  callback({FeatureCollection});
 * `pretty_print` does not apply to the streamed formats. Records are written by json-writer.ts
 * (doubles `2.0`); GeoJSON features carry the record's shape first (render with `geometry: 'shape'`).
 */
import type { DatasetDescriptor, FieldDescriptor } from '../datasets/descriptor';
import { csvWriter, protectFormula, quoteCell } from '../responses/formats/csv';
import { geojsonWriter } from '../responses/formats/geojson';
import { recordJson } from '../responses/json-writer';
import type { V1Record } from '../responses/record';
import type { DownloadRequest } from './download-request';

export interface RecordStreamWriter {
  contentType: string;
  /** A file name for Content-Disposition, or undefined to send none. */
  filename?: string;
  open(): string;
  records(batch: readonly V1Record[], offset: number): string;
  close(): string;
}

export function recordStreamWriter(d: DatasetDescriptor, req: DownloadRequest, callback: string | undefined): RecordStreamWriter {
  const wrapOpen = callback ? `/**/${callback}(` : '';
  const wrapClose = callback ? ');' : '';
  const scriptType = 'application/javascript; charset=utf-8';
  const json = recordJson(d);
  switch (req.format) {
    case 'csv': {
      const writer = csvWriter(d, { separator: req.separator, fields: req.fields });
      const byName = new Map(d.fields.map((f) => [f.name, f]));
      const columns = req.fields.map((n) => byName.get(n)).filter((f): f is FieldDescriptor => f !== undefined);
      const labelHeader = () => `${columns.map((f) => quoteCell(protectFormula(f.label), req.separator)).join(req.separator)}\r\n`;
      return {
        contentType: 'text/csv; charset=utf-8',
        filename: `${d.datasetid}.csv`,
        open: () => (req.labels ? labelHeader() : writer.header()),
        records: (batch) => batch.map(writer.row).join(''),
        close: () => '',
      };
    }
    case 'json':
    case 'jsonp':
      return {
        contentType: callback ? scriptType : 'application/json; charset=utf-8',
        ...(callback ? {} : { filename: `${d.datasetid}.json` }),
        open: () => `${wrapOpen}[`,
        records: (batch, offset) => batch.map((r, i) => `${offset + i > 0 ? ',' : ''}${json.record(r)}`).join(''),
        close: () => `]${wrapClose}`,
      };
    case 'geojson':
    case 'geojsonp':
      return {
        contentType: callback ? scriptType : 'application/json; charset=utf-8',
        ...(callback ? {} : { filename: `${d.datasetid}.geojson` }),
        open: () => `${wrapOpen}${geojsonWriter.open()}`,
        records: (batch, offset) => batch.map((r, i) => geojsonWriter.feature(r, offset + i, json)).join(''),
        close: () => `${geojsonWriter.close()}${wrapClose}`,
      };
  }
}
