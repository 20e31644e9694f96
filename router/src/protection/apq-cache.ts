import type { PersistedQueryOptions } from '@apollo/server';
import { Lru } from '@dataos/cache';

type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;
type KeyValueCacheSetOptions = Parameters<KeyValueCache['set']>[2];

/** Apollo Server's automatic persisted queries, remembered in an LRU bounded in queries (APQ_CACHE_SIZE) and bytes (APQ_CACHE_MIB). */
export class LruKeyValueCache implements KeyValueCache {
  private readonly lru: Lru<string, string>;

  constructor(size: number, maxMiB = 16) {
    // UTF-16 in memory: two bytes a character.
    this.lru = new Lru({
      max: size,
      maxBytes: maxMiB * 1024 * 1024,
      sizeOf: (query, hash) => 2 * (query.length + hash.length),
    });
  }

  async get(key: string): Promise<string | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl;
    this.lru.set(key, value, ttl ? Date.now() + ttl * 1000 : Infinity);
  }

  async delete(key: string): Promise<boolean> {
    return this.lru.delete(key);
  }
}
