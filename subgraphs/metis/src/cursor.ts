import { badUserInput } from '@dataos/errors';

/** Opaque cursors: base64url of the sort key, so clients cannot depend on their shape. */
export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCursor(cursor: string, field = 'after'): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw badUserInput('The cursor is not valid.', { field });
  return key;
}
