/**
 * `#now(...)`: the current instant, moved with Python dateutil's `relativedelta` semantics
 * (docs/v1-api.md, Query language), computed here because OpenSearch date math cannot say "MO(2)".
 *
 *   plural names shift:   years, months, weeks, days, hours, minutes, seconds, microseconds
 *   singular names set:   year, month, day, hour, minute, second, microsecond
 *   weekday:              0..6 or MO..SU, optionally MO(n): the n-th such day from the result on
 *
 * relativedelta's order is kept: absolute fields, then the relative shift, then the weekday. As in
 * Python (an aware datetime plus a timedelta), the arithmetic is on the wall clock of the request's
 * time zone; the result is then read as an instant in that zone. The clock is `ctx.now`, injected,
 * so results are deterministic. Precision is the millisecond (microseconds are truncated).
 */
import { WEEKDAYS, type LocationRange, type NowArg } from './ast';
import {
  addCivilDays,
  civilAsUtcMillis,
  civilToMillis,
  daysInMonth,
  millisToCivil,
  utcMillisAsCivil,
  weekdayOf,
  type Civil,
  type Zone,
} from './zone';

const RELATIVE = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'microseconds'] as const;
const ABSOLUTE = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond'] as const;
type Relative = (typeof RELATIVE)[number];
type Absolute = (typeof ABSOLUTE)[number];

const ABSOLUTE_RANGE: Record<Absolute, [number, number]> = {
  year: [1, 9999],
  month: [1, 12],
  day: [1, 31],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 59],
  microsecond: [0, 999_999],
};

export const NOW_ARGUMENTS = [...RELATIVE, ...ABSOLUTE, 'weekday'] as const;

export interface NowProblem {
  message: string;
  location: LocationRange;
}

export type NowResult = { ok: true; ms: number } | { ok: false; problems: NowProblem[] };

interface Delta {
  rel: Record<Relative, number>;
  abs: Partial<Record<Absolute, number>>;
  weekday?: { day: number; nth: number };
}

/** Reads and checks the arguments; every problem is reported, each at its argument. */
function readArguments(args: readonly NowArg[], problems: NowProblem[]): Delta {
  const delta: Delta = { rel: { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0, microseconds: 0 }, abs: {} };
  const seen = new Set<string>();
  for (const arg of args) {
    const problem = (message: string): void => void problems.push({ message, location: arg.location });
    const { name, value } = arg;
    if (seen.has(name)) {
      problem(`#now argument "${name}" is given twice`);
      continue;
    }
    seen.add(name);
    if (name === 'weekday') {
      if (value.kind === 'int') {
        if (value.value < 0 || value.value > 6) problem(`#now weekday ${value.value} is out of range: expected 0 (Monday) to 6 (Sunday), or MO..SU`);
        else delta.weekday = { day: value.value, nth: 1 };
      } else if (value.nth === 0) {
        problem(`#now weekday ${value.day}(0) is not allowed: n counts from 1 (or -1 backwards)`);
      } else {
        delta.weekday = { day: WEEKDAYS.indexOf(value.day), nth: value.nth ?? 1 };
      }
    } else if ((RELATIVE as readonly string[]).includes(name) || (ABSOLUTE as readonly string[]).includes(name)) {
      if (value.kind !== 'int') {
        problem(`#now argument "${name}" expects an integer, not a weekday`);
      } else if (!Number.isSafeInteger(value.value)) {
        problem(`#now argument "${name}" is out of range`);
      } else if ((RELATIVE as readonly string[]).includes(name)) {
        delta.rel[name as Relative] = value.value;
      } else {
        const [min, max] = ABSOLUTE_RANGE[name as Absolute];
        if (value.value < min || value.value > max) problem(`#now argument ${name}=${value.value} is out of range (${min}-${max})`);
        else delta.abs[name as Absolute] = value.value;
      }
    } else {
      problem(`unknown #now argument "${name}": expected ${NOW_ARGUMENTS.join(', ')}`);
    }
  }
  return delta;
}

/** Applies relativedelta's steps to the wall-clock time `c`; undefined when it leaves years 1..9999. */
function applyDelta(c: Civil, d: Delta): Civil | undefined {
  // 1. Absolute year and month, then the relative years and months (as one month count).
  const months = ((d.abs.year ?? c.year) + d.rel.years) * 12 + ((d.abs.month ?? c.month) - 1) + d.rel.months;
  const year = Math.floor(months / 12);
  const month = months - year * 12 + 1;
  if (year < 1 || year > 9999) return undefined;
  // 2. The day is clipped to the month (Jan 31 + 1 month = Feb 28/29); absolute time fields replace.
  const replaced: Civil = {
    year,
    month,
    day: Math.min(daysInMonth(year, month), d.abs.day ?? c.day),
    hour: d.abs.hour ?? c.hour,
    minute: d.abs.minute ?? c.minute,
    second: d.abs.second ?? c.second,
    millisecond: d.abs.microsecond !== undefined ? Math.floor(d.abs.microsecond / 1000) : c.millisecond,
  };
  // 3. The relative shift below a month, as a timedelta on the wall clock.
  const shiftMs =
    (d.rel.days + 7 * d.rel.weeks) * 86_400_000 +
    d.rel.hours * 3_600_000 +
    d.rel.minutes * 60_000 +
    d.rel.seconds * 1000 +
    Math.trunc(d.rel.microseconds / 1000);
  let result = shiftMs === 0 ? replaced : utcMillisAsCivil(civilAsUtcMillis(replaced) + shiftMs);
  // 4. The weekday: MO(+n) is the n-th Monday on or after the date, MO(-n) on or before it.
  if (d.weekday !== undefined) {
    const { day, nth } = d.weekday;
    const current = weekdayOf(result);
    let jump = (Math.abs(nth) - 1) * 7;
    jump = nth > 0 ? jump + mod7(7 - current + day) : -(jump + mod7(current - day));
    result = addCivilDays(result, jump);
  }
  return Number.isFinite(result.year) && result.year >= 1 && result.year <= 9999 ? result : undefined;
}

/**
 * The instant `#now(args)` stands for, at `now` in `zone`.
 *
 * @example evaluateNow(parse('#now(weeks=-2, weekday=1)').args, now, UTC) // the Tuesday before last
 */
export function evaluateNow(args: readonly NowArg[], now: Date, zone: Zone, location: LocationRange): NowResult {
  const problems: NowProblem[] = [];
  const delta = readArguments(args, problems);
  if (problems.length > 0) return { ok: false, problems };
  const result = applyDelta(millisToCivil(now.getTime(), zone), delta);
  if (result === undefined) return { ok: false, problems: [{ message: '#now(...) falls outside years 1-9999', location }] };
  return { ok: true, ms: civilToMillis(result, zone) };
}

function mod7(n: number): number {
  return ((n % 7) + 7) % 7;
}
