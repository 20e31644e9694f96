import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongo, type TestMongo } from '@dataos/testkit';
import { StaticColumnCatalog, type ColumnCatalog } from '../src/catalog.js';
import { demoTables } from '../src/data/demo.js';
import { DuckDbEngine } from '../src/engines/duckdb.js';
import type { Engine } from '../src/engines/engine.js';
import { QueryHistory } from '../src/history.js';
import { DEFAULT_DATA_POLICIES } from '../src/policies/defaults.js';
import type { DataPolicyDoc, RowFilter } from '../src/policies/model.js';
import type { CatalogDataset } from '../src/policies/resolve.js';
import type { Subject } from '../src/policies/subject.js';
import { QueryService } from '../src/query.js';
import {
  CLUSTER,
  asDuckDb,
  DEMO_POLICIES,
  ENGINES,
  docs,
  rawCustomers,
  refusal,
  startEngineHarness,
  SUBJECTS,
  type EngineHarness,
} from './support.js';

describe.each(ENGINES)('on %s', (kind) => {
  /**
   * Attacks on the scan itself: error oracles on hidden rows when the row filter is not pushed
   * into the table scan, catalog drift and DuckDB's implicit LATERAL, attributes a predicate
   * lacks, case-variant duplicate columns, size-amplifying functions, and the history of failures.
   */

  const raw = rawCustomers();
  let h: EngineHarness;

  beforeAll(async () => {
    h = await startEngineHarness(undefined, kind);
  });
  afterAll(() => h.close());

  /** The default masks plus one row filter for the tester (no region filter: only this one applies). */
  function onlyFilter(filters: RowFilter[], dataset = 'dataos://icebase:retail/customers'): DataPolicyDoc[] {
    return docs([
      ...DEFAULT_DATA_POLICIES,
      {
        name: 'only-filter',
        type: 'filter',
        priority: 40,
        datasets: [dataset],
        selector: { user: { match: 'any', tags: ['roles:id:tester'] } },
        filters,
      },
    ]);
  }

  /** A QueryService over the harness's engine with another catalog (simulated catalog drift). */
  function serviceWith(
    catalog: ColumnCatalog,
    policies: DataPolicyDoc[],
    engine: Engine = h.target,
    history?: QueryHistory,
  ) {
    const service = new QueryService({
      rewriter: h.rewriter,
      catalog,
      policies: { all: async () => policies },
      engineFor: () => engine,
      ...(history ? { history } : {}),
    });
    return async (subject: Subject, sql: string) => {
      const cluster = engine === h.target ? h.cluster : CLUSTER;
      const result = await service.run({ subject, caller: {}, canRead: async () => true, cluster, sql }, 10_000);
      return engine.kind === 'trino' ? asDuckDb(result) : result;
    };
  }

  const demoDataset = (name: string): CatalogDataset => {
    const t = demoTables().find((x) => x.dataset === name)!;
    return {
      urn: `dataos://${t.depot}:${t.collection}/${t.dataset}`,
      columns: t.columns.map((c) => ({ name: c.name, type: c.type, tags: [...c.tags] })),
    };
  };

  describe('error oracles on hidden rows, with filters that are not pushed into the scan', () => {
    const FILTERS: { name: string; filters: RowFilter[]; visible: (c: (typeof raw)[number]) => boolean }[] = [
      {
        name: 'an OR predicate',
        filters: [{ predicate: 'customer_id <= 100 OR region = $region' }],
        visible: (c) => Number(c.customer_id) <= 100 || c.region === 'apac',
      },
      {
        name: 'a predicate on a computed value',
        filters: [{ predicate: 'customer_id % 7 = 0' }],
        visible: (c) => Number(c.customer_id) % 7 === 0,
      },
      {
        name: 'an IN list of regions',
        filters: [{ column: 'region', operator: 'in', value: ['apac', 'emea'] }],
        visible: (c) => c.region !== 'amer',
      },
      {
        name: 'an IN list of ids',
        filters: [{ column: 'customer_id', operator: 'in', value: [1, 2, 3, 200] }],
        visible: (c) => ['1', '2', '3', '200'].includes(c.customer_id),
      },
    ];

    it.each(FILTERS)(
      '$name: a predicate that fails on a hidden row neither fails nor counts it',
      async ({ filters, visible }) => {
        h.policies = onlyFilter(filters);
        const shown = raw.filter(visible);
        const hidden = raw.find((c) => !visible(c) && c.region === 'amer' && Number(c.customer_id) > 100)!;
        const id = hidden.customer_id;
        const oracles = [
          `SELECT count(*) FROM icebase.retail.customers WHERE CASE WHEN customer_id = ${id} THEN 9223372036854775807 ELSE 0 END + customer_id > 0`,
          `SELECT count(*) FROM icebase.retail.customers WHERE CAST(CASE WHEN customer_id = ${id} THEN 'x' ELSE '1' END AS INTEGER) = 1`,
          // Binary search on a hidden row's values: "is its region amer and its id above n?"
          `SELECT count(*) FROM icebase.retail.customers WHERE CAST(CASE WHEN region = 'amer' AND customer_id BETWEEN ${id} AND ${id} THEN 'x' ELSE '1' END AS INTEGER) = 1`,
          `SELECT count(*) FROM icebase.retail.customers WHERE (CASE WHEN customer_id = ${id} AND email > '' THEN 9223372036854775807 ELSE 1 END) * 2 > 0`,
          `SELECT count(*) FROM icebase.retail.customers WHERE 1.0 / (customer_id - ${id}) IS NOT NULL OR customer_id <> ${id}`,
        ];
        for (const sql of oracles) {
          const result = await h.run(SUBJECTS.tester, sql);
          expect(result.rows, sql).toEqual([[String(shown.length)]]);
        }
        // The brief's form: overflow on large ids; whatever the engine does, it sees visible rows only.
        const big = await h
          .run(
            SUBJECTS.tester,
            'SELECT count(*) FROM icebase.retail.customers WHERE customer_id + 9223372036854775700 > 0',
          )
          .catch((e: unknown) => e);
        if (Array.isArray((big as { rows?: unknown }).rows))
          expect((big as { rows: unknown[] }).rows).toEqual([[String(shown.length)]]);
        else expect((big as { extensions: { reason: string } }).extensions.reason).toBe('ENGINE_RUNTIME');
        // The visible rows keep their values (the guard changes nothing for them).
        const rows = await h.run(
          SUBJECTS.tester,
          'SELECT customer_id, region FROM icebase.retail.customers ORDER BY customer_id',
        );
        expect(rows.rows).toEqual(shown.map((c) => [c.customer_id, c.region]));
        h.policies = DEMO_POLICIES;
      },
    );

    it('every exposed column is guarded by the filter in the executed SQL', async () => {
      h.policies = onlyFilter([{ column: 'region', operator: 'in', value: ['apac', 'emea'] }]);
      const r = await h.service.explain({
        subject: SUBJECTS.tester,
        caller: {},
        canRead: async () => true,
        cluster: CLUSTER,
        sql: 'SELECT * FROM icebase.retail.customers',
      });
      for (const column of ['customer_id', 'full_name', 'email', 'phone', 'region', 'date_of_birth', 'created_at']) {
        expect(r.sql).toMatch(
          new RegExp(
            `CASE +WHEN \\(\\(__gw_scan\\.region IN \\('apac', 'emea'\\)\\)\\) THEN \\([^]*?\\) ELSE NULL END AS ${column}\\b`,
          ),
        );
      }
      h.policies = DEMO_POLICIES;
    });
  });

  describe('catalog drift: a column Metis lists but the table lacks never binds to another FROM item', () => {
    // Metis says orders have a `region` column (the physical table has none) and filters by it.
    const orders = demoDataset('orders');
    const drifted = new StaticColumnCatalog([
      {
        ...orders,
        columns: [
          ...orders.columns,
          { name: 'region', type: 'VARCHAR', tags: [] },
          { name: 'note', type: 'VARCHAR', tags: ['PII.Email'] },
        ],
      },
    ]);

    it.each([
      {
        name: 'a structured filter',
        filters: [{ column: 'region', operator: 'equals', valueFrom: 'claims.region' }] as RowFilter[],
      },
      { name: 'a predicate filter', filters: [{ predicate: 'region = $region' }] as RowFilter[] },
    ])('$name on the missing column: an engine error, not every row', async ({ filters }) => {
      const run = serviceWith(drifted, onlyFilter(filters, 'dataos://icebase:retail/orders'));
      for (const sql of [
        "SELECT count(*) FROM (SELECT 'apac' AS region) x, icebase.retail.orders o",
        "SELECT count(*) FROM (SELECT 'apac' AS region, 'clear' AS note) x CROSS JOIN icebase.retail.orders",
        "WITH x AS (SELECT 'apac' AS region) SELECT count(*) FROM x, icebase.retail.orders",
      ]) {
        const e = await refusal(run(SUBJECTS.tester, sql));
        expect(e.extensions, sql).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CATALOG_MISMATCH' });
        expect(e.message).toMatch(/catalog lists columns the table does not have/);
      }
    });

    it('a masked column missing from the table does not read the column of an earlier FROM item', async () => {
      const run = serviceWith(drifted, docs(DEFAULT_DATA_POLICIES));
      const e = await refusal(
        run(SUBJECTS.tester, "SELECT o.note FROM (SELECT 'clear@example.com' AS note) x, icebase.retail.orders o"),
      );
      expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CATALOG_MISMATCH' });
    });
  });

  describe('a predicate whose attribute is missing or a list is FALSE (no row)', () => {
    it.each([
      { name: 'no region claim', subject: SUBJECTS.erin },
      {
        name: 'a list-valued region claim',
        subject: { ...SUBJECTS.tester, claims: { ...SUBJECTS.tester.claims, region: ['apac', 'amer'] } },
      },
    ])('$name', async ({ subject }) => {
      const policies = docs([
        ...DEFAULT_DATA_POLICIES,
        {
          name: 'pred',
          type: 'filter',
          priority: 40,
          datasets: ['dataos://icebase:retail/customers'],
          selector: { user: { match: 'any', tags: ['users:id:*'] } },
          filters: [{ predicate: '$region IS NULL OR region = $region' }],
        },
      ]);
      h.policies = policies;
      const result = await h.run(subject, 'SELECT count(*) FROM icebase.retail.customers');
      expect(result.rows).toEqual([['0']]);
      // With the attribute, the same predicate shows that region only.
      expect((await h.run(SUBJECTS.tester, 'SELECT DISTINCT region FROM icebase.retail.customers')).rows).toEqual([
        ['apac'],
      ]);
      h.policies = DEMO_POLICIES;
    });
  });

  describe('case-variant duplicate catalog columns', () => {
    it('a dataset listing `email` (tagged) and `EMAIL` (untagged) is refused with a clear code', async () => {
      const customers = demoDataset('customers');
      const dup = new StaticColumnCatalog([
        { ...customers, columns: [...customers.columns, { name: 'EMAIL', type: 'VARCHAR', tags: [] }] },
      ]);
      const run = serviceWith(dup, docs(DEFAULT_DATA_POLICIES));
      for (const sql of [
        'SELECT "EMAIL" FROM icebase.retail.customers',
        'SELECT count(*) FROM icebase.retail.customers',
      ]) {
        const e = await refusal(run(SUBJECTS.tester, sql));
        expect(e.extensions).toMatchObject({
          code: 'FORBIDDEN',
          reason: 'DUPLICATE_COLUMNS',
          columns: ['email', 'EMAIL'],
        });
        expect(e.message).toContain('"email" and "EMAIL"');
      }
    });
  });

  describe('denial of service', () => {
    it('size-amplifying functions are capped in user SQL; the engine keeps answering', async () => {
      for (const sql of [
        "SELECT repeat('x', 2000000000)",
        "SELECT length(repeat('ab', 60000))",
        'SELECT repeat(email, 3) FROM icebase.retail.customers',
        "SELECT repeat('x', customer_id) FROM icebase.retail.customers",
        "SELECT lpad('', 2000000000, 'x')",
        "SELECT rpad(email, CAST(customer_id AS INTEGER) * 1000000, 'x') FROM icebase.retail.customers",
        "SELECT replace(lpad('', 100000, 'x'), 'x', lpad('', 100000, 'y'))",
        "SELECT regexp_replace(email, '', '" + 'y'.repeat(500) + "', 'g') FROM icebase.retail.customers",
        "SELECT printf('%2000000000d', 1)",
        "SELECT printf('%*d', 2000000000, 1)",
        "SELECT format('{:>2000000000}', 'x')",
        "SELECT format('{:>{}}', 'x', 2000000000)",
        "SELECT count(*) FROM icebase.retail.customers WHERE length(repeat('x', 1000000000)) > 0",
      ]) {
        const e = await refusal(h.run(SUBJECTS.alice, sql));
        expect(e.extensions, sql).toMatchObject({ code: 'FORBIDDEN', reason: 'SIZE_LIMIT' });
        expect(e.message).toMatch(/at most|constant|limited/);
      }
      // Within the caps the engine answers (`repeat` and `printf` are DuckDB's: Trino's repeat builds an array).
      const first = String(raw.find((c) => c.region === 'emea')!.customer_id);
      const ok = await h.run(
        SUBJECTS.alice,
        kind === 'duckdb'
          ? "SELECT lpad(CAST(customer_id AS VARCHAR), 8, '0') AS p, repeat('-', 3) AS r, printf('%05d', customer_id) AS f, replace(region, 'e', 'E') AS x FROM icebase.retail.customers ORDER BY customer_id LIMIT 1"
          : "SELECT lpad(CAST(customer_id AS VARCHAR), 8, '0') AS p, replace(region, 'e', 'E') AS x FROM icebase.retail.customers ORDER BY customer_id LIMIT 1",
      );
      expect(ok.rows).toEqual([
        kind === 'duckdb'
          ? [first.padStart(8, '0'), '---', first.padStart(5, '0'), 'EmEa']
          : [first.padStart(8, '0'), 'EmEa'],
      ]);
    });

    it('the embedded engine runs with a memory limit and a thread count, locked', async () => {
      const setting = async (name: string) =>
        (await h.engine.unsafeRaw(`SELECT current_setting('${name}')`)).rows[0]![0];
      expect(await setting('memory_limit')).toMatch(/^(1\.0 GiB|953\.6 MiB|1000\.0 MiB)$/);
      expect(await setting('threads')).toBe('2');
      await expect(h.engine.unsafeRaw("SET memory_limit = '100GB'")).rejects.toThrow(/locked/);
    });

    it('a query over the memory limit or the result size fails cleanly with a code', async () => {
      const small = await DuckDbEngine.create({
        memoryLimit: '64MB',
        threads: 1,
        maxResultBytes: 20_000,
        connections: 1,
      });
      try {
        expect((await small.unsafeRaw("SELECT current_setting('memory_limit')")).rows[0]![0]).toMatch(
          /^6[01]\.\d MiB$/,
        );
        const run = serviceWith(StaticColumnCatalog.fromDemo(), DEMO_POLICIES, small);
        const big = await refusal(run(SUBJECTS.carol, 'SELECT * FROM icebase.retail.customers'));
        expect(big.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RESOURCE_LIMIT' });
        expect(big.message).toMatch(/larger than 20000 bytes/);
        const sort = await refusal(
          run(
            SUBJECTS.carol,
            'SELECT count(DISTINCT a.email || b.email || p.sku) FROM icebase.retail.customers a, icebase.retail.customers b, icebase.retail.products p',
          ),
        );
        expect(sort.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'RESOURCE_LIMIT' });
        expect(sort.message).toMatch(/more memory/);
        // Still up: a small query answers.
        expect((await run(SUBJECTS.carol, 'SELECT count(*) FROM icebase.retail.customers')).rows).toEqual([['300']]);
      } finally {
        await small.close();
      }
    });
  });

  describe('history: every attempt is recorded, unexpected failures included', () => {
    let mongo: TestMongo;
    let history: QueryHistory;
    beforeAll(async () => {
      mongo = await testMongo('GATEWAY', 'gateway_scans_');
      history = new QueryHistory(mongo.db);
    });
    afterAll(async () => {
      await mongo?.drop();
    });

    it('an error that is neither a GraphQLError nor an EngineError writes a FAILED record, then propagates', async () => {
      const broken: ColumnCatalog = {
        datasets: async () => Promise.reject(new TypeError('catalog bug: x is undefined')),
      };
      const run = serviceWith(broken, DEMO_POLICIES, h.engine, history);
      await expect(run(SUBJECTS.alice, 'SELECT 1 FROM icebase.retail.customers')).rejects.toThrow(TypeError);
      const crashing: Engine = {
        kind: 'duckdb',
        dialect: 'duckdb',
        execute: async () => Promise.reject(new RangeError('driver bug')),
        ping: async () => undefined,
        close: async () => undefined,
      };
      const run2 = serviceWith(StaticColumnCatalog.fromDemo(), DEMO_POLICIES, crashing, history);
      await expect(run2(SUBJECTS.alice, 'SELECT 2 FROM icebase.retail.customers')).rejects.toThrow(RangeError);
      const records = await history.queries.find({ subject: SUBJECTS.alice.id }).sort({ startedAt: 1 }).toArray();
      expect(records.map((r) => [r.sql, r.state, r.error])).toEqual([
        [
          'SELECT 1 FROM icebase.retail.customers',
          'FAILED',
          { code: 'INTERNAL_SERVER_ERROR', message: 'The query failed inside the Gateway.' },
        ],
        [
          'SELECT 2 FROM icebase.retail.customers',
          'FAILED',
          { code: 'INTERNAL_SERVER_ERROR', message: 'The query failed inside the Gateway.' },
        ],
      ]);
      // The second one was rewritten before the engine failed: what ran is on record.
      expect(records[1]!.rewrittenSql).toContain('__gw_scan');
      expect(JSON.stringify(records)).not.toMatch(/bug/);
    });
  });

  describe('masks other than hash and bucket_date under aggregation and ORDER BY', () => {
    const apac = raw.filter((c) => c.region === 'apac');
    const withMask = (columns: string[], mask: Record<string, unknown>) => {
      h.policies = [
        ...DEMO_POLICIES,
        ...docs([
          {
            name: 'test-mask',
            type: 'mask',
            priority: 5,
            selector: { user: { match: 'any', tags: ['roles:id:tester'] }, column: { names: columns } },
            mask: mask as never,
          },
        ]),
      ];
    };
    afterAll(() => {
      h.policies = DEMO_POLICIES;
    });
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

    it.each([
      { operator: 'redact', replacement: '[X]' },
      { operator: 'partial', keepFirst: 2, keepLast: 4 },
      { operator: 'regex_replace', pattern: '[a-z0-9]', replacement: '*' },
      { operator: 'rand_pattern', pattern: '###-AA' },
    ])('$operator on email and phone: aggregates and orderings see masked values only', async (mask) => {
      withMask(['email', 'phone'], mask);
      const masked = (
        await h.run(
          SUBJECTS.tester,
          'SELECT customer_id, email, phone FROM icebase.retail.customers ORDER BY customer_id',
        )
      ).rows as string[][];
      expect(masked.map((r) => r[0])).toEqual(apac.map((c) => c.customer_id));
      // first(), list() and string_agg(... ORDER BY) are DuckDB's: on Trino, min and max_by/min_by only
      const sqls = [
        kind === 'duckdb'
          ? "SELECT min(email), max(email), count(DISTINCT email), arg_max(email, email), first(phone ORDER BY phone), string_agg(email, ',' ORDER BY email, customer_id) FROM icebase.retail.customers"
          : 'SELECT min(email), max(email), count(DISTINCT email), arg_max(email, email), min(phone) FROM icebase.retail.customers',
        kind === 'duckdb'
          ? 'SELECT list(email ORDER BY email, customer_id), arg_max(phone, customer_id), arg_min(customer_id, email) FROM icebase.retail.customers'
          : 'SELECT arg_max(phone, customer_id), arg_min(customer_id, email) FROM icebase.retail.customers',
        'SELECT customer_id, email FROM icebase.retail.customers ORDER BY email, customer_id',
        'SELECT email, count(*) FROM icebase.retail.customers GROUP BY email ORDER BY 2 DESC, 1 LIMIT 3',
      ];
      const answers = [];
      for (const sql of sqls) answers.push((await h.run(SUBJECTS.tester, sql)).rows);
      const text = JSON.stringify(answers).toLowerCase();
      for (const c of raw) {
        expect(text).not.toContain(c.email.toLowerCase());
        expect(text).not.toContain(c.phone.toLowerCase());
      }
      if (mask.operator === 'rand_pattern') {
        for (const [, , phone] of masked) expect(phone).toMatch(/^\d{3}-[A-Z]{2}$/);
        return; // random per read: no stable value to compare aggregates with
      }
      const emails = masked.map((r) => r[1]!);
      const sorted = [...emails].sort(cmp);
      expect(answers[0]![0]!.slice(0, 4)).toEqual([
        sorted[0],
        sorted.at(-1),
        String(new Set(emails).size),
        sorted.at(-1),
      ]);
      const byEmail = [...masked].sort((a, b) => cmp(a[1]!, b[1]!) || Number(a[0]) - Number(b[0]));
      expect(answers[2]).toEqual(byEmail.map((r) => [r[0], r[1]]));
      if (kind === 'duckdb') expect(answers[0]![0]![5]).toBe(byEmail.map((r) => r[1]).join(','));
    });

    it('bucket_number on order totals: sums, maxima and orderings are over the buckets', async () => {
      h.policies = [
        ...DEMO_POLICIES,
        ...docs([
          {
            name: 'test-bucket',
            type: 'mask',
            priority: 5,
            selector: { user: { match: 'any', tags: ['roles:id:tester'] }, column: { names: ['order_total'] } },
            mask: { operator: 'bucket_number', bucketSize: 100 },
          },
        ]),
      ];
      const clear = (
        await h.engine.unsafeRaw('SELECT order_id, order_total FROM icebase.retail.orders ORDER BY order_id')
      ).rows;
      const bucket = (v: unknown) => Math.floor(Number(v) / 100) * 100;
      const [row] = (
        await h.run(
          SUBJECTS.tester,
          'SELECT sum(order_total), max(order_total), min(order_total), count(DISTINCT order_total), arg_max(order_id, order_total) FROM icebase.retail.orders',
        )
      ).rows;
      const buckets = clear.map((r) => bucket(r[1]));
      expect(Number(row![0])).toBe(buckets.reduce((a, b) => a + b, 0));
      expect([Number(row![1]), Number(row![2]), Number(row![3])]).toEqual([
        Math.max(...buckets),
        Math.min(...buckets),
        new Set(buckets).size,
      ]);
      expect(buckets[clear.findIndex((r) => String(r[0]) === String(row![4]))]).toBe(Math.max(...buckets));
      const ordered = (
        await h.run(
          SUBJECTS.tester,
          'SELECT order_id, order_total FROM icebase.retail.orders ORDER BY order_total DESC, order_id LIMIT 20',
        )
      ).rows;
      const expected = clear
        .map((r) => [String(r[0]), bucket(r[1])])
        .sort((a, b) => Number(b[1]) - Number(a[1]) || Number(a[0]) - Number(b[0]))
        .slice(0, 20);
      expect(ordered.map((r) => [String(r[0]), Number(r[1])])).toEqual(expected);
    });
  });
});
