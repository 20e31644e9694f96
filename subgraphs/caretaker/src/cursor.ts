import { badUserInput } from '@dataos/errors';

/** Opaque cursors: base64url of the sort key. */
export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string, field = 'after'): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw badUserInput('The cursor is not valid.', { field });
  return key;
}

/** `first` between 1 and `max`. */
export function pageSize(first: number | null | undefined, max: number, fallback: number, field = 'first'): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw badUserInput(`${field} must be between 1 and ${max}.`, { field });
  return n;
}
