import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticColumnCatalog } from '../src/catalog.js';
import type { Engine } from '../src/engines/engine.js';
import { QueryService } from '../src/query.js';
import { CLUSTER, DEMO_POLICIES, refusal, startEngineHarness, SUBJECTS, type EngineHarness } from './support.js';

/**
 * The answer's shape is checked against the verified SELECT before anything is returned. The
 * rewriting runs for real (masks, row filters); the engine is the real DuckDB, here behind a
 * wrapper that answers one column fewer, as a faulty coordinator or proxy would.
 */
let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h.close());

const SQL = 'SELECT email, region, customer_id FROM icebase.retail.customers';

describe("answers are checked against the query's shape", () => {
  it('the rewritten SELECT of a masked, filtered scan settles count and types', async () => {
    const rewritten = await h.service.plan(
      { subject: SUBJECTS.alice, caller: {}, canRead: async () => true, cluster: CLUSTER, sql: SQL },
      h.engine,
    );
    expect(rewritten.shape.columns).toEqual(['text', 'text', 'number']);
    const answer = await h.run(SUBJECTS.alice, SQL, 5);
    expect(answer.columns.map((c) => c.type)).toEqual(['VARCHAR', 'VARCHAR', 'BIGINT']);
  });

  it('an answer with fewer columns than the SELECT is an ENGINE_ERROR, never returned', async () => {
    const dropping: Engine = {
      ...h.engine,
      kind: 'duckdb',
      dialect: 'duckdb',
      ping: () => h.engine.ping(),
      close: async () => undefined,
      execute: async (sql, page, options) => {
        const real = await h.engine.execute(sql, page, options);
        return { ...real, columns: real.columns.slice(0, 1), rows: real.rows.map((r) => r.slice(0, 1)) };
      },
    };
    const service = new QueryService({
      rewriter: h.rewriter,
      catalog: StaticColumnCatalog.fromDemo(),
      policies: { all: async () => DEMO_POLICIES },
      engineFor: () => dropping,
    });
    const error = await refusal(
      service.run({ subject: SUBJECTS.alice, caller: {}, canRead: async () => true, cluster: CLUSTER, sql: SQL }, 5),
    );
    expect(error.extensions).toMatchObject({ code: 'ENGINE_ERROR', reason: 'ANSWER_SHAPE' });
    expect(error.message).toMatch(/selects 3 column\(s\), the engine answered 1/);
  });
});
