import { pathToFileURL } from 'node:url';
import { startDevstack } from '@dataos/devstack';
import { StaticColumnCatalog } from '../subgraphs/gateway/src/catalog.js';
import { DuckDbEngine } from '../subgraphs/gateway/src/engines/duckdb.js';
import type { Engine } from '../subgraphs/gateway/src/engines/engine.js';
import { TrinoEngine } from '../subgraphs/gateway/src/engines/trino.js';
import { DEFAULT_DATA_POLICIES, DEMO_DATA_POLICIES } from '../subgraphs/gateway/src/policies/defaults.js';
import { planScan } from '../subgraphs/gateway/src/policies/resolve.js';
import { policyDoc } from '../subgraphs/gateway/src/policies/store.js';
import type { Subject } from '../subgraphs/gateway/src/policies/subject.js';
import { SqlParser } from '../subgraphs/gateway/src/sql/parser.js';
import { QueryRewriter } from '../subgraphs/gateway/src/sql/pipeline.js';
import { percentile, table } from './lib/stats.js';

/**
 * The same queries on both Minerva engines, as alice (PII masks + region filter): on the embedded
 * DuckDB and on the devstack's Trino (Iceberg tables with the same rows), each engine running the
 * caller's original SQL (no masks, no filter: the baseline) and the Gateway's rewritten form of it
 * (masked, filtered, keys bound), interleaved in one run. Ratios: rewritten / original per engine
 * (the rewrite's overhead on that engine) and Trino / DuckDB for the rewritten form. The rewritten
 * timings include the Gateway's rewrite in steady state (cached, as in the service; measured on
 * its own in bench/gateway.ts); Heimdall, Metis and the history are left out.
 */

/** Standard SQL both engines read (no QUALIFY, GROUP BY ALL, DuckDB functions). */
const QUERIES: [name: string, sql: string][] = [
  ['select * limit 100', 'SELECT * FROM icebase.retail.customers ORDER BY customer_id LIMIT 100'],
  ['count per region', 'SELECT region, count(*) AS n FROM icebase.retail.customers GROUP BY region'],
  [
    'top spenders (join)',
    'SELECT c.full_name, c.email, sum(o.order_total) AS spent FROM icebase.retail.customers c JOIN icebase.retail.orders o ON o.customer_id = c.customer_id GROUP BY c.full_name, c.email ORDER BY spent DESC LIMIT 10',
  ],
  [
    'monthly revenue (CTE)',
    "WITH m AS (SELECT date_trunc('month', ordered_at) AS month, order_total FROM icebase.retail.orders) SELECT month, sum(order_total) AS total FROM m GROUP BY month ORDER BY month",
  ],
  [
    'big buyers (IN subquery)',
    'SELECT email FROM icebase.retail.customers WHERE customer_id IN (SELECT customer_id FROM icebase.retail.orders WHERE order_total > 400)',
  ],
  ['products by price', 'SELECT title, price FROM icebase.retail.products ORDER BY price DESC LIMIT 10'],
  ['count orders', 'SELECT count(*) AS n FROM icebase.retail.orders'],
];

const alice: Subject = {
  id: 'users:id:alice',
  sub: 'alice',
  tags: ['users:id:alice', 'users:type:person', 'roles:id:data-dev'],
  claims: { sub: 'alice', region: 'emea' },
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const geo = (xs: number[]) => Math.exp(mean(xs.map(Math.log)));

export async function runEnginesBench(
  options: { duckdbIterations?: number; trinoIterations?: number } = {},
): Promise<string> {
  const duckdbIterations = options.duckdbIterations ?? 40;
  const trinoIterations = options.trinoIterations ?? 8;
  const devstack = await startDevstack({ services: ['s3', 'trino'] });
  const url = devstack.env.TRINO_URL ?? process.env.TRINO_URL;
  if (!url) throw new Error('no Trino: the devstack did not start one');
  const parser = await SqlParser.create();
  const rewriter = new QueryRewriter(parser, 'bench-secret');
  const duckdb = await DuckDbEngine.create();
  const trino = new TrinoEngine({ endpoint: url });
  const catalog = StaticColumnCatalog.fromDemo();
  const policies = [...DEFAULT_DATA_POLICIES, ...DEMO_DATA_POLICIES].map((p) => policyDoc(p));
  const rewrite = async (sql: string, dialect: 'duckdb' | 'trino') => {
    const analysis = await rewriter.analyze(sql);
    const datasets = await catalog.datasets(analysis.datasets.map((d) => d.urn));
    const plans = new Map([...datasets].map(([urn, d]) => [urn, planScan(d!, alice, policies)]));
    return rewriter.rewrite(analysis, plans, alice, dialect);
  };
  const page = { limit: 1000, offset: 0 };
  try {
    const rows: (string | number)[][] = [];
    const overhead: Record<'duckdb' | 'trino', number[]> = { duckdb: [], trino: [] };
    const trinoVsDuck: number[] = [];
    for (const [name, sql] of QUERIES) {
      const forms: Record<
        'duckdb' | 'trino',
        { engine: Engine; original: () => Promise<unknown>; rewritten: () => Promise<unknown> }
      > = {
        duckdb: {
          engine: duckdb,
          original: () => duckdb.execute(sql, page),
          rewritten: async () => {
            const r = await rewrite(sql, 'duckdb');
            return duckdb.execute(r.engineSql, page, { parameters: r.parameters });
          },
        },
        trino: {
          engine: trino,
          original: () => trino.execute(sql, page, { user: 'alice' }),
          rewritten: async () => {
            const r = await rewrite(sql, 'trino');
            return trino.execute(r.engineSql, page, {
              parameters: r.parameters,
              user: 'alice',
              topLevelPage: r.topLevelPage,
            });
          },
        },
      };
      const p50: Record<string, number> = {};
      for (const kind of ['duckdb', 'trino'] as const) {
        const f = forms[kind];
        await f.original(); // warm-up: plans, caches, Iceberg metadata
        await f.rewritten();
        const original: number[] = [];
        const rewritten: number[] = [];
        const n = kind === 'duckdb' ? duckdbIterations : trinoIterations;
        for (let i = 0; i < n; i++) {
          let t = performance.now();
          await f.original();
          original.push(performance.now() - t);
          t = performance.now();
          await f.rewritten();
          rewritten.push(performance.now() - t);
        }
        original.sort((a, b) => a - b);
        rewritten.sort((a, b) => a - b);
        p50[`${kind}.original`] = percentile(original, 50);
        p50[`${kind}.rewritten`] = percentile(rewritten, 50);
        overhead[kind].push(p50[`${kind}.rewritten`]! / p50[`${kind}.original`]!);
      }
      trinoVsDuck.push(p50['trino.rewritten']! / p50['duckdb.rewritten']!);
      rows.push([
        name,
        p50['duckdb.original']!,
        p50['duckdb.rewritten']!,
        p50['duckdb.rewritten']! / p50['duckdb.original']!,
        p50['trino.original']!,
        p50['trino.rewritten']!,
        p50['trino.rewritten']! / p50['trino.original']!,
        p50['trino.rewritten']! / p50['duckdb.rewritten']!,
      ]);
    }
    return [
      `Minerva engines, alice (masks + row filter): original SQL vs the Gateway's rewritten form, p50 ms (DuckDB ${duckdbIterations}, Trino ${trinoIterations} interleaved runs per query; Trino 483 in the devstack, one JVM on a shared 2-core machine)`,
      table(
        [
          'query',
          'DuckDB original',
          'DuckDB rewritten',
          'DuckDB ×',
          'Trino original',
          'Trino rewritten',
          'Trino ×',
          'Trino / DuckDB (rewritten) ×',
        ],
        rows,
      ),
      `geometric means: rewrite overhead on DuckDB ${geo(overhead.duckdb).toFixed(2)}×, on Trino ${geo(overhead.trino).toFixed(2)}×; Trino / DuckDB for the rewritten queries ${geo(trinoVsDuck).toFixed(1)}×`,
    ].join('\n');
  } finally {
    await duckdb.close();
    parser.close();
    await devstack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runEnginesBench());
}
