import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { conflict } from '@dataos/errors';

/** A master key of the deployment's keyring. Never bound, printed or stored outside `gateway.meta`. */
export interface MasterKey {
  id: string;
  secret: string;
}

/** Where the rewriter gets the active master key (the keyring, or one fixed key for tests and benches). */
export interface MaskKeySource {
  active(): Promise<MasterKey>;
}

export const staticMaskKey = (secret: string, id = 'static'): MaskKeySource => {
  const key = { id, secret };
  return { active: async () => key };
};

/** One derived key as the engine receives it: a parameter name (in the SQL) and its value (bound). */
export interface KeyParameter {
  name: string;
  value: string;
}

/**
 * The key of one HASH mask: HMAC-SHA256(master, policy [, dataset URN]). Per policy by default,
 * so a column hashed under one policy stays joinable across datasets; `dataset` scope gives every
 * dataset its own key. A leaked derived key reveals that policy's (or that dataset's) hashes only.
 */
export function deriveMaskKey(master: MasterKey, policy: string, urn?: string | null): KeyParameter {
  const label = ['dataos-gateway-mask-v1', policy, ...(urn ? [urn] : [])].join('\u0000');
  let known = derived.get(master);
  if (!known) derived.set(master, (known = new Map()));
  let key = known.get(label);
  if (!key) {
    const value = createHmac('sha256', master.secret).update(label).digest('hex');
    // The name is one-way from the value: equal names mean equal keys, and caches keyed by SQL
    // text change with the key.
    key = { name: `__gw_key_${createHash('sha256').update(value).digest('hex').slice(0, 24)}`, value };
    if (known.size < 10_000) known.set(label, key);
  }
  return key;
}

/** Derived keys per master key object (one per keyring reload), so a query does not pay two hashes per mask. */
const derived = new WeakMap<MasterKey, Map<string, KeyParameter>>();

interface StoredKey {
  id: string;
  /** Null when the secret comes from GATEWAY_MASK_SECRET, or once the key is retired. */
  secret: string | null;
  source: 'env' | 'store';
  createdAt: Date;
  createdBy: string | null;
  retiredAt: Date | null;
}

interface KeyringDoc {
  _id: string;
  active: string;
  version: number;
  keys: StoredKey[];
}

export interface KeyInfo {
  id: string;
  active: boolean;
  source: 'env' | 'store';
  createdAt: Date;
  createdBy: string | null;
  retiredAt: Date | null;
}

const KEYRING_ID = 'mask-keys';

/**
 * The deployment's mask keyring in `gateway.meta`: master keys with ids, one active. The first key
 * is GATEWAY_MASK_SECRET (its secret stays in the environment) or the secret an earlier version
 * kept in `meta` (`mask-secret`), else a random one. Rotation adds a random key, makes it active
 * and erases the secrets of the retired ones (hashes made with them can no longer be recomputed).
 * Replicas reread it after `ttlMs`, as they do the data policies.
 */
export class MaskKeyring implements MaskKeySource {
  private readonly meta: Collection<KeyringDoc>;
  private cached?: { at: number; key: Promise<MasterKey> };

  constructor(
    db: Db,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly ttlMs = 2000,
  ) {
    this.meta = db.collection<KeyringDoc>('meta');
  }

  /** Creates the keyring with its first key, once per store. */
  async ensure(): Promise<void> {
    if (await this.meta.findOne({ _id: KEYRING_ID })) return;
    const legacy = (await this.meta.findOne({ _id: 'mask-secret' })) as unknown as { value?: string } | null;
    const fromEnv = Boolean(this.env.GATEWAY_MASK_SECRET);
    const first: StoredKey = {
      id: 'k1',
      secret: fromEnv ? null : (legacy?.value ?? randomBytes(32).toString('hex')),
      source: fromEnv ? 'env' : 'store',
      createdAt: new Date(),
      createdBy: null,
      retiredAt: null,
    };
    try {
      await this.meta.insertOne({ _id: KEYRING_ID, active: first.id, version: 1, keys: [first] });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error; // another replica created it
    }
  }

  private async load(): Promise<KeyringDoc> {
    const doc = await this.meta.findOne({ _id: KEYRING_ID });
    if (!doc) throw new Error('The mask keyring is missing: call ensure() first.');
    return doc;
  }

  active(): Promise<MasterKey> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const key = this.load().then((doc) => {
        const stored = doc.keys.find((k) => k.id === doc.active);
        const secret = stored?.source === 'env' ? this.env.GATEWAY_MASK_SECRET : stored?.secret;
        // Fail closed: without its secret no HASH mask can be computed.
        if (!stored || !secret)
          throw new Error(`The active mask key "${doc.active}" has no secret (GATEWAY_MASK_SECRET unset?).`);
        return { id: stored.id, secret };
      });
      this.cached = { at: now, key };
      key.catch(() => (this.cached = undefined));
    }
    return this.cached.key;
  }

  async describe(): Promise<KeyInfo[]> {
    const doc = await this.load();
    return doc.keys.map((k) => ({
      id: k.id,
      active: k.id === doc.active,
      source: k.source,
      createdAt: k.createdAt,
      createdBy: k.createdBy,
      retiredAt: k.retiredAt,
    }));
  }

  /** A new random active key; every earlier key is retired and its secret erased. */
  async rotate(by: string): Promise<KeyInfo[]> {
    const doc = await this.load();
    const now = new Date();
    const next = Math.max(0, ...doc.keys.map((k) => Number(/^k(\d+)$/.exec(k.id)?.[1] ?? 0))) + 1;
    const key: StoredKey = {
      id: `k${next}`,
      secret: randomBytes(32).toString('hex'),
      source: 'store',
      createdAt: now,
      createdBy: by,
      retiredAt: null,
    };
    const keys = [...doc.keys.map((k) => (k.retiredAt ? k : { ...k, secret: null, retiredAt: now })), key];
    const res = await this.meta.replaceOne(
      { _id: KEYRING_ID, version: doc.version },
      { active: key.id, version: doc.version + 1, keys },
    );
    if (res.matchedCount === 0)
      throw conflict('The mask keyring changed meanwhile (another rotation): read it again.', {});
    this.cached = undefined;
    return this.describe();
  }
}
