/**
 * A date facet path (`2012`, `2012/09`, `2012/09/11`) → the bounds [gte, lt) of that period, computed
 * by the query language's date literal rules (src/query/dates.ts): UTC instants for datetime fields
 * (the period read in the request timezone), calendar days for date fields.
 */
import type { FieldDescriptor } from '../../datasets/descriptor';
import { literalPeriod } from '../../query/dates';
import { zoneOf } from '../../query/zone';

export type PeriodBounds = { gte: string; lt?: string };

/** The bounds, or undefined when the path is no valid date (month 13, 30 February...). */
export function periodBounds(path: string, field: FieldDescriptor, timezone: string): PeriodBounds | undefined {
  const kind = field.type === 'date' ? 'date' : 'datetime';
  const r = literalPeriod(path, kind, zoneOf(timezone));
  if (!r.ok) return undefined;
  return r.period.next === null ? { gte: r.period.start } : { gte: r.period.start, lt: r.period.next };
}
