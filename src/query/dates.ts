/**
 * Date values in q → explicit `[start, next)` bounds.
 *
 * A literal covers its whole period: `2016` is the year, `2016/09` the month, `2016-09-15T10:00`
 * the minute. Comparisons then use the period's ends (`<= 2016/09` means `< 2016-10-01`,
 * `> 2016` means `>= 2017-01-01`). The bounds are computed here and sent as explicit values:
 * OpenSearch fills the missing parts of a partial date wrongly (`lte "2013/08"` would stop on
 * 2013-08-01T23:59:59.999, docs/opensearch-design.md, One filter compiler for every endpoint).
 *
 * - datetime fields hold instants: a literal without an offset is read in the request's time zone,
 *   and the bounds are UTC instants ("2016-08-31T22:00:00.000Z" for 2016/09 in Europe/Paris).
 * - date fields hold calendar days (indexed as UTC midnights): a literal without a time is that
 *   calendar period whatever the time zone, and the bounds are days ("2016-09-01"). A literal with
 *   a time, and #now, stand for the day they fall on in the request's time zone.
 */
import type { DateParts } from './ast';
import { registeredLru } from './lru';
import { parseFragment } from './parse';
import {
  addCivilDays,
  civilToMillis,
  daysInMonth,
  fixedZone,
  isoDay,
  isoInstant,
  millisToCivil,
  type Civil,
  type Zone,
} from './zone';

export type DateKind = 'date' | 'datetime';

/** Bounds as OpenSearch reads them; `next` is null past year 9999 (the range is then open). */
export interface Period {
  start: string;
  next: string | null;
}

export type PeriodResult = { ok: true; period: Period } | { ok: false; problem: string; offset: number };

export const DATE_FORMS =
  'a date: YYYY, YYYY/MM, YYYY/MM/DD or YYYY-MM-DD, optionally followed by a time (THH:MM[:SS[.fff]], or a space instead of T) and a zone (Z or ±HH:MM)';

type Unit = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond';
const UNIT_MS: Partial<Record<Unit, number>> = { hour: 3_600_000, minute: 60_000, second: 1000, millisecond: 1 };
const MAX_OFFSET_MINUTES = 18 * 60;

// A pure function of its arguments, and luxon's zone arithmetic is slow: recent results are kept.
const periodCache = registeredLru<PeriodResult>(1000, 200);

/**
 * The period a date literal stands for, for a field of `kind`, in `zone`. `parts`: the literal
 * already parsed (the query grammar reads date-shaped values itself); otherwise `text` is parsed.
 */
export function literalPeriod(text: string, kind: DateKind, zone: Zone, parts?: DateParts): PeriodResult {
  const key = `${kind}|${zone.name}|${text}`;
  const cached = periodCache.get(key);
  if (cached !== undefined) return cached;
  let result: PeriodResult;
  if (parts !== undefined) {
    result = periodOfParts(parts, kind, zone);
  } else {
    const parsed = parseFragment('DateLiteral', text);
    result = parsed.ok ? periodOfParts(parsed.value, kind, zone) : { ok: false, problem: `expected ${DATE_FORMS}`, offset: parsed.offset };
  }
  periodCache.set(key, result);
  return result;
}

function periodOfParts(p: DateParts, kind: DateKind, zone: Zone): PeriodResult {
  const invalid = (problem: string): PeriodResult => ({ ok: false, problem, offset: 0 });

  if (p.month !== undefined && (p.month < 1 || p.month > 12)) return invalid(`month ${p.month} is out of range (1-12)`);
  if (p.day !== undefined && (p.day < 1 || p.day > daysInMonth(p.year, p.month ?? 1))) {
    return invalid(`day ${p.day} does not exist in ${p.year}-${String(p.month).padStart(2, '0')}`);
  }
  if (p.hour !== undefined && p.hour > 23) return invalid(`hour ${p.hour} is out of range (0-23)`);
  if (p.minute !== undefined && p.minute > 59) return invalid(`minute ${p.minute} is out of range (0-59)`);
  if (p.second !== undefined && p.second > 59) return invalid(`second ${p.second} is out of range (0-59)`);
  if (p.zone !== undefined && Math.abs(p.zone.offsetMinutes) > MAX_OFFSET_MINUTES) {
    return invalid('the zone offset is out of range (at most ±18:00)');
  }

  const unit: Unit =
    p.fraction !== undefined
      ? 'millisecond'
      : p.second !== undefined
        ? 'second'
        : p.minute !== undefined
          ? 'minute'
          : p.hour !== undefined
            ? 'hour'
            : p.day !== undefined
              ? 'day'
              : p.month !== undefined
                ? 'month'
                : 'year';
  const start: Civil = {
    year: p.year,
    month: p.month ?? 1,
    day: p.day ?? 1,
    hour: p.hour ?? 0,
    minute: p.minute ?? 0,
    second: p.second ?? 0,
    millisecond: p.fraction === undefined ? 0 : Number(`${p.fraction}00`.slice(0, 3)),
  };
  const literalZone = p.zone === undefined ? zone : fixedZone(p.zone.offsetMinutes);
  const hasTime = p.hour !== undefined;

  if (kind === 'date') {
    // A calendar period needs no zone; a time of day names the day it falls on in the request's zone.
    if (!hasTime) return period(isoDay(start), isoDay(nextCivil(start, unit)));
    const day = millisToCivil(civilToMillis(start, literalZone), zone);
    return period(isoDay(day), isoDay(addCivilDays(day, 1)));
  }

  const startMs = civilToMillis(start, literalZone);
  const step = UNIT_MS[unit];
  // Calendar units follow the wall clock (a day can last 23 or 25 hours); clock units are elapsed time.
  const nextMs = step !== undefined ? startMs + step : civilToMillis(nextCivil(start, unit), literalZone);
  return period(isoInstant(startMs), isoInstant(nextMs));
}

/** The period of an instant (#now): the millisecond on datetime fields, its day on date fields. */
export function instantPeriod(ms: number, kind: DateKind, zone: Zone): Period | undefined {
  if (kind === 'datetime') {
    const start = isoInstant(ms);
    return start === undefined ? undefined : { start, next: isoInstant(ms + 1) ?? null };
  }
  const day = millisToCivil(ms, zone);
  const start = isoDay(day);
  return start === undefined ? undefined : { start, next: isoDay(addCivilDays(day, 1)) ?? null };
}

function period(start: string | undefined, next: string | undefined): PeriodResult {
  if (start === undefined) return { ok: false, problem: 'the date is out of range (years 0000-9999)', offset: 0 };
  return { ok: true, period: { start, next: next ?? null } };
}

function nextCivil(c: Civil, unit: Unit): Civil {
  switch (unit) {
    case 'year':
      return { ...c, year: c.year + 1 };
    case 'month':
      return c.month === 12 ? { ...c, year: c.year + 1, month: 1 } : { ...c, month: c.month + 1 };
    default:
      return addCivilDays(c, 1);
  }
}
