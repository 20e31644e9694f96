import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { badUserInput } from '@dataos/errors';

/**
 * Opaque cursors: AES-256-GCM over `{kind, key}`. A page may end on a dataset the caller cannot
 * read (when every row scanned after the last readable one was hidden): sealing the cursor keeps
 * its URN secret, and tampered or foreign cursors are refused. The key comes from
 * METIS_CURSOR_KEY or, when unset, from a random key kept in Neo4j, so every replica shares it.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(secret).digest();
  }

  encode(kind: string, key: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify([kind, key]), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decode<T>(kind: string, cursor: string, field = 'after'): T {
    try {
      const raw = Buffer.from(cursor, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      const [k, key] = JSON.parse(text) as [string, T];
      if (k === kind) return key;
    } catch {
      // fall through
    }
    throw badUserInput('The cursor is not valid here.', { field });
  }
}
