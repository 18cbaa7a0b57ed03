/**
 * A small bounded cache for pure functions of a string (parsed fragments, date periods, ASTs).
 * Bounded in entries and in key length, so attacker-chosen inputs cannot grow memory: the oldest
 * entry goes first (a Map keeps insertion order; a hit moves the entry to the end).
 */
export interface Lru<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  clear(): void;
}

export function lru<V>(maxEntries: number, maxKeyLength: number): Lru<V> {
  const map = new Map<string, V>();
  return {
    get(key) {
      const v = map.get(key);
      if (v !== undefined) {
        map.delete(key);
        map.set(key, v);
      }
      return v;
    },
    set(key, value) {
      if (key.length > maxKeyLength) return;
      map.delete(key);
      map.set(key, value);
      if (map.size > maxEntries) map.delete(map.keys().next().value as string);
    },
    clear() {
      map.clear();
    },
  };
}

const registry: Lru<unknown>[] = [];

/** A cache that clearQueryCaches() empties (tests and benchmarks measure cold paths with it). */
export function registeredLru<V>(maxEntries: number, maxKeyLength: number): Lru<V> {
  const cache = lru<V>(maxEntries, maxKeyLength);
  registry.push(cache as Lru<unknown>);
  return cache;
}

export function clearQueryCaches(): void {
  for (const c of registry) c.clear();
}
