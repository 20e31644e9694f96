import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trinoQuery } from '@dataos/devstack';
import { StaticColumnCatalog } from '../src/catalog.js';
import { EngineError } from '../src/engines/engine.js';
import { TrinoEngine } from '../src/engines/trino.js';
import { QueryService } from '../src/query.js';
import {
  derivedKey,
  DEMO_POLICIES,
  refusal,
  SECRET,
  sha256,
  startEngineHarness,
  SUBJECTS,
  trinoUrl,
} from './support.js';
import type { EngineHarness } from './support.js';

/**
 * The Trino engine against the devstack's real Trino 483 (Iceberg lakehouse with the demo rows):
 * identity, paging, key binding, error names, 64-bit integers. Masks, filters and the adversarial
 * suites run on it too (engine, adversarial tests, one describe per engine).
 */
let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness(undefined, 'trino');
});
afterAll(() => h.close());

/** Trino's own record of the queries whose text holds `marker`: who ran them. */
async function trinoUsers(marker: string): Promise<string[]> {
  const { rows } = await trinoQuery(
    trinoUrl(),
    `SELECT "user" FROM system.runtime.queries WHERE query LIKE '%${marker}%' AND query NOT LIKE '%system.runtime.queries%'`,
  );
  return rows.map((r) => String(r[0]));
}

describe('identity: Trino sees who asks', () => {
  it("alice's query runs as alice in Trino's query list, the Gateway being the original user", async () => {
    const marker = `gw_ident_${Date.now()}`;
    const result = await h.run(SUBJECTS.alice, `SELECT count(*) AS ${marker} FROM icebase.retail.customers`);
    expect(result.rows).toEqual([[String(result.rows[0]![0])]]);
    expect(await trinoUsers(marker)).toEqual(['alice']);
  });

  it('TRINO_IMPERSONATION=off runs as the Gateway (the caller only in the client info)', async () => {
    const engine = new TrinoEngine({ endpoint: trinoUrl(), user: 'dataos-gateway', impersonation: 'off' });
    const marker = `gw_off_${Date.now()}`;
    await engine.execute(`SELECT 1 AS ${marker}`, { limit: 1, offset: 0 }, { user: 'alice' });
    expect(await trinoUsers(marker)).toEqual(['dataos-gateway']);
  });

  it('a user name Trino cannot take is refused, never sent', async () => {
    const engine = new TrinoEngine({ endpoint: trinoUrl() });
    const error = await engine
      .execute('SELECT 1', { limit: 1, offset: 0 }, { user: 'alice\r\nX-Trino-User: admin' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
  });
});

describe('the engine', () => {
  const engine = () => new TrinoEngine({ endpoint: trinoUrl() });

  it('pages: OFFSET then LIMIT + 1, ordered by the query, 64-bit integers as text without rounding', async () => {
    const sql = 'SELECT customer_id FROM icebase.retail.customers ORDER BY customer_id';
    const page = await engine().execute(sql, { limit: 3, offset: 4 }, { topLevelPage: true });
    expect(page).toEqual({
      columns: [{ name: 'customer_id', type: 'bigint' }],
      rows: [['5'], ['6'], ['7']],
      hasMore: true,
    });
    const big = await engine().execute('SELECT 9007199254740993 AS n, 0.25e0 AS d', { limit: 1, offset: 0 });
    expect(big.rows).toEqual([['9007199254740993', 0.25]]);
  });

  it('binds hash keys through EXECUTE IMMEDIATE ... USING: the hashes are those of the derived keys', async () => {
    const result = await h.run(
      SUBJECTS.alice,
      'SELECT customer_id, email FROM icebase.retail.customers ORDER BY 1 LIMIT 3',
    );
    const raw = await h.engine.unsafeRaw(
      `SELECT customer_id, email FROM icebase.retail.customers WHERE region = 'emea' ORDER BY 1 LIMIT 3`,
    );
    expect(result.rows).toEqual(raw.rows.map(([id, email]) => [id, sha256(derivedKey('pii-email') + String(email))]));
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('planning errors by name are shown without the rewrite; runtime errors never quote a value', async () => {
    const shown = await refusal(h.run(SUBJECTS.alice, 'SELECT nope FROM icebase.retail.customers'));
    expect(shown.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ENGINE_PLANNING' });
    expect(shown.message).toBe("The engine refused the query: Column 'nope' cannot be resolved");
    const withheld = await refusal(h.run(SUBJECTS.alice, 'SELECT email, count(*) FROM icebase.retail.customers'));
    expect(withheld.extensions).toMatchObject({ reason: 'ENGINE_PLANNING' });
    expect(withheld.message).not.toMatch(/sha256|to_hex|\?|__gw/);
    for (const [sql, name] of [
      ["SELECT CAST('alice@example.com' AS INTEGER)", 'invalid cast argument'],
      ['SELECT 1 / (customer_id - customer_id) FROM icebase.retail.customers', 'division by zero'],
      ["SELECT chr(-1), 'alice@example.com'", 'invalid function argument'],
    ]) {
      const error = (await engine()
        .execute(sql!, { limit: 1, offset: 0 })
        .catch((e: unknown) => e)) as EngineError;
      expect(error, sql).toBeInstanceOf(EngineError);
      expect(error.kind).toBe('runtime');
      expect(error.message).toBe(`${name} Error: details withheld`);
    }
  });

  it('a time limit cancels the query; an unreachable coordinator is unavailable', async () => {
    const slow = await engine()
      .execute(
        'SELECT count(*) FROM icebase.retail.orders a, icebase.retail.orders b, icebase.retail.orders c',
        { limit: 1, offset: 0 },
        { timeoutMs: 300 },
      )
      .catch((e: unknown) => e);
    expect((slow as EngineError).kind).toBe('runtime');
    expect((slow as EngineError).message).toMatch(/time limit/);
    const down = await new TrinoEngine({ endpoint: 'http://127.0.0.1:9' })
      .execute('SELECT 1', { limit: 1, offset: 0 })
      .catch((e: unknown) => e);
    expect((down as EngineError).kind).toBe('unavailable');
  });

  it("the service answers ENGINE_UNAVAILABLE when the cluster's coordinator is down", async () => {
    const service = new QueryService({
      rewriter: h.rewriter,
      catalog: StaticColumnCatalog.fromDemo(),
      policies: { all: async () => DEMO_POLICIES },
      engineFor: () => new TrinoEngine({ endpoint: 'http://127.0.0.1:9' }),
    });
    const error = await refusal(
      service.run({
        subject: SUBJECTS.alice,
        caller: {},
        canRead: async () => true,
        cluster: h.cluster,
        sql: 'SELECT 1',
      }),
    );
    expect(error.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'ENGINE_UNAVAILABLE' });
  });
});
