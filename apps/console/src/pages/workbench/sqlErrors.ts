/**
 * Gateway errors as the Workbench shows them. A SQL syntax error carries DuckDB's `position`, an
 * offset in code points (checked: `SELECT '😀' FORM x` puts the error at 16); the editor counts
 * UTF-16 code units, so the two differ as soon as a character outside the BMP (an emoji) precedes it.
 */

export interface ErrorLike {
  message: string;
  extensions?: Readonly<Record<string, unknown>> | null;
}

export interface ShownError {
  message: string;
  /** `extensions.code`, e.g. BAD_USER_INPUT, FORBIDDEN. */
  code: string | null;
  /** The Gateway's `extensions.reason`, e.g. SYNTAX, NO_READ, UNKNOWN_TABLE. */
  reason: string | null;
  /** Where in the SQL text (UTF-16 offset, line and column 1-based), when the Gateway says. */
  at: { offset: number; line: number; column: number } | null;
}

/** A code-point offset as an offset into the JavaScript string, clamped to it. */
export function utf16Offset(text: string, codePoints: number): number {
  let offset = 0;
  let seen = 0;
  for (const char of text) {
    if (seen >= codePoints) break;
    offset += char.length;
    seen += 1;
  }
  return offset;
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Shows the first error of an answer; `sql` is the text that ran, to place a syntax error in it. */
export function shownError(errors: readonly ErrorLike[], sql: string): ShownError | null {
  const first = errors[0];
  if (!first) return null;
  const ext = first.extensions ?? {};
  const position = ext.position;
  let at: ShownError['at'] = null;
  if (typeof position === 'number' && Number.isInteger(position) && position >= 0) {
    const offset = utf16Offset(sql, position);
    at = { offset, ...lineAndColumn(sql, offset) };
  }
  return { message: first.message, code: text(ext.code), reason: text(ext.reason), at };
}
