import { createHash } from 'node:crypto';
import { badUserInput } from '@dataos/errors';

/** Opaque cursors: base64url JSON, bound to what they page through by a digest. */
export const encodeCursor = (value: Record<string, unknown>) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function decodeCursor<T extends Record<string, unknown>>(cursor: string, field: string): T {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && encodeCursor(value as T) === cursor) return value as T;
  } catch {
    // fall through
  }
  throw badUserInput('The cursor is not valid.', { field });
}

export const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
