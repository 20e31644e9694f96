/**
 * A bounded map that forgets the least recently used entry first. Entries may carry their
 * own expiry (epoch ms); an expired entry reads as missing and is dropped.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; expiresAt: number }>();

  constructor(readonly max: number) {
    if (!(max >= 1)) throw new Error(`LRU size must be at least 1, got ${max}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K, now?: number): V | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== Infinity && entry.expiresAt <= (now ?? Date.now())) {
      this.map.delete(key);
      return undefined;
    }
    // Most recently used goes last: delete and re-insert keeps Map order as recency order.
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V, expiresAt = Infinity): void {
    this.map.delete(key);
    this.map.set(key, { value, expiresAt });
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
