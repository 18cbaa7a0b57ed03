/**
 * Date rendering as v1 does it (docs/v1-api.md, Record search):
 * - date fields are calendar days: "2020-05-26", whatever the timezone;
 * - datetime fields and record_timestamp: ISO 8601 with the offset of the request's timezone, the
 *   way Python's isoformat() prints them (the v1 service was Python): seconds always, and a
 *   six-digit fraction only when it is not zero ("2016-10-17T19:46:54+00:00",
 *   "2021-01-04T11:22:14.440000+00:00").
 */
import { DateTime, IANAZone } from 'luxon';

export function isValidTimezone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** UTC without luxon: the common case (the default timezone), several times faster per value. */
function formatUtc(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return undefined;
  const frac = d.getUTCMilliseconds() === 0 ? '' : `.${pad(d.getUTCMilliseconds(), 3)}000`;
  return `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}+00:00`;
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Z']);
/** An ISO instant with an explicit offset or Z (what the ingest stores); anything else goes through luxon. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function formatDatetime(value: string | number | Date, timezone: string): string | undefined {
  if (UTC_NAMES.has(timezone)) {
    if (value instanceof Date) return formatUtc(value.getTime());
    if (typeof value === 'number') return formatUtc(value);
    if (ISO_INSTANT.test(value)) return formatUtc(Date.parse(value));
  }
  const dt =
    value instanceof Date
      ? DateTime.fromJSDate(value)
      : typeof value === 'number'
        ? DateTime.fromMillis(value)
        : DateTime.fromISO(value, { setZone: false });
  if (!dt.isValid) return undefined;
  const z = dt.setZone(timezone);
  const base = z.toFormat("yyyy-MM-dd'T'HH:mm:ss");
  const ms = z.millisecond;
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}000`;
  return `${base}${fraction}${z.toFormat('ZZ')}`;
}

export function formatDate(value: string | number): string | undefined {
  if (typeof value === 'number') {
    const dt = DateTime.fromMillis(value, { zone: 'UTC' });
    return dt.isValid ? dt.toFormat('yyyy-MM-dd') : undefined;
  }
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return m ? m[1] : undefined;
}
