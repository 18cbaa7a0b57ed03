/**
 * A least-recently-used map bounded by bytes (the sum of each entry's declared size), with an expiry
 * per entry. A Map keeps insertion order: a read moves the entry to the end, eviction takes the front.
 */
export interface Sized {
  bytes: number;
  /** Epoch ms after which the entry is not served. */
  expires: number;
}

export interface LruStats {
  entries: number;
  bytes: number;
  evictions: number;
}

export class ByteLru<V extends Sized> {
  private readonly map = new Map<string, V>();
  private total = 0;
  evictions = 0;

  constructor(
    readonly maxBytes: number,
    private readonly onEvict: (n: number) => void = () => undefined,
  ) {}

  get(key: string, now: number): V | undefined {
    const v = this.map.get(key);
    if (!v) return undefined;
    this.map.delete(key);
    if (v.expires <= now) {
      this.total -= v.bytes;
      return undefined;
    }
    this.map.set(key, v);
    return v;
  }

  /** Stores `v` unless it alone exceeds the bound; evicts the least recently used entries to fit. */
  set(key: string, v: V): boolean {
    if (v.bytes > this.maxBytes) return false;
    const old = this.map.get(key);
    if (old) {
      this.map.delete(key);
      this.total -= old.bytes;
    }
    this.map.set(key, v);
    this.total += v.bytes;
    let evicted = 0;
    while (this.total > this.maxBytes) {
      const first = this.map.entries().next().value as [string, V];
      this.map.delete(first[0]);
      this.total -= first[1].bytes;
      evicted++;
    }
    if (evicted > 0) {
      this.evictions += evicted;
      this.onEvict(evicted);
    }
    return true;
  }

  stats(): LruStats {
    return { entries: this.map.size, bytes: this.total, evictions: this.evictions };
  }
}
