import { LRUCache } from 'lru-cache';

export interface LruOptions<V> {
  /** Most entries kept. */
  max: number;
  /** Most bytes kept, as `sizeOf` estimates them (0 or absent: bounded by entries alone). */
  maxBytes?: number;
  /** An entry's size in bytes (at least 1); required with `maxBytes`. */
  sizeOf?: (value: V, key: string) => number;
}

/**
 * Every in-process cache of the router and the subgraphs: `lru-cache`, bounded by entries and,
 * where entries vary in size (a document can be a megabyte), by bytes, so that no caller can grow
 * a replica's memory without bound. Entries may carry their own expiry (epoch ms, checked against
 * the caller's clock so tests and the router's decision cache agree on "now").
 */
export class Lru<K extends string, V> {
  private readonly cache: LRUCache<K, { value: V; expiresAt: number }>;

  constructor(options: number | LruOptions<V>) {
    const { max, maxBytes, sizeOf } = typeof options === 'number' ? { max: options } : options;
    if (!(max >= 1)) throw new Error(`LRU size must be at least 1, got ${max}`);
    this.cache = new LRUCache({
      max,
      ...(maxBytes && sizeOf
        ? { maxSize: maxBytes, sizeCalculation: (entry, key) => Math.max(1, Math.ceil(sizeOf(entry.value, key))) }
        : {}),
    });
  }

  get size(): number {
    return this.cache.size;
  }

  /** Bytes held, as estimated (0 without a byte bound). */
  get bytes(): number {
    return this.cache.calculatedSize ?? 0;
  }

  get(key: K, now?: number): V | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== Infinity && entry.expiresAt <= (now ?? Date.now())) {
      this.cache.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V, expiresAt = Infinity): void {
    this.cache.set(key, { value, expiresAt });
  }

  delete(key: K): boolean {
    return this.cache.delete(key);
  }

  clear(): void {
    this.cache.clear();
  }
}

/** What strings take in memory (UTF-16), for `sizeOf` of caches that hold text. */
export const textBytes = (...texts: readonly string[]) => texts.reduce((n, t) => n + 2 * t.length, 0);
