import { describe, expect, it } from 'vitest';
import { lineAndColumn, shownError, utf16Offset } from './sqlErrors.js';

describe('utf16Offset', () => {
  it('counts code points as DuckDB does: an emoji is one, two UTF-16 units', () => {
    const sql = "SELECT '😀' FORM x";
    // DuckDB reports 16 for this query (checked against json_serialize_sql).
    expect(sql.slice(utf16Offset(sql, 16))).toBe('x');
    expect(utf16Offset('abc', 2)).toBe(2);
    expect(utf16Offset('abc', 99)).toBe(3);
    expect(utf16Offset('abc', 0)).toBe(0);
  });
});

describe('lineAndColumn', () => {
  it('is 1-based over lines', () => {
    expect(lineAndColumn('SELECT 1\nFORM x', 14)).toEqual({ line: 2, column: 6 });
    expect(lineAndColumn('SELECT', 0)).toEqual({ line: 1, column: 1 });
  });
});

describe('shownError', () => {
  it('places a syntax error in the SQL that ran', () => {
    const sql = "SELECT 'ééé',\n  2 FORM x";
    const shown = shownError(
      [
        {
          message: 'The SQL could not be parsed: syntax error at or near "x".',
          extensions: { code: 'BAD_USER_INPUT', reason: 'SYNTAX', position: 23 },
        },
      ],
      sql,
    );
    expect(shown).toEqual({
      message: 'The SQL could not be parsed: syntax error at or near "x".',
      code: 'BAD_USER_INPUT',
      reason: 'SYNTAX',
      at: { offset: 23, line: 2, column: 10 },
    });
  });

  it('keeps code and reason of a refusal, without a position', () => {
    const shown = shownError(
      [{ message: 'No read', extensions: { code: 'FORBIDDEN', reason: 'NO_READ' } }],
      'SELECT 1',
    );
    expect(shown).toMatchObject({ code: 'FORBIDDEN', reason: 'NO_READ', at: null });
    expect(shownError([], 'x')).toBeNull();
    expect(shownError([{ message: 'm', extensions: { position: -1 } }], 'x')?.at).toBeNull();
  });
});
