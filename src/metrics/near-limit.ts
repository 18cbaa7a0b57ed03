/**
 * `ods_quota_identities_near_limit`: the identities this process checked today whose consumption is
 * at least 80 % of their limit (Envoy ratelimit's `near_limit` ratio). Maintained from quota
 * decisions, so it costs nothing at scrape time; memory is bounded (`maxTracked` identities: past it
 * the gauge saturates instead of growing without end).
 */
import { utcDay } from '../quota/clock';

export class NearLimitTracker {
  /** identity → the UTC day it was last seen near its limit. */
  private readonly entries = new Map<string, string>();

  constructor(
    private readonly now: () => number = Date.now,
    readonly ratio = 0.8,
    readonly maxTracked = 10_000,
  ) {}

  observe(identity: string, day: string, used: number | undefined, limit: number): void {
    if (used === undefined) return;
    const near = limit <= 0 || used >= this.ratio * limit;
    if (!near) {
      this.entries.delete(identity);
      return;
    }
    if (!this.entries.has(identity) && this.entries.size >= this.maxTracked) this.purge();
    if (this.entries.has(identity) || this.entries.size < this.maxTracked) this.entries.set(identity, day);
  }

  /** Identities near their limit today (yesterday's are dropped: the window reset at midnight). */
  count(): number {
    this.purge();
    return this.entries.size;
  }

  private purge(): void {
    const today = utcDay(this.now());
    for (const [identity, day] of this.entries) if (day !== today) this.entries.delete(identity);
  }
}
