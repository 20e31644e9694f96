import { badUserInput } from '@dataos/errors';

/** Opaque cursors over a sort key. */
export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string, field = 'after'): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw badUserInput('The cursor is not valid.', { field });
  return key;
}

export function pageSize(first: number | null | undefined, max: number, field = 'first'): number {
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > max) throw badUserInput(`${field} must be between 1 and ${max}.`, { field });
  return size;
}
