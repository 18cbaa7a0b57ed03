/**
 * The binary v2.1 export formats (docs/odsql.md, "Exports"), streamed like the text ones: one page of
 * records in, the bytes ready so far out, so a large export never sits whole in memory.
 *
 *   parquet  hyparquet-writer's ParquetWriter: one row group per page of records, flushed as soon as it
 *            is encoded; only the footer (row group metadata, a few hundred bytes per group) waits
 *            for the end. Column types come from the dataset's field types (int → INT64, double →
 *            DOUBLE, date → DATE, datetime → TIMESTAMP (ms, UTC), geo_point_2d and geo_shape → JSON,
 *            anything else → UTF8); computed select columns take the type of their
 *            first non-null value in the first page (number → DOUBLE, boolean → BOOLEAN, object →
 *            JSON), UTF8 when there is none.
 *   xlsx     exceljs's streaming WorkbookWriter (rows committed as they come, inline strings, no
 *            shared-string table, so memory does not grow with the row count). One worksheet, a
 *            header row of column names; numbers and booleans are typed cells, dates and datetimes
 *            their ISO text, objects their JSON text. A worksheet holds at most XLSX_MAX_ROWS rows
 *            and a cell XLSX_MAX_CELL characters: the route refuses a larger export with a 400
 *            before it starts, a longer text is cut to the cell limit.
 */
import { PassThrough } from 'node:stream';
import type { DatasetDescriptor, FieldDescriptor } from '../../datasets/descriptor';

export type Chunk = string | Uint8Array;

export interface BinaryExportWriter {
  contentType: string;
  open(): Chunk | Promise<Chunk>;
  records(batch: readonly Record<string, unknown>[], offset: number): Chunk | Promise<Chunk>;
  close(): Chunk | Promise<Chunk>;
}

/** Excel's worksheet bounds: 1 048 576 rows (one is the header), 32 767 characters per cell. */
export const XLSX_MAX_ROWS = 1_048_575;
export const XLSX_MAX_CELL = 32_767;

const fieldsByLabel = (d: DatasetDescriptor, labels: readonly string[]) => {
  const byName = new Map(d.fields.map((f) => [f.name, f]));
  return labels.map((l) => byName.get(l));
};

// ----- parquet -----

type HyparquetWriter = typeof import('hyparquet-writer');
type SchemaElement = ConstructorParameters<HyparquetWriter['ParquetWriter']>[0]['schema'][number];
let hyparquetWriterModule: HyparquetWriter | undefined;
function hyparquetWriter(): HyparquetWriter {
  // ES module only: Node 20.19 requires it synchronously (see the ESLint note on require).
  hyparquetWriterModule ??= require('hyparquet-writer') as HyparquetWriter;
  return hyparquetWriterModule;
}

type ParquetKind = 'int' | 'double' | 'boolean' | 'date' | 'datetime' | 'json' | 'text';

function kindOfField(f: FieldDescriptor | undefined): ParquetKind | undefined {
  if (f === undefined) return undefined;
  switch (f.type) {
    case 'int':
      return 'int';
    case 'double':
      return 'double';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'geo_point_2d':
    case 'geo_shape':
      return 'json';
    default:
      return 'text';
  }
}

function kindOfValue(v: unknown): ParquetKind | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'object') return 'json';
  return 'text';
}

function schemaElement(name: string, kind: ParquetKind): SchemaElement {
  const base = { name, repetition_type: 'OPTIONAL' as const };
  switch (kind) {
    case 'int':
      return { ...base, type: 'INT64' };
    case 'double':
      return { ...base, type: 'DOUBLE' };
    case 'boolean':
      return { ...base, type: 'BOOLEAN' };
    case 'date':
      return { ...base, type: 'INT32', converted_type: 'DATE' };
    case 'datetime':
      return { ...base, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
    case 'json':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'JSON' };
    case 'text':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
  }
}

const DAY_MS = 86_400_000;

/** A v2.1 value → what hyparquet-writer takes for that column kind (null when it does not fit). */
function parquetValue(kind: ParquetKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int':
      return typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
    case 'double':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      const t = Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(t) ? null : Math.floor(t / DAY_MS);
    }
    case 'datetime': {
      const t = Date.parse(String(v));
      return Number.isNaN(t) ? null : BigInt(t);
    }
    case 'json':
      return v;
    case 'text':
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

export function parquetExportWriter(d: DatasetDescriptor, labels: readonly string[]): BinaryExportWriter {
  const { ByteWriter, ParquetWriter } = hyparquetWriter();
  const known = fieldsByLabel(d, labels).map(kindOfField);
  const bytes = new ByteWriter();
  let writer: InstanceType<HyparquetWriter['ParquetWriter']> | undefined;
  let kinds: ParquetKind[] = [];
  // Takes what was encoded since the last take, and starts the buffer again (offsets keep counting).
  const take = (): Uint8Array => {
    const out = new Uint8Array(bytes.buffer.slice(0, bytes.index));
    bytes.index = 0;
    return out;
  };
  const start = (first: readonly Record<string, unknown>[]) => {
    kinds = labels.map((l, i) => known[i] ?? first.map((r) => kindOfValue(r[l])).find((k) => k !== undefined) ?? 'text');
    const schema: SchemaElement[] = [{ name: 'root', num_children: labels.length }, ...labels.map((l, i) => schemaElement(l, kinds[i]!))];
    writer = new ParquetWriter({ writer: bytes, schema, createdBy: 'ods-v1-gateway (hyparquet-writer)' });
  };
  return {
    contentType: 'application/vnd.apache.parquet',
    open: () => '',
    records: (batch) => {
      if (writer === undefined) start(batch);
      if (batch.length === 0) return '';
      const columnData = labels.map((l, i) => ({ name: l, data: batch.map((r) => parquetValue(kinds[i]!, r[l])) }));
      void writer!.write({ columnData, rowGroupSize: batch.length });
      return take();
    },
    close: () => {
      if (writer === undefined) start([]);
      void writer!.finish();
      return take();
    },
  };
}

// ----- xlsx -----

type ExcelJs = typeof import('exceljs');
let exceljsModule: ExcelJs | undefined;
function exceljs(): ExcelJs {
  // Loaded on first use: it is large, and only xlsx exports need it.
  exceljsModule ??= require('exceljs') as ExcelJs;
  return exceljsModule;
}

function xlsxCell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'boolean') return v;
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return text.length > XLSX_MAX_CELL ? text.slice(0, XLSX_MAX_CELL) : text;
}

export function xlsxExportWriter(d: DatasetDescriptor, labels: readonly string[]): BinaryExportWriter {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const take = (): Uint8Array => {
    const b = Buffer.concat(chunks);
    chunks.length = 0;
    return b;
  };
  const workbook = new (exceljs().stream.xlsx.WorkbookWriter)({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(d.datasetid.slice(0, 31).replace(/[\\/?*[\]:]/g, '_') || 'records');
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    open: () => {
      sheet.addRow(labels.map((l) => xlsxCell(l))).commit();
      return take();
    },
    records: (batch) => {
      for (const r of batch) sheet.addRow(labels.map((l) => xlsxCell(r[l]))).commit();
      return take();
    },
    close: async () => {
      sheet.commit();
      await workbook.commit();
      await ended;
      return take();
    },
  };
}
