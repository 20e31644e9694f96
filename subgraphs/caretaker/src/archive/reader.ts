import { Lru } from '@dataos/subgraph-kit';
import type { HistoryEvent } from '../model.js';
import {
  ArchiveIntegrityError,
  HISTORY_PREFIX,
  decodeVerified,
  isManifestKey,
  manifestKeyOf,
  objectKeyOfManifest,
  parseManifest,
  type Manifest,
} from './format.js';
import type { ArchiveStore } from './store.js';

/** Decoded events kept at most, as estimated (a decoded event takes about a kilobyte). */
const CACHE_BYTES = 64 * 1024 * 1024;
const EVENT_BYTES = 1024;

/**
 * Reads archived history. An object counts only once its manifest exists (the manifest is
 * written after the object) and only if it matches it; verified objects are cached by key and
 * checksum, so a rewritten object is never served stale.
 */
export class ArchiveReader {
  private readonly cache: Lru<string, HistoryEvent[]>;

  constructor(
    readonly store: ArchiveStore,
    maxCachedObjects = 32,
    private readonly warn: (message: string) => void = () => {},
  ) {
    // objects differ in size by orders of magnitude: bounded by (estimated) bytes as well
    this.cache = new Lru({
      max: maxCachedObjects,
      maxBytes: CACHE_BYTES,
      sizeOf: (events) => events.length * EVENT_BYTES,
    });
  }

  /** Manifests of one day, optionally of one scope (`ns=<namespace>` or `nodes`). */
  async manifests(day: string, scope?: string): Promise<Manifest[]> {
    const keys = (await this.store.list(`${HISTORY_PREFIX}dt=${day}/${scope ? `${scope}/` : ''}`)).filter(
      isManifestKey,
    );
    const manifests = await Promise.all(keys.map((k) => this.manifest(objectKeyOfManifest(k))));
    return manifests.filter((m): m is Manifest => m !== null);
  }

  /** The manifest of an object, or null when there is none (or it is unreadable). */
  async manifest(key: string): Promise<Manifest | null> {
    const body = await this.store.get(manifestKeyOf(key));
    if (!body) return null;
    try {
      return parseManifest(body, key);
    } catch (error) {
      this.warn(`archive manifest ${key} is unreadable: ${(error as Error).message}`);
      return null;
    }
  }

  /** The events of an object checked against its manifest; throws ArchiveIntegrityError. */
  async events(manifest: Manifest, useCache = true): Promise<HistoryEvent[]> {
    const cacheKey = `${manifest.key}#${manifest.gzipSha256}`;
    const cached = useCache ? this.cache.get(cacheKey) : undefined;
    if (cached) return cached;
    const body = await this.store.get(manifest.key);
    if (!body) throw new ArchiveIntegrityError(`${manifest.key}: the manifest exists, the object does not`);
    const events = decodeVerified(body, manifest);
    this.cache.set(cacheKey, events);
    return events;
  }

  /**
   * The verified events of an object read straight from the store (no cache), or null when the
   * object or its manifest is missing or they do not match.
   */
  async readVerified(key: string): Promise<{ manifest: Manifest; events: HistoryEvent[] } | null> {
    const manifest = await this.manifest(key);
    if (!manifest) return null;
    try {
      return { manifest, events: await this.events(manifest, false) };
    } catch (error) {
      if (!(error instanceof ArchiveIntegrityError)) throw error;
      this.warn(error.message);
      return null;
    }
  }
}
