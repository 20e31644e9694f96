import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph, seedMetis } from '@dataos/metis';
import { createOdinSubgraph, importOntology, MetisCatalog, OntologyWriter } from '@dataos/odin';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  gatewayAccessPolicies,
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  type TestHeimdall,
  dropOwnNodes,
} from '@dataos/testkit';
import { MetisColumnCatalog, type Caller, type ColumnCatalog } from '../src/catalog.js';
import { OdinConceptSource, type ConceptSource } from '../src/concepts.js';
import { demoTables } from '../src/data/demo.js';
import { BUSINESS, DEFAULT_CONCEPT_POLICIES } from '../src/policies/defaults.js';
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
 * Concept masks applied by each engine (DuckDB and the devstack's Trino, the same expectations),
 * with a real Heimdall, Metis and Odin on the shared stores: one stack for the file. The demo
 * tables' datasets are registered in Metis under a depot of this run (the SQL still names
 * `icebase`, which the engines serve), concepts in an ontology of this run shaped like the demo
 * business ontology, and the concept defaults point at it. The last tests stop Odin for real.
 */
const id = uniqueId('gwce');
const ROOT = `https://test.dataos.local/${id}/`;
const ONTO = `${ROOT}business`;
const ns = `${ONTO}#`;
const R = 'dataos://icebase:retail/';
const ours = `dataos://${id}:retail/`;
const urn = (name: string) => `${ours}${name}`;
/** The SQL's `icebase` datasets are this run's in Metis and Odin. */
const toOurs = (u: string) => (u.startsWith(R) ? ours + u.slice(R.length) : u);

const ONTOLOGY = `@prefix : <${ns}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<${ONTO}> a owl:Ontology ; rdfs:label "Gateway engines concept test"@en .
:PersonalData a owl:Class ; rdfs:label "Personal data"@en .
:ContactData a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Contact data"@en .
:PostalAddress a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Postal address"@en .
:CustomerIdentifier a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Customer identifier"@en .
`;

/** The concept defaults, over this run's ontology (same names, masks and priorities). */
const CONCEPT_POLICIES = DEFAULT_CONCEPT_POLICIES.map((p) => ({
  ...p,
  selector: {
    ...p.selector,
    column: { concepts: (p.selector.column?.concepts ?? []).map((c) => c.replace(BUSINESS, ns)) },
  },
}));

const demo = new Map(demoTables().map((t) => [t.dataset, t]));
let neo4j: Neo4jStore;
let odinNeo4j: Neo4jStore;
let heimdall: TestHeimdall;
let metisUrl: string;
let odinUrl: string;
let odin: { stop(): Promise<void> } | undefined;
const running: { stop(): Promise<void> }[] = [];
/** Metis and Odin are asked as carol (who may read every dataset); the masks follow each run's subject. */
let caller: Caller;

const gql = async (at: string, query: string, variables: Record<string, unknown>) =>
  graphql(at, query, { variables, token: await tokenFor('carol') });

/** Metis's catalog, its `icebase` URNs asked as this run's. */
function catalog(): ColumnCatalog {
  const metis = new MetisColumnCatalog(metisUrl, 30_000);
  return {
    async datasets(urns, who) {
      const found = await metis.datasets(urns.map(toOurs), who);
      return new Map(urns.map((u) => [u, found.get(toOurs(u)) ?? null]));
    },
  };
}

/** Odin's batched lookup, for this run's URNs. */
function concepts(): ConceptSource {
  const source = new OdinConceptSource(odinUrl, 30_000, null);
  return {
    columnConcepts: (columns, who) =>
      source.columnConcepts(
        columns.map((c) => ({ ...c, datasetUrn: toOurs(c.datasetUrn) })),
        who,
      ),
  };
}

const EDGE = {
  upstream: urn('customers'),
  upstreamColumn: 'customer_id',
  downstream: urn('orders'),
  downstreamColumn: 'customer_id',
};
const markEdge = async (mutation: 'declassifyColumnEdge' | 'reclassifyColumnEdge') => {
  const r = await gql(
    metisUrl,
    `mutation ($input: DeclassifyColumnEdgeInput!) { ${mutation}(input: $input) { __typename } }`,
    { input: { edge: EDGE, reason: 'customer ids are hashed by the orders job (test)' } },
  );
  expect(r.errors).toBeUndefined();
};

beforeAll(async () => {
  neo4j = neo4jFromEnv('METIS');
  odinNeo4j = neo4jFromEnv('ODIN');
  heimdall = await startTestHeimdall({
    policies: [
      ...gatewayAccessPolicies({ retail: id }),
      {
        name: `${id}-admin-writes`,
        subjects: [['roles:id:admin']],
        actions: ['write'],
        objects: { paths: [`dataos://${id}:retail/**`] },
      },
      {
        name: `${id}-admin-declassifies`,
        subjects: [['roles:id:admin']],
        actions: ['manage'],
        objects: { paths: ['/metis/classification'] },
      },
    ],
  });
  running.push(heimdall);
  const heimdallClient = new HeimdallClient({ url: heimdall.url, timeoutMs: 30_000 });
  await seedMetis(
    neo4j,
    ['customers', 'orders', 'products'].map((name) => ({
      urn: urn(name),
      name,
      description: `${name} (gateway engines concept test)`,
      layer: 'curated',
      tags: [],
      columns: demo.get(name)!.columns.map((c) => [c.name, c.type.toLowerCase(), c.tags] as [string, string, string[]]),
    })),
  );
  const metis = await serveTestSubgraph(await createMetisSubgraph({ neo4j, heimdall: heimdallClient }));
  running.push(metis);
  metisUrl = metis.url;
  await importOntology(new OntologyWriter(odinNeo4j), { content: ONTOLOGY, format: 'TURTLE' }, 'test');
  const served = await serveTestSubgraph(
    await createOdinSubgraph({
      neo4j: odinNeo4j,
      heimdall: heimdallClient,
      metis: new MetisCatalog({ url: metis.url, timeoutMs: 30_000 }),
    }),
  );
  odin = served;
  odinUrl = served.url;
  caller = { token: await tokenFor('carol') };
  for (const [dataset, column, concept] of [
    ['products', 'title', 'PostalAddress'],
    ['customers', 'customer_id', 'CustomerIdentifier'],
  ] as const) {
    const linked = await gql(
      odinUrl,
      `mutation ($input: ConceptLinkInput!) { linkConcept(input: $input) { linked } }`,
      { input: { concept: ns + concept, datasetUrn: urn(dataset), column } },
    );
    expect(linked.errors).toBeUndefined();
  }
  // orders.customer_id derives from customers.customer_id: a column edge in Metis.
  const added = await gql(
    metisUrl,
    `mutation ($input: AddLineageInput!) { addLineage(input: $input) { __typename } }`,
    {
      input: {
        upstream: EDGE.upstream,
        downstream: EDGE.downstream,
        columns: [{ upstream: 'customer_id', downstream: 'customer_id' }],
      },
    },
  );
  expect(added.errors).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await odin?.stop();
  for (const r of running.reverse()) await r.stop();
  await odinNeo4j?.driver.executeQuery(
    `CALL () { MATCH (n:Concept|Ontology) WHERE n.iri STARTS WITH $p RETURN n
       UNION MATCH (n:LinkedDataset) WHERE n.urn CONTAINS $id RETURN n
       UNION MATCH (n:LinkedColumn) WHERE n.datasetUrn CONTAINS $id RETURN n }
     DETACH DELETE n`,
    { p: ROOT, id },
    { database: odinNeo4j.database },
  );
  if (neo4j) await dropOwnNodes(neo4j, id, ['Dataset', 'Column', 'Source', 'Domain']);
  await neo4j?.close();
  await odinNeo4j?.close();
});

const titles = demoTables()
  .find((t) => t.dataset === 'products')!
  .rows.map((r) => String(r[1]));
const HEX64 = /^[0-9a-f]{64}$/;

const harnesses = new Map<string, EngineHarness>();
afterAll(async () => {
  for (const h of harnesses.values()) await h.close();
});
/** A harness on `kind` whose QueryService asks the real Metis and Odin (as `caller`). */
async function harness(kind: (typeof ENGINES)[number]): Promise<EngineHarness> {
  const h = await startEngineHarness(docs(CONCEPT_POLICIES).concat(DEMO_POLICIES), kind);
  h.service = new QueryService({
    rewriter: h.rewriter,
    catalog: catalog(),
    concepts: concepts(),
    policies: { all: async () => h.policies },
    engineFor: () => h.target,
  });
  h.run = (subject, sql, limit = 10_000) =>
    h.serve({ subject, caller, canRead: async () => true, cluster: h.cluster, sql }, limit);
  harnesses.set(kind, h);
  return h;
}

describe.each(ENGINES)('concept masks on %s', (kind) => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await harness(kind);
  });

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

    await markEdge('declassifyColumnEdge'); // the edge marked as anonymizing: Metis reports no origin
    try {
      expect(col(await h.run(SUBJECTS.tester, sql), 'customer_id').every((v) => /^\d+$/.test(String(v)))).toBe(true);
    } finally {
      await markEdge('reclassifyColumnEdge');
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
});

describe('Odin stopped (the real service, after both engines ran)', () => {
  it('every column is masked on each engine, for a PII reader too', async () => {
    await odin!.stop();
    odin = undefined;
    for (const kind of ENGINES) {
      const h = harnesses.get(kind);
      expect(h, kind).toBeDefined();
      for (const subject of [SUBJECTS.alice, SUBJECTS.carol]) {
        const r = await h!.run(subject, 'SELECT sku, title FROM icebase.retail.products');
        expect(r.rows.length, kind).toBeGreaterThan(0);
        expect(
          r.rows.flat().every((v) => v === '[REDACTED]'),
          `${kind} ${subject.id}`,
        ).toBe(true);
      }
    }
  });
});
