import { pathToFileURL } from 'node:url';
import { StaticColumnCatalog } from '../subgraphs/gateway/src/catalog.js';
import type { ClusterDoc } from '../subgraphs/gateway/src/clusters.js';
import { DuckDbEngine } from '../subgraphs/gateway/src/engines/duckdb.js';
import { DEFAULT_DATA_POLICIES, DEMO_DATA_POLICIES } from '../subgraphs/gateway/src/policies/defaults.js';
import { planScan } from '../subgraphs/gateway/src/policies/resolve.js';
import { policyDoc } from '../subgraphs/gateway/src/policies/store.js';
import type { Subject } from '../subgraphs/gateway/src/policies/subject.js';
import { QueryService } from '../subgraphs/gateway/src/query.js';
import { SqlParser } from '../subgraphs/gateway/src/sql/parser.js';
import { QueryRewriter } from '../subgraphs/gateway/src/sql/pipeline.js';
import { percentile, table } from './lib/stats.js';

/**
 * Gateway costs, in process, on the embedded DuckDB over the demo data (300 customers, 1,500
 * orders), as alice (PII masks + region filter):
 *  1. rewrite cost per query: parse (DuckDB's parser) → checks → plan (policies) → derived
 *     tables → print → re-parse → verify, every step done (all caches off), and in steady state
 *     (parse trees, derived tables and verified outputs cached, as in the service);
 *  2. end-to-end runQuery (QueryService.run: rewrite + execute + JSON rows) against the baseline of
 *     the same SQL run on the same DuckDB directly, measured interleaved in the same run.
 * Heimdall and Metis are stubbed (an allow-all read check and a static catalog): this measures
 * the Gateway, not the network; the query history is off.
 */

const QUERIES: [name: string, sql: string][] = [
  ['select * limit 100', 'SELECT * FROM icebase.retail.customers LIMIT 100'],
  ['count per region', 'SELECT region, count(*) FROM icebase.retail.customers GROUP BY region'],
  [
    'top spenders (join)',
    'SELECT c.full_name, c.email, sum(o.order_total) AS spent FROM icebase.retail.customers c JOIN icebase.retail.orders o USING (customer_id) GROUP BY ALL ORDER BY spent DESC LIMIT 10',
  ],
  [
    'monthly revenue (CTE)',
    "WITH m AS (SELECT date_trunc('month', ordered_at) AS month, order_total FROM icebase.retail.orders) SELECT month, sum(order_total) FROM m GROUP BY month ORDER BY month",
  ],
  [
    'best order (window)',
    'SELECT customer_id, order_id, order_total, rank() OVER (PARTITION BY customer_id ORDER BY order_total DESC) AS r FROM icebase.retail.orders QUALIFY r = 1 ORDER BY customer_id LIMIT 50',
  ],
  [
    'big buyers (IN subquery)',
    'SELECT email FROM icebase.retail.customers WHERE customer_id IN (SELECT customer_id FROM icebase.retail.orders WHERE order_total > 400)',
  ],
  [
    'contacts (UNION)',
    'SELECT email AS contact FROM icebase.retail.customers UNION SELECT phone FROM icebase.retail.customers ORDER BY 1 LIMIT 100',
  ],
  [
    'region stats (join, agg)',
    'SELECT c.region, count(DISTINCT o.order_id) AS orders, avg(o.order_total) AS basket FROM icebase.retail.orders o JOIN icebase.retail.customers c ON c.customer_id = o.customer_id GROUP BY 1',
  ],
  ['products by price', 'SELECT title, price FROM icebase.retail.products ORDER BY price DESC LIMIT 10'],
  ['count orders', 'SELECT count(*) FROM icebase.retail.orders'],
];

const alice: Subject = {
  id: 'users:id:alice',
  sub: 'alice',
  tags: ['users:id:alice', 'users:type:person', 'roles:id:data-dev'],
  claims: { sub: 'alice', region: 'emea' },
};
const CLUSTER: ClusterDoc = { _id: 'bench', engine: 'duckdb', endpoint: null, state: 'RUNNING', createdAt: new Date() };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const us = (ms: number) => ms * 1000;

export async function runGatewayBench(
  options: { rewriteIterations?: number; runIterations?: number } = {},
): Promise<string> {
  const rewriteIterations = options.rewriteIterations ?? 300;
  const runIterations = options.runIterations ?? 150;
  const parser = await SqlParser.create();
  const rewriter = new QueryRewriter(parser, 'bench-secret');
  const uncachedParser = await SqlParser.create(2, 0);
  const uncached = new QueryRewriter(uncachedParser, 'bench-secret', 0);
  const engine = await DuckDbEngine.create();
  const catalog = StaticColumnCatalog.fromDemo();
  const policies = [...DEFAULT_DATA_POLICIES, ...DEMO_DATA_POLICIES].map((p) => policyDoc(p));
  const service = new QueryService({
    rewriter,
    catalog,
    policies: { all: async () => policies },
    engineFor: () => engine,
  });
  try {
    const rewrite = async (sql: string, using = rewriter) => {
      const analysis = await using.analyze(sql);
      const datasets = await catalog.datasets(analysis.datasets.map((d) => d.urn));
      const plans = new Map([...datasets].map(([urn, d]) => [urn, planScan(d!, alice, policies)]));
      return using.rewrite(analysis, plans, alice, 'duckdb');
    };
    // Warm-up: JIT, caches, DuckDB's plans.
    for (const [, sql] of QUERIES) {
      for (let i = 0; i < 20; i++) {
        await rewrite(sql);
        await rewrite(sql, uncached);
      }
      await service.run({ subject: alice, caller: {}, canRead: async () => true, cluster: CLUSTER, sql }, 100);
      await engine.unsafeRaw(sql);
    }

    const rewriteRows: (string | number)[][] = [];
    const allCold: number[] = [];
    const allWarm: number[] = [];
    for (const [name, sql] of QUERIES) {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < rewriteIterations; i++) {
        let t = performance.now();
        await rewrite(sql, uncached); // every step, three DuckDB parser calls at least
        cold.push(performance.now() - t);
        t = performance.now();
        await rewrite(sql); // steady state: cached parse tree, derived tables, verified output
        warm.push(performance.now() - t);
      }
      cold.sort((a, b) => a - b);
      warm.sort((a, b) => a - b);
      allCold.push(...cold);
      allWarm.push(...warm);
      rewriteRows.push([
        name,
        us(mean(cold)),
        us(percentile(cold, 50)),
        us(percentile(cold, 99)),
        us(mean(warm)),
        us(percentile(warm, 50)),
      ]);
    }
    rewriteRows.push([
      'all queries',
      us(mean(allCold)),
      us(
        percentile(
          allCold.sort((a, b) => a - b),
          50,
        ),
      ),
      us(percentile(allCold, 99)),
      us(mean(allWarm)),
      us(
        percentile(
          allWarm.sort((a, b) => a - b),
          50,
        ),
      ),
    ]);

    const runRows: (string | number)[][] = [];
    const ratios: number[] = [];
    for (const [name, sql] of QUERIES) {
      const raw: number[] = [];
      const masked: number[] = [];
      const gateway: number[] = [];
      const rewritten = await rewrite(sql);
      for (let i = 0; i < runIterations; i++) {
        let t = performance.now();
        await engine.unsafeRaw(sql);
        raw.push(performance.now() - t);
        t = performance.now();
        await engine.unsafeRaw(rewritten.sql, rewritten.parameters);
        masked.push(performance.now() - t);
        t = performance.now();
        await service.run({ subject: alice, caller: {}, canRead: async () => true, cluster: CLUSTER, sql }, 100);
        gateway.push(performance.now() - t);
      }
      for (const xs of [raw, masked, gateway]) xs.sort((a, b) => a - b);
      const ratio = percentile(gateway, 50) / percentile(raw, 50);
      ratios.push(ratio);
      runRows.push([
        name,
        percentile(raw, 50),
        percentile(masked, 50),
        percentile(gateway, 50),
        percentile(gateway, 99),
        percentile(masked, 50) / percentile(raw, 50),
        ratio,
      ]);
    }
    const geo = Math.exp(mean(ratios.map(Math.log)));
    return [
      `Gateway rewrite cost per query, alice (masks + row filter), ${rewriteIterations} iterations each, sequential, in process`,
      table(['query', 'uncached µs mean', 'p50', 'p99', 'steady state µs mean', 'p50'], rewriteRows),
      '',
      `runQuery end to end vs the same SQL on DuckDB directly (${runIterations} interleaved runs each, ms; Heimdall and Metis stubbed, no history)`,
      table(
        [
          'query',
          'DuckDB direct p50',
          'rewritten SQL on DuckDB p50',
          'runQuery p50',
          'runQuery p99',
          'masking cost ×',
          'runQuery / direct ×',
        ],
        runRows,
      ),
      `geometric mean of runQuery / direct (p50): ${geo.toFixed(2)}×`,
    ].join('\n');
  } finally {
    await engine.close();
    parser.close();
    uncachedParser.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runGatewayBench());
}
