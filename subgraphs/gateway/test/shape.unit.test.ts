import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedShape, shapeMismatch, typeFamily, type ExpectedShape } from '../src/engines/shape.js';
import type { ResultPage } from '../src/engines/engine.js';
import { SqlParser } from '../src/sql/parser.js';

/** The expected shape is read from DuckDB's own parse tree (the parser holds no data: pure). */
let parser: SqlParser;
beforeAll(async () => {
  parser = await SqlParser.create(1, 0);
});
afterAll(() => parser.close());

const customers = new Map([
  ['customer_id', 'BIGINT'],
  ['email', 'VARCHAR'],
  ['date_of_birth', 'DATE'],
]);
const tables = (t: string) => (t === 'icebase.retail.customers' ? customers : undefined);
const shape = async (sql: string) => expectedShape((await parser.parse(sql))[0]!, tables);

describe('expectedShape', () => {
  it.each([
    ["SELECT 1, 'a', count(*), CAST(x AS DATE) FROM t", ['number', 'text', 'number', 'date']],
    ['SELECT * FROM icebase.retail.customers', ['number', 'text', 'date']],
    ['SELECT c.*, 1 FROM icebase.retail.customers c', ['number', 'text', 'date', 'number']],
    [
      'SELECT * FROM (SELECT sha256(CAST(s.email AS VARCHAR)) AS email, s.customer_id FROM icebase.retail.customers s) x',
      ['text', 'number'],
    ],
    ["WITH c(a, b) AS (SELECT 1, 'x') SELECT b, a FROM c", ['text', 'number']],
    ["SELECT CASE WHEN y THEN 'a' ELSE NULL END, CASE WHEN y THEN 1 ELSE 'a' END FROM t", ['text', null]],
    ["SELECT 1 AS a UNION ALL SELECT 'x'", [null]],
    ['SELECT * FROM (VALUES (1, 2)) v(a, b)', [null, null]],
    ['SELECT a FROM t', [null]],
  ])('%s', async (sql, families) => {
    expect((await shape(sql)).columns).toEqual(families);
  });

  it.each([
    "SELECT COLUMNS('e.*') FROM icebase.retail.customers",
    'SELECT * EXCLUDE (email) FROM icebase.retail.customers',
    'SELECT * FROM t',
    'SELECT * FROM icebase.retail.customers a JOIN icebase.retail.customers b USING (customer_id)',
    'SELECT 1 AS x UNION BY NAME SELECT 2 AS x',
  ])('count unknown (not checked): %s', async (sql) => {
    expect((await shape(sql)).columns).toBeNull();
  });
});

describe('typeFamily', () => {
  it.each([
    ['VARCHAR', 'text'],
    ['varchar(64)', 'text'],
    ['BIGINT', 'number'],
    ['decimal(12,2)', 'number'],
    ['timestamp(6) with time zone', 'timestamp'],
    ['TIMESTAMP', 'timestamp'],
    ['DATE', 'date'],
    ['VARCHAR[]', null],
    ['STRUCT(a INTEGER)', null],
    ['row(a integer)', null],
  ])('%s → %s', (type, family) => expect(typeFamily(type)).toBe(family));
});

describe('shapeMismatch', () => {
  const three: ExpectedShape = { columns: ['number', 'text', null] };
  const page = (columns: [string, string][], rows: ResultPage['rows']): ResultPage => ({
    columns: columns.map(([name, type]) => ({ name, type })),
    rows,
    hasMore: false,
  });
  const good = page(
    [
      ['id', 'bigint'],
      ['email', 'varchar'],
      ['d', 'date'],
    ],
    [
      [1, 'a', '2020-01-01'],
      ['9007199254740993', null, null],
    ],
  );

  it('accepts an answer of the expected shape (64-bit integers as text, NULLs anywhere)', () => {
    expect(shapeMismatch(good, three)).toBeNull();
  });

  it('refuses a 1-column answer to a 3-column SELECT', () => {
    expect(shapeMismatch(page([['id', 'bigint']], [[1]]), three)).toMatch(
      /selects 3 column\(s\), the engine answered 1/,
    );
  });

  it('refuses a declared type of another family', () => {
    const swapped = page(
      [
        ['id', 'varchar'],
        ['email', 'varchar'],
        ['d', 'date'],
      ],
      [],
    );
    expect(shapeMismatch(swapped, three)).toMatch(/column 1 should be number, the engine declared varchar/);
  });

  it('refuses a row of another length, and a value that does not fit its declared type', () => {
    expect(shapeMismatch({ ...good, rows: [[1, 'a']] }, three)).toMatch(/row 1 has 2 values for 3 columns/);
    const bad = shapeMismatch({ ...good, rows: [['alice@example.com', 'a', null]] }, three);
    expect(bad).toMatch(/row 1, column 1: a value that is not number/);
    expect(bad).not.toContain('alice');
  });

  it('checks row lengths even when the count is unknown', () => {
    expect(shapeMismatch({ ...good, rows: [[1]] }, { columns: null })).toMatch(/row 1 has 1 values for 3 columns/);
  });
});
