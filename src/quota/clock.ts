/**
 * Calendar arithmetic of the daily window (docs/v1-api.md, Quotas and errors: quotas reset at 00:00 UTC).
 * rate-limiter-flexible's window starts at a key's first call, not at midnight (its README,
 * github.com/animir/node-rate-limiter-flexible), so the day is part of every counter key and the key's TTL runs to the next midnight.
 */

export const DAY_MS = 86_400_000;

/** The UTC day of an instant, `YYYY-MM-DD` (the day part of quota keys). */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

/** The next 00:00:00 UTC strictly after `nowMs`, in milliseconds. */
export function nextMidnightMs(nowMs: number): number {
  return (Math.floor(nowMs / DAY_MS) + 1) * DAY_MS;
}

/** Whole seconds from `nowMs` to the next midnight, at least 1 (a 0 TTL would make a key eternal). */
export function secondsToMidnight(nowMs: number): number {
  return Math.max(1, Math.ceil((nextMidnightMs(nowMs) - nowMs) / 1000));
}

/** `X-RateLimit-Reset`: the next midnight as Unix epoch seconds. */
export function resetEpochSeconds(nowMs: number): number {
  return nextMidnightMs(nowMs) / 1000;
}

/** The body's `reset_time`: the same instant as `X-RateLimit-Reset`, `YYYY-MM-DDT00:00:00Z`. */
export function resetTimeIso(nowMs: number): string {
  return `${utcDay(nextMidnightMs(nowMs))}T00:00:00Z`;
}

/** `YYYY-MM-DD` of a valid calendar day, or undefined. */
export function parseDay(raw: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
  const ms = Date.parse(`${raw}T00:00:00Z`);
  return Number.isNaN(ms) || utcDay(ms) !== raw ? undefined : raw;
}
