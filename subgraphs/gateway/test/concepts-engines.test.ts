import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticColumnCatalog } from '../src/catalog.js';
import { ConceptsUnavailable, type ConceptAtDistance, type ConceptSource } from '../src/concepts.js';
import { demoTables } from '../src/data/demo.js';
import { BUSINESS, DEFAULT_CONCEPT_POLICIES } from '../src/policies/defaults.js';
import type { CatalogDataset } from '../src/policies/resolve.js';
import { QueryService } from '../src/query.js';
import {
  DEMO_POLICIES,
  derivedKey,
  docs,
  ENGINES,
  sha256,
  startEngineHarness,
  SUBJECTS,
  type EngineHarness,
} from './support.js';

/**
 * Concept masks applied by each engine (DuckDB and the devstack's Trino, the same expectations):
 * what Odin answers is fixed here (the demo business ontology's closure); Odin itself, linking,
 * unlinking and Odin stopped are tested against a real Odin in concepts.test.ts.
 */
const R = 'dataos://icebase:retail/';
const closure = (...names: string[]): ConceptAtDistance[] =>
  names.map((n, distance) => ({ iri: BUSINESS + n, label: n, distance }));
const LINKS: Record<string, ConceptAtDistance[]> = {
  [`${R}products#title`]: closure('PostalAddress', 'ContactData', 'PersonalData'),
  [`${R}customers#customer_id`]: closure('CustomerIdentifier', 'PersonalData'),
};

/** Odin's answer for the demo links, or Odin unreachable. */
function conceptSource(state: { down: boolean }): ConceptSource {
  return {
    async columnConcepts(columns) {
      if (state.down) throw new ConceptsUnavailable('connect ECONNREFUSED 127.0.0.1');
      return columns.map((c) => LINKS[`${c.datasetUrn}#${c.name}`] ?? []);
    },
  };
}

/** The demo catalog; with `lineage`, orders.customer_id derives from customers.customer_id (an edge Metis reports). */
function catalog(lineage: boolean): StaticColumnCatalog {
  const datasets: CatalogDataset[] = demoTables().map((t) => ({
    urn: `dataos://${t.depot}:${t.collection}/${t.dataset}`,
    columns: t.columns.map((c) => ({
      name: c.name,
      type: c.type,
      tags: c.tags,
      ...(lineage && t.dataset === 'orders' && c.name === 'customer_id'
        ? {
            upstream: [
              {
                datasetUrn: `${R}customers`,
                name: 'customer_id',
                path: [`${R}customers#customer_id`, `${R}orders#customer_id`],
              },
            ],
          }
        : {}),
    })),
  }));
  return new StaticColumnCatalog(datasets);
}

const titles = demoTables()
  .find((t) => t.dataset === 'products')!
  .rows.map((r) => String(r[1]));
const HEX64 = /^[0-9a-f]{64}$/;

describe.each(ENGINES)('concept masks on %s', (kind) => {
  let h: EngineHarness;
  const odin = { down: false };
  const serviceWith = (lineage: boolean) =>
    new QueryService({
      rewriter: h.rewriter,
      catalog: catalog(lineage),
      concepts: conceptSource(odin),
      policies: { all: async () => h.policies },
      engineFor: () => h.target,
    });

  beforeAll(async () => {
    h = await startEngineHarness(docs([...DEFAULT_CONCEPT_POLICIES]).concat(DEMO_POLICIES), kind);
    h.service = serviceWith(true);
  });
  afterAll(() => h?.close());

  const col = (r: { columns: { name: string }[]; rows: unknown[][] }, name: string) => {
    const i = r.columns.findIndex((c) => c.name === name);
    expect(i).toBeGreaterThanOrEqual(0);
    return r.rows.map((row) => row[i]);
  };

  it('masks a column linked under Personal data for alice (its nearest concept), clear for carol', async () => {
    const sql = 'SELECT sku, title, price FROM icebase.retail.products ORDER BY sku';
    const alice = await h.run(SUBJECTS.alice, sql);
    expect(col(alice, 'title').every((v) => v === '[REDACTED]')).toBe(true);
    expect(col(alice, 'sku').every((v) => String(v).startsWith('SKU-'))).toBe(true);
    expect(alice.policies).toEqual(['concept-postal-address']);
    const carol = await h.run(SUBJECTS.carol, sql);
    expect(col(carol, 'title')).toEqual(titles);
  });

  it('masks a derived column like its source (same hashes: joinable); without the edge it is clear', async () => {
    // One key for the policy: a value hashes alike in the source and in the derived column.
    const hash = (id: unknown) => sha256(derivedKey('concept-identifier') + String(id));
    const customers = 'SELECT customer_id FROM icebase.retail.customers ORDER BY customer_id';
    const sourceIds = col(await h.run(SUBJECTS.carol, customers), 'customer_id');
    const masked = col(await h.run(SUBJECTS.tester, customers), 'customer_id');
    expect(masked.every((v) => HEX64.test(String(v)))).toBe(true);
    expect(new Set(masked)).toEqual(new Set(sourceIds.filter((id) => masked.includes(hash(id))).map(hash)));
    const sql = 'SELECT order_id, customer_id FROM icebase.retail.orders ORDER BY order_id LIMIT 200';
    const clear = col(await h.run(SUBJECTS.carol, sql), 'customer_id');
    expect(clear.every((v) => /^\d+$/.test(String(v)))).toBe(true);
    const derived = col(await h.run(SUBJECTS.tester, sql), 'customer_id');
    expect(derived).toEqual(clear.map(hash));

    h.service = serviceWith(false); // the edge marked as anonymizing: Metis reports no origin
    try {
      expect(col(await h.run(SUBJECTS.tester, sql), 'customer_id').every((v) => /^\d+$/.test(String(v)))).toBe(true);
    } finally {
      h.service = serviceWith(true);
    }
  });

  it('resists probes on the concept-masked column (joins, subqueries, predicates, aggregates)', async () => {
    const p = 'icebase.retail.products';
    const first = titles[0]!.replace(/'/g, "''");
    for (const sql of [
      `SELECT * FROM ${p}`,
      `SELECT t FROM (SELECT title AS t FROM ${p}) x`,
      `WITH q AS (SELECT title FROM ${p}) SELECT upper(title) AS u, length(title) AS n FROM q`,
      `SELECT a.title, b.title AS other FROM ${p} a JOIN ${p} b ON a.sku = b.sku`,
      `SELECT title, count(*) AS n FROM ${p} GROUP BY title`,
      `SELECT max(title) AS m, min(title) AS n FROM ${p}`,
      `SELECT sku FROM ${p} WHERE title = '${first}'`,
      `SELECT sku FROM ${p} WHERE title LIKE '${first.slice(0, 2)}%'`,
      `SELECT sku FROM ${p} WHERE length(title) = ${titles[0]!.length}`,
    ]) {
      const r = await h.run(SUBJECTS.alice, sql);
      const text = JSON.stringify(r.rows);
      for (const t of titles) expect(text, sql).not.toContain(JSON.stringify(t));
      if (sql.includes('WHERE title')) expect(r.rows, sql).toEqual([]);
      if (sql.includes('length(title) =')) expect(r.rows.length, sql).toBe(titles[0]!.length === 10 ? 50 : 0);
    }
  });

  it('Odin unreachable: every column is masked, for a PII reader too', async () => {
    odin.down = true;
    try {
      for (const subject of [SUBJECTS.alice, SUBJECTS.carol]) {
        const r = await h.run(subject, 'SELECT sku, title FROM icebase.retail.products');
        expect(r.rows.flat().every((v) => v === '[REDACTED]')).toBe(true);
      }
    } finally {
      odin.down = false;
    }
  });
});
