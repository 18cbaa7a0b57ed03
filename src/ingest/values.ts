/**
 * Source value → stored value, one converter per scalar field type. A converter returns `undefined` for
 * an empty value (the field is then absent) and throws a ValueError saying what was expected otherwise.
 * Geo values are in geo.ts.
 */
import { DateTime } from 'luxon';

export class ValueError extends Error {
  override readonly name = 'ValueError';
}

/** Shows a value in a reject reason without flooding the rejects file. */
export function preview(v: unknown): string {
  let s: string;
  if (typeof v === 'string') s = JSON.stringify(v);
  else if (typeof v === 'bigint') s = `${v}n`;
  else if (v instanceof Date) s = `Date(${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`;
  else {
    try {
      s = JSON.stringify(v) ?? String(v);
    } catch {
      s = String(v);
    }
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** null, undefined, '' and whitespace-only strings count as "no value". */
export function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

/**
 * text. Numbers and booleans become their string; objects their JSON. With a multivalued separator, a
 * string is split, each part trimmed and empty parts dropped (an array is taken as the list of values).
 * Without one, an array of scalars is joined with ", ".
 */
export function toText(v: unknown, separator?: string): string | string[] | undefined {
  if (isEmpty(v)) return undefined;
  if (separator !== undefined) {
    const parts = Array.isArray(v) ? v.filter((x) => !isEmpty(x)).map(scalarText) : scalarText(v).split(separator);
    const out = parts.map((p) => p.trim()).filter((p) => p !== '');
    return out.length > 0 ? out : undefined;
  }
  if (Array.isArray(v)) {
    const out = v.filter((x) => !isEmpty(x)).map(scalarText);
    return out.length > 0 ? out.join(', ') : undefined;
  }
  return scalarText(v);
}

/** "A/B/C" → ["A", "A/B", "A/B/C"] (the ancestors used by hierarchical facets). */
export function ancestorPaths(values: string | string[], separator: string): string[] {
  const out = new Set<string>();
  for (const value of Array.isArray(values) ? values : [values]) {
    const parts = value.split(separator);
    for (let i = 1; i <= parts.length; i += 1) out.add(parts.slice(0, i).join(separator));
  }
  return [...out];
}

const INT_RE = /^[+-]?\d+(?:\.0*)?$/;
const DOUBLE_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_COMMA_RE = /^[+-]?\d+,\d+$/;

function bigintToNumber(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ValueError(`integer ${v} is outside the range of safe integers`);
  }
  return Number(v);
}

/** int (stored as long). "12" and 12.0 are accepted; 12.5, "12 m" and unsafe integers are not. */
export function toInt(v: unknown): number | undefined {
  if (isEmpty(v)) return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') n = bigintToNumber(v);
  else if (typeof v === 'string' && INT_RE.test(v.trim())) n = Number(v.trim());
  else throw new ValueError(`expected an integer, got ${preview(v)}`);
  if (!Number.isInteger(n)) throw new ValueError(`expected an integer, got ${preview(v)}`);
  if (!Number.isSafeInteger(n)) throw new ValueError(`integer ${preview(v)} is outside the range of safe integers`);
  return n;
}

/** double. Also accepts a decimal comma ("12,5", common in `;`-separated CSV). */
export function toDouble(v: unknown): number | undefined {
  if (isEmpty(v)) return undefined;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') n = bigintToNumber(v);
  else if (typeof v === 'string') {
    const s = v.trim();
    if (DOUBLE_RE.test(s)) n = Number(s);
    else if (DECIMAL_COMMA_RE.test(s)) n = Number(s.replace(',', '.'));
    else throw new ValueError(`expected a number, got ${preview(v)}`);
  } else throw new ValueError(`expected a number, got ${preview(v)}`);
  if (!Number.isFinite(n)) throw new ValueError(`expected a finite number, got ${preview(v)}`);
  return n;
}

/** Date-only formats tried (with luxon) when the fast paths below do not match; English month names. */
export const DATE_FORMATS = ['MMMM d yyyy', 'MMMM d, yyyy', 'd MMMM yyyy', 'dd.MM.yyyy'] as const;

/** Date-time formats without an offset tried after ISO 8601 and SQL ("2012-01-01 10:00:00"). */
export const DATETIME_FORMATS = ['yyyy/MM/dd HH:mm:ss', 'yyyy/MM/dd HH:mm'] as const;

const ISO_DATE_START = /^[+-]?\d{4,6}-\d{2}-\d{2}(?:$|[T ])/;
const EPOCH_MILLIS = /^-?\d{10,}$/;
// Fast paths (luxon's fromFormat compiles its format on every call: too slow for millions of rows)
const YMD = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;
const MONTH_D_Y = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/; // vega movies: "Jun 12 1998"
const D_MONTH_Y = /^(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})$/;
const MONTHS = new Map<string, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]),
);
const FULL_MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function monthNumber(name: string): number | undefined {
  const n = name.toLowerCase();
  if (n.length === 3) return MONTHS.get(n);
  if (n === 'sept') return 9;
  const i = FULL_MONTHS.indexOf(n);
  return i >= 0 ? i + 1 : undefined;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** "YYYY-MM-DD" when y/m/d is a real calendar date. */
function calendarDate(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1) return undefined;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return undefined;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** The fast paths: YYYY-MM-DD, YYYY/MM/DD, "Jun 12 1998", "12 June 1998". */
function simpleDate(s: string): string | undefined {
  let m = YMD.exec(s);
  if (m) return calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = MONTH_D_Y.exec(s);
  if (m) {
    const month = monthNumber(m[1] as string);
    return month ? calendarDate(Number(m[3]), month, Number(m[2])) : undefined;
  }
  m = D_MONTH_Y.exec(s);
  if (m) {
    const month = monthNumber(m[2] as string);
    return month ? calendarDate(Number(m[3]), month, Number(m[1])) : undefined;
  }
  return undefined;
}

function fromFormats(s: string, formats: readonly string[], zone: string): DateTime | undefined {
  for (const f of formats) {
    const d = DateTime.fromFormat(s, f, { zone, locale: 'en-US', setZone: true });
    if (d.isValid) return d;
  }
  return undefined;
}

function dateTimeOf(v: unknown, zone: string): DateTime | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? DateTime.fromMillis(v, { zone }) : undefined;
  if (typeof v === 'bigint') return DateTime.fromMillis(bigintToNumber(v), { zone });
  if (v instanceof Date) return DateTime.fromJSDate(v, { zone });
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (EPOCH_MILLIS.test(s)) return DateTime.fromMillis(Number(s), { zone });
  if (ISO_DATE_START.test(s)) {
    const iso = DateTime.fromISO(s.replace(' ', 'T'), { zone, setZone: true });
    if (iso.isValid) return iso;
    const sql = DateTime.fromSQL(s, { zone, setZone: true });
    return sql.isValid ? sql : undefined;
  }
  const simple = simpleDate(s);
  if (simple !== undefined) return DateTime.fromISO(simple, { zone, setZone: true });
  return fromFormats(s, DATETIME_FORMATS, zone) ?? fromFormats(s, DATE_FORMATS, zone);
}

/**
 * date → "YYYY-MM-DD". ISO dates and date-times (the date part as written), "YYYY/MM/DD", "Jun 12 1998",
 * "12 June 1998", "June 12, 1998", "DD.MM.YYYY", epoch milliseconds (the date in `zone`). Two-digit-year
 * artefacts such as "Dec 31 2046" are loaded as they are.
 */
export function toDate(v: unknown, zone = 'UTC'): string | undefined {
  if (isEmpty(v)) return undefined;
  if (typeof v === 'string') {
    const fast = simpleDate(v.trim());
    if (fast !== undefined) return fast;
  }
  const d = dateTimeOf(v, zone);
  if (!d || !d.isValid) throw new ValueError(`expected a date (YYYY-MM-DD, YYYY/MM/DD, "Jun 12 1998"...), got ${preview(v)}`);
  const out = d.toISODate();
  if (out === null) throw new ValueError(`date out of range: ${preview(v)}`);
  return out;
}

// The UTC fast path of toDatetime: "YYYY-MM-DD[T ]HH:mm[:ss[.fff]][Z]" (Parquet timestamps, most CSVs).
const ISO_UTC_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz])?$/;
const UTC_ZONES = new Set(['utc', 'gmt']);

/**
 * What luxon's `fromISO(s, { zone, setZone: true }).toISO({ suppressMilliseconds: true })` gives, without
 * luxon, for a UTC instant written in ISO 8601 (a trailing Z, or no offset and a UTC zone); undefined for
 * anything else (then luxon decides). Luxon costs ~9 % of an ingest of 3M timestamps (bench/ profile).
 */
export function fastUtcDatetime(s: string, zone: string): string | undefined {
  const m = ISO_UTC_DATETIME.exec(s);
  if (!m || (m[8] === undefined && !UTC_ZONES.has(zone.toLowerCase()))) return undefined;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  // luxon's own rounding of the fraction (parseMillis), so that both paths agree to the millisecond
  const ms = m[7] === undefined ? 0 : Math.floor(parseFloat(`0.${m[7]}`) * 1000);
  if (y < 1000 || h > 23 || mi > 59 || sec > 59 || calendarDate(y, mo, d) === undefined) return undefined;
  const hms = `${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  return `${m[1]}-${m[2]}-${m[3]}T${hms}${ms === 0 ? '' : `.${pad(ms, 3)}`}Z`;
}

/**
 * datetime → ISO 8601 instant with its offset. A value without an offset is read in `zone` (the
 * descriptor's metas.timezone, default UTC); epoch milliseconds are accepted (numbers or 10+ digits).
 */
export function toDatetime(v: unknown, zone = 'UTC'): string | undefined {
  if (isEmpty(v)) return undefined;
  if (typeof v === 'string') {
    const fast = fastUtcDatetime(v.trim(), zone);
    if (fast !== undefined) return fast;
  }
  const d = dateTimeOf(v, zone);
  if (!d || !d.isValid) throw new ValueError(`expected a date-time (ISO 8601 or epoch milliseconds), got ${preview(v)}`);
  const out = d.toISO({ suppressMilliseconds: true });
  if (out === null) throw new ValueError(`date-time out of range: ${preview(v)}`);
  return out;
}

/** True when luxon knows the IANA zone name. */
export function isValidZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/** What the inference recognises as a date-only or a date-time string. */
export function looksLikeDate(s: string): boolean {
  return simpleDate(s.trim()) !== undefined;
}

export function looksLikeDatetime(s: string): boolean {
  const t = s.trim();
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t)) return false;
  return DateTime.fromISO(t.replace(' ', 'T'), { setZone: true }).isValid;
}
