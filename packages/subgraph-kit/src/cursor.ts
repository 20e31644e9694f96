import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { badUserInput } from '@dataos/errors';

/**
 * Opaque, versioned cursors for every subgraph's connections. A cursor carries
 * `[kind, bound, key]`: `kind` names the list it pages (a `dataset` cursor is refused by the
 * `search` list), `bound` optionally ties it to what it pages through (the Gateway binds a result
 * cursor to cluster, SQL and caller, so it cannot page someone else's query), `key` is the sort key.
 *
 * With a secret the cursor is sealed (AES-256-GCM): its key stays secret and any change is
 * refused. Metis needs that, because a page may end on a dataset the caller cannot read. Without
 * one it is base64url JSON, refused unless it is exactly what `encode` writes; the caller's guard
 * checks the key's shape, since anyone can write such a cursor.
 */
const VERSION = 1;
const IV = 12;
const TAG = 16;

export interface DecodeOptions<K> {
  /** The argument named in the error (default `after`). */
  field?: string;
  /** The same parts the cursor was encoded with, when it is bound. */
  bind?: readonly string[];
  /** Checks the key's shape; required in practice for cursors that are not sealed. */
  is?: (key: unknown) => key is K;
}

export class CursorCodec {
  private readonly key: Buffer | null;

  /** `secret` seals cursors; every replica must share it. */
  constructor(secret?: string) {
    this.key = secret === undefined ? null : createHash('sha256').update(secret).digest();
  }

  get sealed(): boolean {
    return this.key !== null;
  }

  encode(kind: string, key: unknown, bind?: readonly string[]): string {
    const body = Buffer.from(JSON.stringify([kind, bind ? bindDigest(bind) : null, key]), 'utf8');
    return Buffer.concat([Buffer.of(VERSION), this.key ? seal(this.key, body) : body]).toString('base64url');
  }

  decode<K>(kind: string, cursor: string, options: DecodeOptions<K> = {}): K {
    const field = options.field ?? 'after';
    const payload = this.open(cursor);
    if (!payload || payload[0] !== kind || (options.is && !options.is(payload[2]))) {
      throw badUserInput('The cursor is not valid here.', { field });
    }
    if (payload[1] !== (options.bind ? bindDigest(options.bind) : null)) {
      throw badUserInput('The cursor belongs to another query or caller.', { field });
    }
    return payload[2] as K;
  }

  private open(cursor: string): [unknown, unknown, unknown] | null {
    try {
      const raw = Buffer.from(cursor, 'base64url');
      // base64url decoding skips stray characters: only the exact encoding counts as this cursor
      if (raw.length < 2 || raw[0] !== VERSION || raw.toString('base64url') !== cursor) return null;
      const body = this.key ? unseal(this.key, raw.subarray(1)) : raw.subarray(1);
      const value = JSON.parse(body.toString('utf8')) as unknown;
      return Array.isArray(value) && value.length === 3 ? (value as [unknown, unknown, unknown]) : null;
    } catch {
      return null;
    }
  }
}

function seal(key: Buffer, body: Buffer): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const text = Buffer.concat([cipher.update(body), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), text]);
}

function unseal(key: Buffer, raw: Buffer): Buffer {
  // a fixed tag length: otherwise GCM would accept a truncated (forgeable) tag
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV), { authTagLength: TAG });
  decipher.setAuthTag(raw.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(raw.subarray(IV + TAG)), decipher.final()]);
}

/** Short and one-way: a bound cursor does not show what it is bound to. */
const bindDigest = (parts: readonly string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);

/** Guards for the usual sort keys. */
export const isString = (key: unknown): key is string => typeof key === 'string' && key.length > 0;
export const isOffset = (key: unknown): key is number => Number.isSafeInteger(key) && (key as number) >= 0;

/** `first` (or the argument `field`) between 1 and `max`; `fallback` when the caller gave none. */
export function pageSize(
  first: number | null | undefined,
  limits: { max: number; fallback: number; field?: string },
): number {
  const field = limits.field ?? 'first';
  const n = first ?? limits.fallback;
  if (!Number.isInteger(n) || n < 1 || n > limits.max) {
    throw badUserInput(`${field} must be between 1 and ${limits.max}.`, { field });
  }
  return n;
}
