/**
 * Time zones and wall-clock ("civil") time: the arithmetic both date literals (dates.ts) and #now
 * (now.ts) need. luxon does the IANA zone work; UTC and fixed offsets take a fast path on plain
 * millisecond arithmetic, because luxon's zone offsets cost tens of microseconds per call and
 * most requests use the default UTC.
 */
import { DateTime, IANAZone } from 'luxon';
import { badParameter } from '../errors';

export type Zone =
  | { readonly kind: 'fixed'; readonly name: string; readonly offsetMinutes: number }
  | { readonly kind: 'iana'; readonly name: string; readonly zone: IANAZone };

/** A wall-clock date and time, without a zone. Months and days are 1-based. */
export interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export const UTC: Zone = { kind: 'fixed', name: 'UTC', offsetMinutes: 0 };
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Z']);

// Only valid names are remembered (a bounded set: the IANA database), so attacker-chosen names
// cannot grow it; luxon's own zone cache would keep every name it is given.
const validZones = new Map<string, Zone>();

/**
 * The request's `timezone` (an IANA name, default UTC). An unknown name is a 400 naming the
 * `timezone` parameter.
 */
export function zoneOf(name: string | undefined): Zone {
  if (name === undefined || name === '' || UTC_NAMES.has(name)) return UTC;
  const known = validZones.get(name);
  if (known !== undefined) return known;
  if (name.length > 64 || !IANAZone.isValidZone(name)) {
    throw badParameter('timezone', `unknown time zone "${name.slice(0, 64)}": expected an IANA name such as Europe/Paris or UTC`);
  }
  const zone: Zone = { kind: 'iana', name, zone: IANAZone.create(name) };
  validZones.set(name, zone);
  return zone;
}

export function fixedZone(offsetMinutes: number): Zone {
  return offsetMinutes === 0 ? UTC : { kind: 'fixed', name: `UTC${offsetMinutes > 0 ? '+' : '-'}${Math.abs(offsetMinutes)}m`, offsetMinutes };
}

/** Milliseconds of a civil time read as if it were UTC (years 0..99 included, unlike Date.UTC). */
export function civilAsUtcMillis(c: Civil): number {
  const d = new Date(0);
  d.setUTCFullYear(c.year, c.month - 1, c.day);
  d.setUTCHours(c.hour, c.minute, c.second, c.millisecond);
  return d.getTime();
}

export function utcMillisAsCivil(ms: number): Civil {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

/**
 * The instant of a wall-clock time in a zone. In a DST gap the time moves forward by the gap
 * (02:30 on a spring-forward night in Paris is 03:30+02:00); an ambiguous autumn time takes
 * the later (standard-time) offset, as luxon does.
 */
export function civilToMillis(c: Civil, zone: Zone): number {
  if (zone.kind === 'fixed') return civilAsUtcMillis(c) - zone.offsetMinutes * 60_000;
  return DateTime.fromObject(c, { zone: zone.zone }).toMillis();
}

export function millisToCivil(ms: number, zone: Zone): Civil {
  if (zone.kind === 'fixed') return utcMillisAsCivil(ms + zone.offsetMinutes * 60_000);
  const t = DateTime.fromMillis(ms, { zone: zone.zone });
  return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second, millisecond: t.millisecond };
}

/** Calendar arithmetic on a civil time (no zone involved): days may be negative or large. */
export function addCivilDays(c: Civil, days: number): Civil {
  return days === 0 ? c : utcMillisAsCivil(civilAsUtcMillis(c) + days * 86_400_000);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}

/** Monday = 0 ... Sunday = 6, as Python's datetime.weekday(). */
export function weekdayOf(c: Civil): number {
  return (new Date(civilAsUtcMillis(c)).getUTCDay() + 6) % 7;
}

/** "YYYY-MM-DD" of a civil date; undefined past year 9999 (OpenSearch dates have 4-digit years). */
export function isoDay(c: Pick<Civil, 'year' | 'month' | 'day'>): string | undefined {
  if (!(c.year >= 0 && c.year <= 9999)) return undefined;
  return `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

/** ISO 8601 instant in UTC with milliseconds; undefined outside years 0..9999. */
export function isoInstant(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  const year = d.getUTCFullYear(); // NaN beyond ±8.64e15 ms
  return year >= 0 && year <= 9999 ? d.toISOString() : undefined;
}
