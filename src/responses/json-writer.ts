/**
 * JSON text of v1 records, written the way the v1 service (Python) wrote numbers: a `double` field
 * holding a whole value is written `2.0`, never `2`; `int` fields stay `2` (README, compatibility
 * notes). Typed clients (Dart, Kotlin, Python) read `2` as an integer and fail where they expect a
 * float. JSON.stringify cannot write `2.0`, so, per dataset (downloads write millions of records):
 * - a dataset without a double field, and a record without a whole double, are written by
 *   JSON.stringify itself (the fastest path);
 * - otherwise JSON.stringify still writes the record, with markers in place of its whole doubles
 *   (set on the record's own `fields` object, then restored: no copy), and each marker's text is
 *   then replaced by its number's. A marker is a string of NUL, a random nonce of this process,
 *   `:<n>`, NUL; JSON.stringify always escapes NUL, so a marker's text can only also come from a
 *   stored string holding NUL and the nonce: the writer checks that it found each of its markers
 *   exactly once and nothing else like them, and otherwise writes the record field by field
 *   (`slowFields`, the reference: exact).
 * Measured (docs/benchmarks.md): where nearly every record holds a whole double, rendering + writing
 * runs at 0.76× the previous JSON writer (bench/record-render.bench.ts; writing field by field: 0.66–
 * 0.71×), and a 300,000-record JSON download costs the gateway ~19 % more CPU.
 * `prettyJson` indents such a text as JSON.stringify(value, null, 2) would (pretty_print=true).
 */
import type { DatasetDescriptor } from '../datasets/descriptor';
import type { Feature } from './formats/geojson';
import type { V1Record } from './record';

/** A number as Python's json module writes a float: `2.0` for a whole value, else as JSON.stringify. */
export function floatJson(n: number): string {
  // String(n) is JSON.stringify(n) for a finite number; JS switches to exponents at 1e21, where `.0` would be wrong.
  if (Number.isInteger(n)) return n < 1e21 && n > -1e21 ? `${n}.0` : String(n);
  return Number.isFinite(n) ? String(n) : 'null';
}

export interface RecordJson {
  /** True when the dataset has double fields (else every writer is JSON.stringify). */
  readonly custom: boolean;
  record(r: V1Record): string;
  /** `{"k": v, ...}` of a record's fields. */
  fields(fields: Record<string, unknown>): string;
  feature(f: Feature): string;
}

const NONCE = Math.random().toString(36).slice(2, 12);
/** The marker of the n-th whole double of a write: NUL, the nonce, `:n`, NUL. */
export const marker = (n: number): string => `\u0000${NONCE}:${n}\u0000`;
/** How JSON.stringify writes the start and the end of a marker. */
const MARKER_START = JSON.stringify(`\u0000${NONCE}:`).slice(0, -1);
const MARKER_END = JSON.stringify('\u0000').slice(1);

/** Whole doubles taken out of an object for one write, to be put back by `restore`. */
interface Marked {
  names: string[];
  values: number[];
}

export function recordJson(d: DatasetDescriptor): RecordJson {
  const doubles = d.fields.filter((f) => f.type === 'double').map((f) => f.name);
  if (doubles.length === 0) {
    return { custom: false, record: (r) => JSON.stringify(r), fields: (f) => JSON.stringify(f), feature: (f) => JSON.stringify(f) };
  }
  const isDouble = new Set(doubles);

  /** Field by field: the reference writer, used when a marker cannot be trusted. */
  const slowFields = (obj: Record<string, unknown>): string => {
    let out = '{';
    for (const k in obj) {
      const v = obj[k];
      if (v === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(k)}:${isDouble.has(k) && typeof v === 'number' ? floatJson(v) : JSON.stringify(v)}`;
    }
    return `${out}}`;
  };

  /** Puts a numbered marker in place of each whole double of `obj`; undefined when it has none. */
  const mark = (obj: Record<string, unknown>): Marked | undefined => {
    let m: Marked | undefined;
    for (let i = 0; i < doubles.length; i += 1) {
      const name = doubles[i] as string;
      const v = obj[name];
      if (typeof v !== 'number' || !Number.isInteger(v) || v >= 1e21 || v <= -1e21) continue;
      m ??= { names: [], values: [] };
      m.names.push(name);
      obj[name] = marker(m.values.length);
      m.values.push(v);
    }
    return m;
  };
  const restore = (obj: Record<string, unknown>, m: Marked): void => {
    for (let i = 0; i < m.names.length; i += 1) obj[m.names[i] as string] = m.values[i];
  };
  /** `json` with each marker replaced by its number's text, or undefined unless each was found exactly once. */
  const unmark = (json: string, m: Marked): string | undefined => {
    let out = '';
    let from = 0;
    let found = 0;
    const seen = new Uint8Array(m.values.length);
    for (;;) {
      const at = json.indexOf(MARKER_START, from);
      if (at < 0) break;
      const digits = at + MARKER_START.length;
      const end = json.indexOf(MARKER_END, digits);
      const n = end < 0 ? Number.NaN : Number(json.slice(digits, end));
      if (!Number.isInteger(n) || n < 0 || n >= m.values.length || seen[n] === 1 || !/^\d+$/.test(json.slice(digits, end))) return undefined;
      seen[n] = 1;
      found += 1;
      out += `${json.slice(from, at)}${m.values[n] as number}.0`;
      from = end + MARKER_END.length;
    }
    return found === m.values.length ? out + json.slice(from) : undefined;
  };
  /** `value` (holding `obj`) written with `obj`'s whole doubles as `2.0`; `slow` when markers fail. */
  const write = <T>(value: T, obj: Record<string, unknown>, slow: () => string): string => {
    const m = mark(obj);
    if (!m) return JSON.stringify(value);
    let json: string;
    try {
      json = JSON.stringify(value);
    } finally {
      restore(obj, m);
    }
    return unmark(json, m) ?? slow();
  };

  return {
    custom: true,
    fields: (obj) => write(obj, obj, () => slowFields(obj)),
    record: (r) =>
      write(r, r.fields, () => {
        let out = `{"datasetid":${JSON.stringify(r.datasetid)},"recordid":${JSON.stringify(r.recordid)},"fields":${slowFields(r.fields)}`;
        if (r.geometry !== undefined) out += `,"geometry":${JSON.stringify(r.geometry)}`;
        if (r.record_timestamp !== undefined) out += `,"record_timestamp":${JSON.stringify(r.record_timestamp)}`;
        return `${out}}`;
      }),
    feature: (f) =>
      write(f, f.properties, () => `{"type":"Feature","geometry":${JSON.stringify(f.geometry)},"properties":${slowFields(f.properties)}}`),
  };
}

/**
 * `text` (compact JSON, as JSON.stringify writes it) indented by `indent` spaces, exactly as
 * JSON.stringify(JSON.parse(text), null, indent) would be but for the numbers, which are kept as
 * written (`2.0`). Strings are copied as they are, escapes included.
 */
export function prettyJson(text: string, indent = 2): string {
  const pad = ' '.repeat(indent);
  let out = '';
  let depth = 0;
  let i = 0;
  const n = text.length;
  const newline = () => `\n${pad.repeat(depth)}`;
  while (i < n) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      if (text[i + 1] === close) {
        out += c + close;
        i += 2;
      } else {
        depth += 1;
        out += c + newline();
        i += 1;
      }
    } else if (c === '}' || c === ']') {
      depth -= 1;
      out += newline() + c;
      i += 1;
    } else if (c === ',') {
      out += `,${newline()}`;
      i += 1;
    } else if (c === ':') {
      out += ': ';
      i += 1;
    } else {
      let j = i + 1;
      while (j < n && !',:{}[]"'.includes(text[j] as string)) j += 1;
      out += text.slice(i, j);
      i = j;
    }
  }
  return out;
}
