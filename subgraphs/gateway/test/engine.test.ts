import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTables } from '../src/data/demo.js';
import type { DataPolicyInput, MaskSpec } from '../src/policies/model.js';
import {
  DEMO_POLICIES,
  ENGINE_ERRORS,
  ENGINES,
  derivedKey,
  docs,
  md5,
  rawCustomers,
  refusal,
  sha256,
  startEngineHarness,
  SUBJECTS,
  type EngineHarness,
} from './support.js';

describe.each(ENGINES)('on %s', (kind) => {
  let h: EngineHarness;
  const raw = rawCustomers();
  const byId = new Map(raw.map((c) => [c.customer_id, c]));
  const apac = raw.filter((c) => c.region === 'apac');

  beforeAll(async () => {
    h = await startEngineHarness(undefined, kind);
  });
  afterAll(() => h.close());

  /** Only `columns` of the tester (region apac) masked by `spec`, over the demo policies. */
  function withMask(columns: string[], spec: MaskSpec) {
    const policy: DataPolicyInput = {
      name: `test-${spec.operator}`,
      type: 'mask',
      priority: 5,
      selector: { user: { match: 'any', tags: ['roles:id:tester'] }, column: { names: columns } },
      mask: spec,
    };
    h.policies = [...DEMO_POLICIES, ...docs([policy])];
  }

  async function customerColumn(column: string) {
    const result = await h.run(
      SUBJECTS.tester,
      `SELECT customer_id, ${column} FROM icebase.retail.customers ORDER BY customer_id`,
    );
    expect(result.rows.length).toBe(apac.length);
    return result.rows.map(([id, value]) => ({ raw: byId.get(String(id))!, value }));
  }

  async function orderColumn(column: string) {
    const masked = await h.run(
      SUBJECTS.tester,
      `SELECT order_id, ${column} FROM icebase.retail.orders ORDER BY order_id`,
    );
    const clear = await h.engine.unsafeRaw(`SELECT order_id, ${column} FROM icebase.retail.orders ORDER BY order_id`);
    expect(masked.rows.length).toBe(clear.rows.length);
    return masked.rows.map(([, value], i) => ({ raw: clear.rows[i]![1], value }));
  }

  describe('each masking operator on the real engine', () => {
    it("hash SHA256: hex digest of the policy's derived key and the value", async () => {
      withMask(['full_name'], { operator: 'hash', algorithm: 'sha256' });
      for (const { raw: c, value } of await customerColumn('full_name'))
        expect(value).toBe(sha256(derivedKey('test-hash') + c.full_name));
    });

    it('hash MD5', async () => {
      withMask(['email'], { operator: 'hash', algorithm: 'md5' });
      for (const { raw: c, value } of await customerColumn('email'))
        expect(value).toBe(md5(derivedKey('test-hash') + c.email));
    });

    it('hash with a per-dataset key: the dataset URN enters the derivation', async () => {
      withMask(['full_name'], { operator: 'hash', algorithm: 'sha256', keyScope: 'dataset' });
      const key = derivedKey('test-hash', 'dataos://icebase:retail/customers');
      for (const { raw: c, value } of await customerColumn('full_name')) expect(value).toBe(sha256(key + c.full_name));
    });

    it('redact: the replacement text', async () => {
      withMask(['phone'], { operator: 'redact', replacement: '[X]' });
      for (const { value } of await customerColumn('phone')) expect(value).toBe('[X]');
    });

    it('partial: first and last characters kept, the rest starred', async () => {
      withMask(['email'], { operator: 'partial', keepFirst: 2, keepLast: 4 });
      for (const { raw: c, value } of await customerColumn('email')) {
        expect(value).toBe(c.email.slice(0, 2) + '*'.repeat(c.email.length - 6) + c.email.slice(-4));
      }
    });

    it('bucket_number with bounds: the greatest bound not above the value', async () => {
      withMask(['order_total'], { operator: 'bucket_number', buckets: [0, 50, 100, 250] });
      for (const { raw: v, value } of await orderColumn('order_total')) {
        const n = Number(v);
        expect(Number(value)).toBe(n >= 250 ? 250 : n >= 100 ? 100 : n >= 50 ? 50 : 0);
      }
    });

    it('bucket_number with a width', async () => {
      withMask(['order_total'], { operator: 'bucket_number', bucketSize: 100 });
      for (const { raw: v, value } of await orderColumn('order_total'))
        expect(Number(value)).toBe(Math.floor(Number(v) / 100) * 100);
    });

    it('bucket_date: timestamps to the month, dates to the year', async () => {
      withMask(['ordered_at'], { operator: 'bucket_date', precision: 'month' });
      for (const { raw: v, value } of await orderColumn('ordered_at'))
        expect(value).toBe(`${String(v).slice(0, 7)}-01 00:00:00`);
      h.policies = DEMO_POLICIES;
      for (const { raw: c, value } of await customerColumn('date_of_birth'))
        expect(value).toBe(`${c.date_of_birth.slice(0, 4)}-01-01`);
    });

    it('regex_replace: every match replaced', async () => {
      withMask(['phone'], { operator: 'regex_replace', pattern: '[0-9]', replacement: '#' });
      for (const { raw: c, value } of await customerColumn('phone')) expect(value).toBe(c.phone.replace(/[0-9]/g, '#'));
    });

    it('rand_pattern with a pattern: random digits and letters in place', async () => {
      withMask(['phone'], { operator: 'rand_pattern', pattern: '###-AA-aa' });
      const values = (await customerColumn('phone')).map((r) => r.value as string);
      for (const v of values) expect(v).toMatch(/^\d{3}-[A-Z]{2}-[a-z]{2}$/);
      expect(new Set(values).size).toBeGreaterThan(values.length / 2);
    });

    it('rand_pattern without a pattern: random digits of the same length', async () => {
      withMask(['full_name'], { operator: 'rand_pattern' });
      for (const { raw: c, value } of await customerColumn('full_name')) {
        expect(value).toMatch(/^\d+$/);
        expect((value as string).length).toBe(c.full_name.length);
      }
    });

    it('pass_through at a lower number than the default hash: the clear value', async () => {
      withMask(['email'], { operator: 'pass_through' });
      for (const { raw: c, value } of await customerColumn('email')) expect(value).toBe(c.email);
    });

    it('operators that do not fit the column type redact instead (fail closed)', async () => {
      withMask(['email', 'region'], { operator: 'bucket_number', bucketSize: 10 });
      for (const { value } of await customerColumn('email')) expect(value).toBe('[REDACTED]');
      withMask(['region'], { operator: 'bucket_date', precision: 'day' });
      for (const { value } of await customerColumn('region')) expect(value).toBe('[REDACTED]');
    });
  });

  describe('row filters by subject', () => {
    beforeAll(() => {
      h.policies = DEMO_POLICIES;
    });
    const regions = async (subject: (typeof SUBJECTS)[keyof typeof SUBJECTS]) =>
      (await h.run(subject, 'SELECT region, count(*) FROM icebase.retail.customers GROUP BY region ORDER BY region'))
        .rows;
    const count = (region: string) => String(raw.filter((c) => c.region === region).length);

    it('alice (claim region=emea) sees only emea customers, hashed', async () => {
      expect(await regions(SUBJECTS.alice)).toEqual([['emea', count('emea')]]);
      const rows = (await h.run(SUBJECTS.alice, 'SELECT email FROM icebase.retail.customers')).rows;
      expect(rows.every(([e]) => /^[0-9a-f]{64}$/.test(String(e)))).toBe(true);
    });

    it('carol (admin, pii-reader) sees every row in clear', async () => {
      expect(await regions(SUBJECTS.carol)).toEqual([
        ['amer', count('amer')],
        ['apac', count('apac')],
        ['emea', count('emea')],
      ]);
      const rows = (
        await h.run(
          SUBJECTS.carol,
          'SELECT customer_id, email, full_name FROM icebase.retail.customers ORDER BY customer_id',
        )
      ).rows;
      expect(rows).toEqual(raw.map((c) => [c.customer_id, c.email, c.full_name]));
    });

    it('a data developer without a region claim sees no row', async () => {
      expect(await regions(SUBJECTS.erin)).toEqual([]);
    });

    it('a filter from subject tags (IN) and a SQL predicate with $attributes', async () => {
      h.policies = [
        ...DEMO_POLICIES,
        ...docs([
          {
            name: 'by-group',
            type: 'filter',
            priority: 40,
            datasets: ['dataos://icebase:retail/orders'],
            selector: { user: { match: 'any', tags: ['roles:id:tester'] } },
            filters: [{ column: 'customer_id', operator: 'in', value: [1, 2, 3] }],
          },
          {
            name: 'pred',
            type: 'filter',
            priority: 40,
            datasets: ['dataos://icebase:retail/customers'],
            selector: { user: { match: 'any', tags: ['roles:id:tester'] } },
            filters: [{ predicate: 'customer_id <= 100 OR region = $region' }],
          },
        ]),
      ];
      const orders = await h.run(
        SUBJECTS.tester,
        'SELECT order_id, customer_id FROM icebase.retail.orders ORDER BY order_id',
      );
      const ordersTable = demoTables().find((t) => t.dataset === 'orders')!;
      const expected = ordersTable.rows
        .filter((r) => [1, 2, 3].includes(Number(r[1])))
        .map((r) => [String(r[0]), String(r[1])]);
      expect(expected.length).toBeGreaterThan(0);
      expect(orders.rows.map((r) => [String(r[0]), String(r[1])])).toEqual(expected);
      const customers = await h.run(SUBJECTS.tester, 'SELECT customer_id FROM icebase.retail.customers ORDER BY 1');
      // customers-by-region (apac) AND the predicate (id <= 100 or apac): the apac customers.
      expect(customers.rows.map((r) => r[0])).toEqual(apac.map((c) => c.customer_id));
      expect(customers.policies).toEqual(expect.arrayContaining(['pred', 'customers-by-region']));
      h.policies = DEMO_POLICIES;
    });
  });

  describe('results and errors', () => {
    beforeAll(() => {
      h.policies = DEMO_POLICIES;
    });

    it('pages with a limit and an opaque cursor bound to the query', async () => {
      const sql = 'SELECT customer_id FROM icebase.retail.customers ORDER BY customer_id';
      const req = {
        subject: SUBJECTS.carol,
        caller: {},
        canRead: async () => true,
        cluster: h.cluster,
        sql,
      };
      const first = await h.serve(req, 120);
      expect(first).toMatchObject({
        rowCount: 120,
        hasMore: true,
        offset: 0,
        columns: [{ name: 'customer_id', type: 'BIGINT' }],
      });
      const second = await h.serve(req, 120, first.cursor);
      expect(second.rows[0]).toEqual(['121']);
      const third = await h.serve(req, 120, second.cursor);
      expect(third).toMatchObject({ rowCount: 60, hasMore: false, cursor: null });
      const other = await refusal(h.service.run({ ...req, sql: 'SELECT 1' }, 10, first.cursor));
      expect(other.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cursor' });
      expect((await refusal(h.service.run(req, 0))).extensions.field).toBe('limit');
    });

    it('engine planning errors are shown; runtime errors hide values', async () => {
      const planning = await refusal(h.run(SUBJECTS.alice, 'SELECT no_such_column FROM icebase.retail.customers'));
      expect(planning.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ENGINE_PLANNING' });
      expect(planning.message).toMatch(/no_such_column/);
      const runtime = await refusal(
        h.run(SUBJECTS.carol, `SELECT CAST(full_name AS INTEGER) FROM icebase.retail.customers`),
      );
      expect(runtime.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ENGINE_RUNTIME' });
      expect(runtime.message).toMatch(ENGINE_ERRORS[kind].conversion);
      for (const c of raw) expect(runtime.message).not.toContain(c.full_name);
    });

    it('refuses datasets the caller may not read and datasets the catalog does not know', async () => {
      const req = {
        subject: SUBJECTS.alice,
        caller: {},
        cluster: {
          _id: 'c',
          engine: 'duckdb' as const,
          endpoint: null,
          state: 'RUNNING' as const,
          createdAt: new Date(),
        },
      };
      const denied = await refusal(
        h.service.run({
          ...req,
          canRead: async (urn) => !urn.includes('finance'),
          sql: 'SELECT * FROM lakehouse.finance.invoices',
        }),
      );
      expect(denied.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'NO_READ',
        datasets: ['dataos://lakehouse:finance/invoices'],
      });
      const unknown = await refusal(
        h.service.run({ ...req, canRead: async () => true, sql: 'SELECT * FROM icebase.retail.nothing' }),
      );
      expect(unknown.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'UNKNOWN_DATASET' });
      const depot = await refusal(
        h.service.run({
          ...req,
          canRead: async () => true,
          cluster: { ...req.cluster, depots: ['lakehouse'] },
          sql: 'SELECT 1 FROM icebase.retail.orders',
        }),
      );
      expect(depot.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'DEPOT_NOT_SERVED' });
    });

    it('the engine itself cannot read files (external access off, configuration locked)', async () => {
      await expect(h.engine.unsafeRaw(`SELECT * FROM read_csv('/etc/hostname')`)).rejects.toThrow(
        /disabled|Permission/,
      );
      await expect(h.engine.unsafeRaw('SET enable_external_access = true')).rejects.toThrow(/locked/);
    });
  });
});
