/**
 * Dates as analyze shows them: an x object of integer parts (`{"year": 2020, "month": 3}`), from
 * either `precision`/`periodic` or explicit parts (`x=f.year&x=f.month`, as ods-widgets sends them).
 *
 * Buckets come from a date_histogram at the finest unit the parts need; each bucket's start is then
 * broken into parts in the output zone, and buckets with equal parts are folded together (that is
 * `periodic`: months across years, weekdays...). When the parts are a plain chain from the year
 * down to the histogram unit, the fold is one-to-one.
 *
 * precision/periodic → parts (decisions in docs/analyze-geocluster-download.md):
 *   calendar chain  year > month > day > hour > minute: from `periodic` down to `precision`
 *                   (periodic=year, precision=month → {year, month}; periodic=month, precision=day →
 *                   {month, day});
 *   week chain      year (ISO week-year) > week > weekday > hour > minute, used when precision or
 *                   periodic is `week` (periodic=year, precision=week → {year, week});
 *   weekday         {weekday} (0 = Monday), then hour and minute when precision asks for them (the
 *                   widgets' "hour weekday" timescale reads {weekday, hour}).
 */
import { DateTime } from 'luxon';
import { badParameter } from '../errors';

export const DATE_PARTS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second', 'weekday', 'yearday'] as const;
export type DatePart = (typeof DATE_PARTS)[number];

export const PRECISIONS = ['year', 'month', 'week', 'day', 'hour', 'minute'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const PERIODICS = ['year', 'month', 'week', 'weekday', 'day', 'hour', 'minute'] as const;
export type Periodic = (typeof PERIODICS)[number];

/** A date_histogram calendar_interval. */
export type CalendarUnit = 'year' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second';

const CALENDAR_CHAIN: readonly DatePart[] = ['year', 'month', 'day', 'hour', 'minute'];
const WEEK_CHAIN: readonly DatePart[] = ['year', 'week', 'weekday', 'hour', 'minute'];

/** Precisions from coarse to fine (a field's `timeserie_precision` caps the request's). */
const PRECISION_RANK: Record<string, number> = { year: 0, month: 1, week: 2, day: 3, hour: 4, minute: 5, second: 6 };

/** The finer of two precisions is refused in favour of `max`: clamp. */
export function clampPrecision(p: Precision, max: string | undefined): Precision {
  if (max === undefined || PRECISION_RANK[max] === undefined) return p;
  if ((PRECISION_RANK[p] ?? 0) <= (PRECISION_RANK[max] ?? 0)) return p;
  // `max` may be 'second' (never finer than minute here) or a precision name.
  return (PRECISIONS as readonly string[]).includes(max) ? (max as Precision) : p;
}

/** The parts of an x object for a date field given bare, with `precision` and `periodic`. */
export function partsFor(precision: Precision, periodic: Periodic): DatePart[] {
  if (periodic === 'weekday') {
    const parts: DatePart[] = ['weekday'];
    if (precision === 'hour' || precision === 'minute') parts.push('hour');
    if (precision === 'minute') parts.push('minute');
    return parts;
  }
  if (precision === 'week' || periodic === 'week') {
    if (periodic !== 'year' && periodic !== 'week') {
      throw badParameter('precision', `precision=week goes with periodic=year or periodic=week, not periodic=${periodic}`);
    }
    const index: Record<string, number> = { year: 0, month: 1, week: 1, day: 2, hour: 3, minute: 4 };
    const start = periodic === 'year' ? 0 : 1;
    return WEEK_CHAIN.slice(start, Math.max(start, index[precision] ?? 1) + 1);
  }
  const index: Record<string, number> = { year: 0, month: 1, day: 2, hour: 3, minute: 4 };
  const start = index[periodic] ?? 0;
  return CALENDAR_CHAIN.slice(start, Math.max(start, index[precision] ?? 2) + 1);
}

const UNIT_OF_PART: Record<DatePart, CalendarUnit> = {
  year: 'year',
  month: 'month',
  week: 'week',
  day: 'day',
  weekday: 'day',
  yearday: 'day',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
};
const UNIT_RANK: Record<CalendarUnit, number> = { year: 0, month: 1, week: 2, day: 3, hour: 4, minute: 5, second: 6 };

/** The histogram unit the parts need: the finest of theirs. */
export function intervalFor(parts: readonly DatePart[]): CalendarUnit {
  let unit: CalendarUnit = 'year';
  for (const p of parts) if (UNIT_RANK[UNIT_OF_PART[p]] > UNIT_RANK[unit]) unit = UNIT_OF_PART[p];
  return unit;
}

/**
 * True when each histogram bucket has its own parts and the parts order like the buckets: the parts
 * are the chain from the year down to the unit, in that order. Then no fold happens, and the order
 * of the histogram is the order of x.
 */
export function isChain(parts: readonly DatePart[], unit: CalendarUnit): boolean {
  const chain = CHAIN_OF_UNIT[unit];
  return parts.length === chain.length && parts.every((p, i) => p === chain[i]);
}

const CHAIN_OF_UNIT: Record<CalendarUnit, readonly DatePart[]> = {
  year: ['year'],
  month: ['year', 'month'],
  week: ['year', 'week'],
  day: ['year', 'month', 'day'],
  hour: ['year', 'month', 'day', 'hour'],
  minute: ['year', 'month', 'day', 'hour', 'minute'],
  second: ['year', 'month', 'day', 'hour', 'minute', 'second'],
};

export type DateParts = Partial<Record<DatePart, number>>;

/**
 * The parts of an instant in a zone. weekday: 0 = Monday … 6 = Sunday (v1 doc); yearday: 1..366;
 * week: the ISO week, and then `year` is the ISO week-year, so {year, week} names one week.
 */
export function partsOf(epochMillis: number, zone: string, parts: readonly DatePart[]): DateParts {
  const t = DateTime.fromMillis(epochMillis, { zone });
  const withWeek = parts.includes('week');
  const out: DateParts = {};
  for (const p of parts) {
    switch (p) {
      case 'year':
        out.year = withWeek ? t.weekYear : t.year;
        break;
      case 'month':
        out.month = t.month;
        break;
      case 'week':
        out.week = t.weekNumber;
        break;
      case 'day':
        out.day = t.day;
        break;
      case 'hour':
        out.hour = t.hour;
        break;
      case 'minute':
        out.minute = t.minute;
        break;
      case 'second':
        out.second = t.second;
        break;
      case 'weekday':
        out.weekday = t.weekday - 1;
        break;
      case 'yearday':
        out.yearday = t.ordinal;
        break;
    }
  }
  return out;
}
