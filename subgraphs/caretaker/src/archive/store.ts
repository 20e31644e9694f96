import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, open } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Blob storage for archived history: a local folder by default, S3-compatible in production.
 * Keys are `/`-separated relative paths; `put` replaces an object whole (never half-written).
 */
export interface ArchiveStore {
  /** Where objects go, for logs and errors (`file:///...`, `s3://bucket/prefix`). */
  readonly location: string;
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  /** The object, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Keys starting with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9=._-]+(\/[A-Za-z0-9=._-]+)*$/;

export function assertKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
    throw new Error(`invalid archive key "${key}"`);
  }
  return key;
}

/** Objects as files under a folder; writes go to a temporary file, are synced, then renamed. */
export class LocalFolderArchiveStore implements ArchiveStore {
  readonly location: string;

  constructor(private readonly root: string) {
    this.location = `file://${path.resolve(root)}`;
  }

  private file(key: string): string {
    return path.join(this.root, ...assertKey(key).split('/'));
  }

  async put(key: string, body: Uint8Array, _contentType?: string): Promise<void> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return await readFile(this.file(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    // Walk only the folder the prefix names (the part up to its last `/`).
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash < 0 ? '' : prefix.slice(0, slash);
    const start = dirKey ? path.join(this.root, ...assertKey(dirKey).split('/')) : this.root;
    const keys: string[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries) {
        const key = `${keyPrefix}${entry.name}`;
        if (entry.isDirectory()) {
          // Only folders that can hold keys with the prefix.
          if (`${key}/`.startsWith(prefix) || prefix.startsWith(`${key}/`))
            await walk(path.join(dir, entry.name), `${key}/`);
        } else if (entry.isFile() && key.startsWith(prefix) && !entry.name.includes('.tmp-')) {
          keys.push(key);
        }
      }
    };
    await walk(start, dirKey ? `${dirKey}/` : '');
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}

/** Every key under a prefix (`<database>/` keeps databases sharing one bucket or folder apart). */
export class PrefixedArchiveStore implements ArchiveStore {
  readonly location: string;

  constructor(
    private readonly inner: ArchiveStore,
    private readonly prefix: string,
  ) {
    assertKey(prefix.replace(/\/$/, ''));
    this.location = `${inner.location.replace(/\/$/, '')}/${prefix}`;
  }

  put(key: string, body: Uint8Array, contentType: string) {
    return this.inner.put(this.prefix + key, body, contentType);
  }
  get(key: string) {
    return this.inner.get(this.prefix + key);
  }
  async list(prefix: string) {
    return (await this.inner.list(this.prefix + prefix)).map((k) => k.slice(this.prefix.length));
  }
  delete(key: string) {
    return this.inner.delete(this.prefix + key);
  }
}

/** `subgraphs/caretaker/.data/archive` (git-ignored). */
export const DEFAULT_ARCHIVE_DIR = fileURLToPath(new URL('../../.data/archive/', import.meta.url));

/**
 * The archive of the environment: S3 when `ARCHIVE_S3_BUCKET` is set (the AWS SDK is loaded only
 * then), else the folder `CARETAKER_ARCHIVE_DIR` (default {@link DEFAULT_ARCHIVE_DIR}).
 */
export async function archiveStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<ArchiveStore> {
  if (env.ARCHIVE_S3_BUCKET) {
    const { S3ArchiveStore } = await import('./s3.js');
    return S3ArchiveStore.fromEnv(env);
  }
  return new LocalFolderArchiveStore(env.CARETAKER_ARCHIVE_DIR ?? DEFAULT_ARCHIVE_DIR);
}
