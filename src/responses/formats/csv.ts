/**
 * CSV of v1 records, one record at a time (the streamed download reuses it):
 * `header()` once, then `row(record)` per record, each ending with CRLF (RFC 4180).
 *
 * - columns: the dataset's fields in schema order, or the `fields` order; headers are field names;
 * - separator `;` by default (v1), any single ASCII character but `"`, CR and LF;
 * - cells: values as the JSON record shows them, except geo_point_2d as `lat,lon`, geo_shape as
 *   GeoJSON text written as the v1 service (Python's json module) wrote it, `type` first and a space
 *   after `,` and `:` (`{"type": "Point", "coordinates": [2.28, 48.84]}`, a recorded export of the
 *   public python-odsclient tests), file objects as JSON text, doubles as `2.0` when whole
 *   (json-writer.ts); an absent value is an empty cell;
 * - quoting (RFC 4180): a cell holding the separator, a quote, CR or LF is quoted, quotes doubled;
 * - spreadsheet formula injection: a TEXT cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a
 *   leading `'` (OWASP "CSV injection"), unless it is a plain number such as "-12.5", which no
 *   spreadsheet reads as a formula. Numeric fields are never touched.
 */
import type { DatasetDescriptor, FieldDescriptor } from '../../datasets/descriptor';
import { badParameter } from '../../errors';
import { floatJson } from '../json-writer';
import type { V1Record } from '../record';

export const DEFAULT_CSV_SEPARATOR = ';';

export interface CsvWriter {
  header(): string;
  row(record: V1Record): string;
}

/** `csv_separator`: one ASCII character other than `"`, CR and LF (URL-encoded by clients). */
export function csvSeparatorParam(raw: string | undefined): string {
  if (raw === undefined) return DEFAULT_CSV_SEPARATOR;
  if (raw.length !== 1 || raw.charCodeAt(0) > 0x7f || raw === '"' || raw === '\r' || raw === '\n') {
    throw badParameter('csv_separator', `expected one ASCII character other than a double quote or a line break, got "${raw.slice(0, 10)}"`);
  }
  return raw;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/;

export function protectFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

const QUOTED = /["\r\n]/;

export function quoteCell(cell: string, separator: string): string {
  if (cell.includes(separator) || QUOTED.test(cell)) return `"${cell.replace(/"/g, '""')}"`;
  return cell;
}

/** JSON text with Python's default separators (`, ` and `: `), strings copied as they are. */
export function pythonSeparators(json: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < json.length; i += 1) {
    const c = json[i];
    if (c === '"') {
      for (i += 1; i < json.length && json[i] !== '"'; i += json[i] === '\\' ? 2 : 1);
    } else if (c === ',' || c === ':') {
      out += `${json.slice(from, i + 1)} `;
      from = i + 1;
    }
  }
  return out + json.slice(from);
}

/** A GeoJSON geometry as the v1 CSV wrote it: `type` first, Python separators. */
export function geoJsonText(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const { type, ...rest } = value as { type?: unknown };
  return pythonSeparators(JSON.stringify(type === undefined ? rest : { type, ...rest }));
}

function cellText(field: FieldDescriptor, value: unknown): string {
  if (value === undefined || value === null) return '';
  switch (field.type) {
    case 'text':
      return protectFormula(String(value));
    case 'geo_point_2d':
      return Array.isArray(value) ? value.join(',') : '';
    case 'double':
      return typeof value === 'number' ? floatJson(value) : String(value);
    case 'geo_shape':
      return geoJsonText(value);
    case 'file':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

export function csvWriter(descriptor: DatasetDescriptor, options: { separator: string; fields?: readonly string[] }): CsvWriter {
  const byName = new Map(descriptor.fields.map((f) => [f.name, f]));
  const columns = options.fields
    ? options.fields.map((n) => byName.get(n)).filter((f): f is FieldDescriptor => f !== undefined)
    : descriptor.fields;
  const sep = options.separator;
  const line = (cells: string[]) => `${cells.map((c) => quoteCell(c, sep)).join(sep)}\r\n`;
  return {
    header: () => line(columns.map((f) => f.name)),
    // one string built per record, no intermediate arrays: a download renders millions of rows
    row: (record) => {
      let out = '';
      for (let i = 0; i < columns.length; i += 1) {
        const f = columns[i] as FieldDescriptor;
        if (i > 0) out += sep;
        out += quoteCell(cellText(f, record.fields[f.name]), sep);
      }
      return `${out}\r\n`;
    },
  };
}
