/**
 * The one TTL cache of the gateway: promises by key, kept `ttlMs` after they start, so that concurrent
 * callers share one load and a busy endpoint does not reload on every call. A failed load is not kept
 * (the next call tries again). At most `max` entries: past it the oldest goes. `ttlMs <= 0` turns the
 * cache off (every call loads).
 */
export interface TtlCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  clear(): void;
}

export function ttlCache<V>(ttlMs: number, clock: () => number = Date.now, max = 10000): TtlCache<V> {
  const map = new Map<string, { at: number; value: Promise<V> }>();
  return {
    get(key, load) {
      if (ttlMs <= 0) return load();
      const now = clock();
      let e = map.get(key);
      if (!e || now - e.at > ttlMs) {
        e = { at: now, value: load() };
        map.set(key, e);
        e.value.catch(() => map.delete(key));
        if (map.size > max) map.delete(map.keys().next().value as string);
      }
      return e.value;
    },
    clear: () => map.clear(),
  };
}
