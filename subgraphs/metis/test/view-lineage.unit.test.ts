import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewQuery } from '../src/scan/duckdb.js';
import { ViewParser } from '../src/scan/view-lineage.js';

const TABLES: Record<string, string[]> = {
  'shop.customers': ['id', 'first_name', 'last_name', 'email'],
  'shop.orders': ['id', 'customer_id', 'amount'],
};
const lookup = (collection: string, table: string) => TABLES[`${collection}.${table}`];
const src = (table: string, column: string) => ({ collection: 'shop', table, column });

describe('column lineage of a view from its SQL (DuckDB parser)', () => {
  let parser: ViewParser;
  beforeAll(async () => {
    parser = await ViewParser.create();
  });
  afterAll(() => parser.close());

  it('follows aliases, joins, expressions and aggregates (PostgreSQL pg_get_viewdef text)', async () => {
    const lineage = await parser.lineage(
      `SELECT c.id AS customer_id, (((c.first_name)::text || ' '::text) || (c.last_name)::text) AS full_name,
              sum(o.amount) AS total
       FROM (shop.customers c JOIN shop.orders o ON ((o.customer_id = c.id))) GROUP BY c.id, c.first_name, c.last_name;`,
      'shop',
      lookup,
    );
    expect(lineage).toEqual([
      { position: 0, sources: [src('customers', 'id')], transformation: null },
      {
        position: 1,
        sources: [src('customers', 'first_name'), src('customers', 'last_name')],
        transformation: "c.first_name || ' ' || c.last_name",
      },
      { position: 2, sources: [src('orders', 'amount')], transformation: 'sum(o.amount)' },
    ]);
  });

  it('expands stars, resolves unqualified columns and reads through CTEs, subqueries and UNION', async () => {
    const star = await parser.lineage('SELECT * FROM customers', 'shop', lookup);
    expect(star!.map((c) => c.sources)).toEqual(TABLES['shop.customers']!.map((c) => [src('customers', c)]));

    const cte = await parser.lineage(
      `WITH big AS (SELECT customer_id, amount * 2 AS doubled FROM shop.orders)
       SELECT upper(email) AS e, doubled FROM big JOIN (SELECT id, email FROM shop.customers) x ON x.id = big.customer_id
       UNION ALL SELECT last_name, id FROM shop.customers`,
      'shop',
      lookup,
    );
    expect(cte!.map((c) => c.sources)).toEqual([
      [src('customers', 'email'), src('customers', 'last_name')],
      [src('orders', 'amount'), src('customers', 'id')],
    ]);
  });

  it('answers null for SQL it cannot parse, and no sources for unknown tables', async () => {
    expect(await parser.lineage('SELEC nonsense FROM', 'shop', lookup)).toBeNull();
    expect(await parser.lineage('SELECT a FROM elsewhere.t', 'shop', lookup)).toEqual([
      { position: 0, sources: [], transformation: null },
    ]);
  });
});

describe('the query of a DuckDB view definition', () => {
  it('is what follows AS after the (quoted, qualified) name and column list', () => {
    expect(viewQuery('CREATE VIEW shop.v AS SELECT 1;')).toBe('SELECT 1;');
    expect(viewQuery('CREATE OR REPLACE VIEW "we""ird AS x"."v" (a, "b c") AS SELECT a FROM t')).toBe(
      'SELECT a FROM t',
    );
    expect(viewQuery('create temp view v as\nselect 2')).toBe('select 2');
    expect(viewQuery('SELECT 1')).toBeNull();
  });
});
