import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticColumnCatalog } from '../src/catalog.js';
import { planScan } from '../src/policies/resolve.js';
import { SqlParser } from '../src/sql/parser.js';
import { QueryRewriter } from '../src/sql/pipeline.js';
import { printTrino } from '../src/sql/trino.js';
import { DEMO_POLICIES, SECRET, SUBJECTS, derivedKey, refusal } from './support.js';

/**
 * Trino clusters: the verified tree printed as Trino SQL (pure). The engine itself is tested
 * against the devstack's real Trino in trino.test.ts.
 */

let parser: SqlParser;
let rewriter: QueryRewriter;
const catalog = StaticColumnCatalog.fromDemo();

beforeAll(async () => {
  parser = await SqlParser.create();
  rewriter = new QueryRewriter(parser, SECRET);
});
afterAll(() => parser.close());

async function forTrino(sql: string) {
  const analysis = await rewriter.analyze(sql);
  const datasets = await catalog.datasets(analysis.datasets.map((d) => d.urn));
  const plans = new Map([...datasets].map(([urn, d]) => [urn, planScan(d!, SUBJECTS.alice, DEMO_POLICIES)]));
  return rewriter.rewrite(analysis, plans, SUBJECTS.alice, 'trino');
}

const CORPUS = [
  'SELECT count(*) FROM icebase.retail.orders',
  `SELECT c.email, sum(o.order_total) AS spent FROM icebase.retail.customers c JOIN icebase.retail.orders o ON o.customer_id = c.customer_id WHERE c.full_name LIKE 'a%' GROUP BY c.email HAVING count(*) > 1 ORDER BY spent DESC NULLS LAST LIMIT 10 OFFSET 5`,
  "WITH m AS (SELECT date_trunc('month', ordered_at) AS month, order_total FROM icebase.retail.orders) SELECT month, sum(order_total) FROM m GROUP BY month",
  'SELECT customer_id, rank() OVER (PARTITION BY customer_id ORDER BY order_total DESC) AS r, lag(order_total, 1, 0) OVER (ORDER BY order_id) FROM icebase.retail.orders',
  'SELECT email FROM icebase.retail.customers WHERE customer_id IN (SELECT customer_id FROM icebase.retail.orders WHERE order_total > 400.5) AND EXISTS (SELECT 1)',
  'SELECT email FROM icebase.retail.customers UNION ALL SELECT phone FROM icebase.retail.customers',
  "SELECT CASE WHEN region = 'emea' THEN 1 ELSE 0 END, CAST(customer_id AS VARCHAR), region IS NULL, customer_id BETWEEN 1 AND 10, NOT (region <> 'x'), coalesce(region, 'none') FROM icebase.retail.customers",
  "SELECT EXTRACT(year FROM created_at), count(DISTINCT region), sum(customer_id) FILTER (WHERE region = 'emea') FROM icebase.retail.customers GROUP BY 1",
  'SELECT 1e3 * customer_id, -2.50, 12345678901234567 FROM icebase.retail.customers',
];

describe('Trino SQL from the verified tree', () => {
  it('prints Trino forms: count(*), LIKE, EXTRACT, OFFSET before LIMIT, Trino mask functions', async () => {
    const r = await forTrino(CORPUS[1]!);
    expect(r.engineSql).toContain('lower(to_hex(sha256(to_utf8((? || CAST("__gw_scan"."email" AS varchar))))))');
    expect(r.engineSql).toContain(`("c"."full_name" LIKE 'a%')`);
    expect(r.engineSql).toContain('HAVING (count(*) > 1) ORDER BY "spent" DESC OFFSET 5 LIMIT 10');
    expect(r.engineSql).not.toMatch(/count_star|~~|main\./);
    expect(r.engineSql).not.toContain(SECRET);
    expect(r.parameters.map((p) => p.value)).toContain(derivedKey('pii-email'));
    for (const p of r.parameters) expect(r.engineSql).not.toContain(p.value);
    expect((await forTrino(CORPUS[7]!)).engineSql).toContain('EXTRACT(YEAR FROM "created_at")');
    expect((await forTrino(CORPUS[4]!)).engineSql).toContain('("order_total" > 400.5)');
  });

  it.each(CORPUS)('is read back into the same tree (printing is a fixpoint): %s', async (sql) => {
    const printed = (await forTrino(sql)).engineSql;
    const [again] = await parser.parse(printed);
    expect(printTrino(again!)).toBe(printed);
  });

  it('VALUES lists', async () => {
    const printed = (await forTrino("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)")).engineSql;
    expect(printed).toContain(`(VALUES (1, 'a'), (2, 'b')) AS "valueslist"`);
    expect(printed).toMatch(/AS "v"\("id", "name"\)$/);
  });

  it('refuses what Trino cannot express', async () => {
    for (const sql of [
      'SELECT email FROM icebase.retail.customers QUALIFY row_number() OVER (ORDER BY email) = 1',
      'SELECT region, count(*) FROM icebase.retail.customers GROUP BY ALL',
      'SELECT * FROM icebase.retail.customers NATURAL JOIN icebase.retail.orders',
      'SELECT * EXCLUDE (email) FROM icebase.retail.customers',
      "SELECT {'a': 1}",
    ]) {
      const e = await refusal(forTrino(sql));
      expect(e.extensions, sql).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_SUPPORTED_ON_ENGINE' });
    }
  });
});
