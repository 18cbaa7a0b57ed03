/**
 * Daily quotas (docs/v1-api.md, Quotas and errors; docs/quotas-and-monitoring.md): one decision per API call.
 *
 * - One counter per identity and UTC day (`<day>:user:<id>` / `<day>:ip:<address>`), created with a
 *   TTL to the next midnight: the window is the calendar day, whatever the first call's time.
 * - Limits: anonymous / authenticated defaults, a per-identity override (Redis hash, admin API, CLI),
 *   and an optional domain-wide cap (one more counter, `<day>:domain`).
 * - A refused call does not count: the counter is incremented atomically, and a call that lands past
 *   the limit gives its unit back. Admission stays exact under concurrency (each call sees a distinct
 *   count; a give-back only ever follows an increment from ≥ limit), and raising a limit during the
 *   day takes effect at once.
 * - The identity is checked first; only a call within its own quota is charged to the domain cap.
 * - Store failure (QuotaStoreError, never a RateLimiterRes): fail-open through an in-process insurance
 *   store capped at QUOTA_FAIL_OPEN_PERCENT of each limit, or fail-closed (503). Every store call is
 *   time-bounded, so nothing hangs.
 */
import type { Logger } from '../logger';
import { resetEpochSeconds, resetTimeIso, secondsToMidnight, utcDay, nextMidnightMs } from './clock';
import type { QuotaRejection } from './errors';
import { memoryQuotaStore, QuotaStoreError, type QuotaStore, type TopEntry } from './store';

export type FailurePolicy = 'open' | 'closed';
export type DecisionOutcome = 'allowed' | 'rejected' | 'fail_open' | 'fail_closed';
export type PrincipalKind = 'anonymous' | 'user';

export interface QuotaSettings {
  anonymousDailyLimit: number;
  userDailyLimit: number;
  /** 0: no domain-wide cap. */
  domainDailyLimit: number;
  failurePolicy: FailurePolicy;
  /** Share (1–100 %) of each limit one process may admit from its insurance store while Redis is down. */
  failOpenPercent: number;
  /** How long a process reuses the overrides it read from the store. */
  overridesRefreshMs: number;
}

export interface QuotaDecision {
  outcome: DecisionOutcome;
  identity: string;
  principal: PrincipalKind;
  day: string;
  /** The identity's daily limit. */
  identityLimit: number;
  /** Calls counted for the identity today, this one included when admitted (the insurance count during an outage). */
  identityUsed: number | undefined;
  /** X-RateLimit-* values: the layer (identity or domain) with the fewer calls left. */
  headers: { limit: number; remaining: number; reset: number };
  /** Set when outcome is 'rejected'. */
  rejection?: QuotaRejection;
}

export interface QuotaObserver {
  decision(d: QuotaDecision): void;
  storeError(): void;
}

export interface Usage {
  identity: string;
  day: string;
  used: number;
  limit: number;
  remaining: number;
  reset_time: string;
  /** The identity's own limit when one is set. */
  override: number | null;
}

export interface QuotaServiceOptions {
  store: QuotaStore;
  settings: QuotaSettings;
  /** The clock (tests inject one to cross midnight). */
  now?: () => number;
  logger?: Logger;
  observer?: QuotaObserver;
  /** The fail-open store (default: a fresh in-process store). */
  insurance?: QuotaStore;
}

/** Counter keys outlive their day a little: replicas whose clocks lag still find yesterday's counter. */
export const KEY_GRACE_SECONDS = 60;
/** The top-consumers set of a day stays readable through the next day. */
const TOP_EXTRA_SECONDS = 86_400;
const DOMAIN = 'domain';
/** Upper bound of the per-process memory of identities known to be over their limit today. */
const MAX_LOCAL_BLOCKS = 10_000;
const IDENTITY = /^(user|ip):[^\s]{1,256}$/;

export function isQuotaIdentity(s: string): boolean {
  return IDENTITY.test(s);
}

export function principalKindOf(identity: string): PrincipalKind {
  return identity.startsWith('user:') ? 'user' : 'anonymous';
}

interface Evaluation {
  idUsed: number;
  /** The call is already in the top-consumers set (takeAndRecord). */
  recorded?: boolean;
  domUsed?: number;
  rejectedBy?: 'identity' | 'domain';
}

export class QuotaService {
  readonly storeKind: 'redis' | 'memory';
  private readonly store: QuotaStore;
  private readonly insurance: QuotaStore;
  private readonly settings: QuotaSettings;
  private readonly now: () => number;
  private readonly logger: Logger | undefined;
  private readonly observer: QuotaObserver | undefined;
  /** Identities this process saw refused today: refused again without a store call (a DoS shield). */
  private readonly blocked = new Map<string, { day: string; used: number }>();
  private overridesCache: { map: Map<string, number>; loadedAt: number } | undefined;
  private overridesLoading: Promise<void> | undefined;
  private failures = { count: 0, lastLogAt: 0, failing: false };

  constructor(options: QuotaServiceOptions) {
    this.store = options.store;
    this.storeKind = options.store.kind;
    this.insurance = options.insurance ?? memoryQuotaStore();
    this.settings = options.settings;
    this.now = options.now ?? Date.now;
    this.logger = options.logger;
    this.observer = options.observer;
  }

  get failurePolicy(): FailurePolicy {
    return this.settings.failurePolicy;
  }

  /** The daily limit of an identity: its override, else the default of its kind. */
  async limitOf(identity: string, principal: PrincipalKind = principalKindOf(identity)): Promise<number> {
    const overrides = await this.currentOverrides();
    return overrides.get(identity) ?? (principal === 'user' ? this.settings.userDailyLimit : this.settings.anonymousDailyLimit);
  }

  /** Counts one call of `identity` (when admitted) and says whether it may go on. Never throws on store failure. */
  async check(identity: string, principal: PrincipalKind): Promise<QuotaDecision> {
    const now = this.now();
    const day = utcDay(now);
    const ttl = secondsToMidnight(now) + KEY_GRACE_SECONDS;
    const reset = resetEpochSeconds(now);
    const limit = await this.limitOf(identity, principal);
    const domainLimit = this.settings.domainDailyLimit;
    const base = { identity, principal, day, identityLimit: limit };

    const local = this.localRejection(identity, day, limit);
    let ev: Evaluation;
    let outcomeIfAllowed: DecisionOutcome = 'allowed';
    /** What Remaining counts down from: the limits, or their insurance share during an outage. */
    let caps = { id: limit, dom: domainLimit };
    if (local) {
      ev = local;
    } else {
      try {
        ev = await this.evaluate(this.store, identity, day, ttl, limit, domainLimit, secondsToMidnight(now) + TOP_EXTRA_SECONDS);
        this.storeRecovered();
        this.remember(identity, day, ev);
        if (!ev.rejectedBy && !ev.recorded) {
          this.store.recordCall(day, identity, secondsToMidnight(now) + TOP_EXTRA_SECONDS).catch((e: unknown) => this.storeFailed(e));
        }
      } catch (e) {
        if (!(e instanceof QuotaStoreError)) throw e;
        this.storeFailed(e);
        if (this.settings.failurePolicy === 'closed') {
          return this.decided({ ...base, outcome: 'fail_closed', identityUsed: undefined, headers: { limit, remaining: 0, reset } });
        }
        const share = (n: number) => Math.ceil((n * this.settings.failOpenPercent) / 100);
        caps = { id: share(limit), dom: domainLimit > 0 ? share(domainLimit) : 0 };
        ev = await this.evaluate(this.insurance, identity, day, ttl, caps.id, caps.dom);
        outcomeIfAllowed = 'fail_open';
      }
    }

    const idRemaining = Math.max(0, caps.id - ev.idUsed);
    const domRemaining = domainLimit > 0 && ev.domUsed !== undefined ? Math.max(0, caps.dom - ev.domUsed) : Infinity;
    const headers =
      ev.rejectedBy === 'domain' || domRemaining < idRemaining
        ? { limit: domainLimit, remaining: ev.rejectedBy === 'domain' ? 0 : domRemaining, reset }
        : { limit, remaining: ev.rejectedBy === 'identity' ? 0 : idRemaining, reset };
    if (!ev.rejectedBy) {
      return this.decided({ ...base, outcome: outcomeIfAllowed, identityUsed: ev.idUsed, headers });
    }
    return this.decided({
      ...base,
      outcome: 'rejected',
      identityUsed: ev.rejectedBy === 'identity' ? Math.max(ev.idUsed, limit) : ev.idUsed,
      headers,
      rejection: {
        layer: ev.rejectedBy,
        principal,
        callLimit: ev.rejectedBy === 'domain' ? domainLimit : limit,
        resetTime: resetTimeIso(now),
        retryAfterSeconds: Math.max(1, Math.ceil((nextMidnightMs(now) - now) / 1000)),
      },
    });
  }

  /** An identity's calls today (admin API, CLI). Throws QuotaStoreError when the store is down. */
  async usage(identity: string): Promise<Usage> {
    const now = this.now();
    const day = utcDay(now);
    const [used, overrides] = await Promise.all([this.store.count(`${day}:${identity}`), this.store.overrides()]);
    const override = overrides.get(identity);
    const limit = override ?? (principalKindOf(identity) === 'user' ? this.settings.userDailyLimit : this.settings.anonymousDailyLimit);
    return { identity, day, used, limit, remaining: Math.max(0, limit - used), reset_time: resetTimeIso(now), override: override ?? null };
  }

  /** The `n` heaviest identities of `day` (default today; the store keeps today and yesterday). */
  async top(n: number, day?: string): Promise<{ day: string; top: TopEntry[] }> {
    const d = day ?? utcDay(this.now());
    return { day: d, top: await this.store.top(d, n) };
  }

  /** The domain-wide counter of today (admin API, CLI). */
  async domainUsage(): Promise<{ day: string; used: number; limit: number | null }> {
    const day = utcDay(this.now());
    const used = await this.store.count(`${day}:${DOMAIN}`);
    return { day, used, limit: this.settings.domainDailyLimit > 0 ? this.settings.domainDailyLimit : null };
  }

  async overrides(): Promise<Record<string, number>> {
    return Object.fromEntries([...(await this.store.overrides()).entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Sets (undefined: removes) an identity's daily limit; this process sees it at once, others within QUOTA_OVERRIDES_REFRESH_MS. */
  async setOverride(identity: string, limit: number | undefined): Promise<void> {
    await this.store.setOverride(identity, limit);
    if (this.overridesCache) {
      if (limit === undefined) this.overridesCache.map.delete(identity);
      else this.overridesCache.map.set(identity, limit);
    }
    this.blocked.delete(identity);
  }

  // --- internals ---------------------------------------------------------------------------------

  /** `topTtl`: record the admitted call in the top-consumers set in the same round trip when the store can (no domain cap). */
  private async evaluate(store: QuotaStore, identity: string, day: string, ttl: number, limit: number, domainLimit: number, topTtl?: number): Promise<Evaluation> {
    const idKey = `${day}:${identity}`;
    if (topTtl !== undefined && domainLimit <= 0 && store.takeAndRecord) {
      const n = await store.takeAndRecord(idKey, ttl, limit, day, identity, topTtl);
      if (n > limit) {
        await this.giveBack(store, idKey, ttl);
        return { idUsed: n - 1, rejectedBy: 'identity' };
      }
      return { idUsed: n, recorded: true };
    }
    const idCount = await store.take(idKey, ttl);
    if (idCount > limit) {
      await this.giveBack(store, idKey, ttl);
      return { idUsed: idCount - 1, rejectedBy: 'identity' };
    }
    if (domainLimit <= 0) return { idUsed: idCount };
    const domKey = `${day}:${DOMAIN}`;
    const domCount = await store.take(domKey, ttl);
    if (domCount > domainLimit) {
      await Promise.all([this.giveBack(store, domKey, ttl), this.giveBack(store, idKey, ttl)]);
      return { idUsed: idCount - 1, domUsed: domCount - 1, rejectedBy: 'domain' };
    }
    return { idUsed: idCount, domUsed: domCount };
  }

  /** A failed give-back leaves one extra unit counted; the decision (already made) stands. */
  private async giveBack(store: QuotaStore, key: string, ttl: number): Promise<void> {
    try {
      await store.giveBack(key, ttl);
    } catch (e) {
      this.storeFailed(e);
    }
  }

  private localRejection(identity: string, day: string, limit: number): Evaluation | undefined {
    const b = this.blocked.get(identity);
    if (b && b.day !== day) this.blocked.delete(identity);
    else if (b && b.used >= limit) return { idUsed: b.used, rejectedBy: 'identity' };
    return undefined;
  }

  /**
   * An identity refused by the shared store stays refused for the day unless its limit rises (counts
   * never go down within a day). The domain cap is not shielded this way: a caller over its own
   * quota must keep getting its own body (10005), so every call still asks the store.
   */
  private remember(identity: string, day: string, ev: Evaluation): void {
    if (ev.rejectedBy !== 'identity') return;
    this.blocked.delete(identity);
    this.blocked.set(identity, { day, used: ev.idUsed });
    if (this.blocked.size > MAX_LOCAL_BLOCKS) {
      const oldest = this.blocked.keys().next();
      if (!oldest.done) this.blocked.delete(oldest.value);
    }
  }

  private decided(d: QuotaDecision): QuotaDecision {
    this.observer?.decision(d);
    return d;
  }

  private async currentOverrides(): Promise<Map<string, number>> {
    if (this.store.kind === 'memory') return this.store.overrides();
    const cache = this.overridesCache;
    if (cache && Date.now() - cache.loadedAt < this.settings.overridesRefreshMs) return cache.map;
    this.overridesLoading ??= this.store
      .overrides()
      .then(
        (map) => {
          this.overridesCache = { map, loadedAt: Date.now() };
        },
        (e: unknown) => {
          this.storeFailed(e);
          // Keep what we knew; try again after the refresh period, not on every call.
          this.overridesCache = { map: this.overridesCache?.map ?? new Map(), loadedAt: Date.now() };
        },
      )
      .finally(() => {
        this.overridesLoading = undefined;
      });
    // Stale while revalidating: only the very first call waits for the store.
    if (cache) return cache.map;
    await this.overridesLoading;
    return this.overridesCache?.map ?? new Map();
  }

  private storeFailed(e: unknown): void {
    this.observer?.storeError();
    const f = this.failures;
    f.count += 1;
    const now = Date.now();
    if (!f.failing || now - f.lastLogAt >= 10_000) {
      // The message only: no key, no identity, no connection string.
      this.logger?.warn(
        { err: e instanceof Error ? e.message.slice(0, 300) : String(e).slice(0, 300), failures: f.count, policy: this.settings.failurePolicy },
        this.settings.failurePolicy === 'open'
          ? 'quota store failed: admitting calls within the in-process insurance limit (fail-open)'
          : 'quota store failed: refusing calls with 503 (fail-closed)',
      );
      f.lastLogAt = now;
      f.count = 0;
    }
    f.failing = true;
  }

  private storeRecovered(): void {
    if (!this.failures.failing) return;
    this.failures = { count: 0, lastLogAt: 0, failing: false };
    this.logger?.info('quota store answers again: shared counting resumed');
  }
}
