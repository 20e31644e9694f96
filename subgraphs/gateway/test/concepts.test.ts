import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import { datasetsQuery, MetisClient } from '@dataos/metis-client';
import { createMetisSubgraph, seedMetis } from '@dataos/metis';
import { createOdinSubgraph, importOntology, MetisCatalog, OntologyWriter } from '@dataos/odin';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  errorCodes,
  gatewayAccessPolicies,
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  testMongo,
  tokenFor,
  uniqueId,
  type TestHeimdall,
  type TestMongo,
  dropOwnNodes,
} from '@dataos/testkit';
import { createGatewaySubgraph, seedGateway } from '../src/index.js';
import { COLUMNS_PER_REQUEST, COLUMNS_SELECTION } from '../src/catalog.js';
import { gatewaySettingsFromEnv } from '../src/settings.js';
import { DuckDbEngine } from '../src/engines/duckdb.js';
import { demoTables } from '../src/data/demo.js';

/**
 * Masks from Odin concepts, end to end over HTTP: a real Heimdall, Metis and Odin on Neo4j, the
 * Gateway on MongoDB and its embedded DuckDB. Concepts live in an ontology of this run (unique
 * IRIs) with policies of this run mirroring the concept defaults; datasets under a unique depot.
 * The last test stops Odin for real: the Gateway must mask, not show.
 */

type User = 'alice' | 'carol';
const id = uniqueId('gwc');
const ROOT = `https://test.dataos.local/${id}/`;
const ONTO = `${ROOT}pd`;
const ns = `${ONTO}#`;
const urn = (name: string) => `dataos://${id}:retail/${name}`;
const financeDepot = `${id}fin`;
const secretUrn = `dataos://${financeDepot}:finance/payroll`;
const table = (name: string) => `${id}.retail.${name}`;
/** Eleven more depots over the same DuckDB tables: 33 distinct datasets for one query (Metis's cost limit). */
const BULK_TABLES = ['customers', 'orders', 'products'] as const;
const bulkDepots = Array.from({ length: 11 }, (_, i) => `${id}b${i}`);
const bulkUrns = bulkDepots.flatMap((d) => BULK_TABLES.map((t) => `dataos://${d}:retail/${t}`));

const ONTOLOGY = `@prefix : <${ns}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<${ONTO}> a owl:Ontology ; rdfs:label "Gateway concept test"@en .
:PersonalData a owl:Class ; rdfs:label "Personal data"@en .
:ContactData a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Contact data"@en .
:EmailAddress a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Email address"@en .
:CustomerIdentifier a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Customer identifier"@en .
:Nickname a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Nickname"@en .
:ProductCode a owl:Class ; rdfs:label "Product code"@en .
`;

let neo4j: Neo4jStore;
let odinNeo4j: Neo4jStore;
let heimdall: TestHeimdall;
let mongo: TestMongo;
let gatewayUrl: string;
let odinUrl: string;
let metisUrl: string;
let odin: { stop(): Promise<void> } | undefined;
const running: { stop(): Promise<void> }[] = [];

const gql = async <T = Record<string, unknown>>(user: User, at: string, query: string, variables = {}) =>
  graphql<T>(at, query, { variables, token: await tokenFor(user) });

interface Run {
  runQuery: { columns: { name: string }[]; rows: unknown[][]; policies: string[] };
}
const RUN = `query ($sql: String!) { runQuery(sql: $sql, limit: 1000) { columns { name } rows policies } }`;
const run = async (user: User, sql: string) => {
  const r = await gql<Run>(user, gatewayUrl, RUN, { sql });
  expect(r.errors).toBeUndefined();
  return r.data!.runQuery;
};
const column = (r: Run['runQuery'], name: string) => {
  const i = r.columns.findIndex((c) => c.name === name);
  expect(i).toBeGreaterThanOrEqual(0);
  return r.rows.map((row) => row[i]);
};

const EXPLAIN = `query ($sql: String!) { explain(sql: $sql) { conceptsKnown policies scans { dataset columns {
  name mask policy classifications { kind value label distance propagated source path }
  reason { policy priority selectedBy matched subjectTags explanation
    classification { kind value label distance propagated source path } } } } } }`;
interface Explained {
  explain: {
    conceptsKnown: boolean;
    policies: string[];
    scans: {
      dataset: string;
      columns: {
        name: string;
        mask: string | null;
        policy: string | null;
        classifications: { kind: string; value: string; distance: number | null; propagated: boolean }[];
        reason: {
          policy: string;
          priority: number;
          selectedBy: string;
          matched: string | null;
          subjectTags: string[];
          explanation: string;
          classification: { value: string; distance: number | null } | null;
        } | null;
      }[];
    }[];
  };
}
const explain = async (user: User, sql: string) => {
  const r = await gql<Explained>(user, gatewayUrl, EXPLAIN, { sql });
  expect(r.errors).toBeUndefined();
  return r.data!.explain;
};
const explained = (e: Explained['explain'], name: string) => e.scans[0]!.columns.find((c) => c.name === name)!;

const LINK = `mutation ($input: ConceptLinkInput!) { linkConcept(input: $input) { linked } }`;
const UNLINK = `mutation ($input: ConceptLinkInput!) { unlinkConcept(input: $input) { linked } }`;
const link = (user: User, dataset: string, col: string, concept: string, mutation = LINK) =>
  gql(user, odinUrl, mutation, { input: { concept: ns + concept, datasetUrn: urn(dataset), column: col } });

const demo = new Map(demoTables().map((t) => [t.dataset, t]));
const clearTitles = demo.get('products')!.rows.map((r) => String(r[1]));
const everybody = { match: 'ANY', tags: ['users:id:*'] };
const conceptPolicy = (name: string, priority: number, concepts: string[], mask: object, tags = everybody.tags) => ({
  name: `${id}-${name}`,
  type: 'MASK',
  priority,
  selector: { user: { match: 'ANY', tags }, column: { concepts: concepts.map((c) => ns + c) } },
  mask,
});

beforeAll(async () => {
  neo4j = neo4jFromEnv('METIS');
  odinNeo4j = neo4jFromEnv('ODIN');
  mongo = await testMongo('GATEWAY');
  heimdall = await startTestHeimdall({
    policies: [
      ...gatewayAccessPolicies({ retail: id, restricted: financeDepot }),
      {
        name: `${id}-bulk-readers`,
        subjects: [['roles:id:data-dev'], ['roles:id:admin']],
        actions: ['read'],
        objects: { paths: bulkDepots.map((d) => `dataos://${d}:retail/**`) },
      },
      {
        name: `${id}-admin-writes`,
        subjects: [['roles:id:admin']],
        actions: ['write'],
        objects: { paths: [`dataos://${id}:retail/**`, `dataos://${financeDepot}:**`] },
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
      description: `${name} (gateway concept test)`,
      layer: 'curated',
      tags: [],
      columns: demo.get(name)!.columns.map((c) => [c.name, c.type.toLowerCase(), c.tags] as [string, string, string[]]),
    })),
  );
  await seedMetis(
    neo4j,
    bulkUrns.map((u) => {
      const name = u.slice(u.lastIndexOf('/') + 1);
      return {
        urn: u,
        name,
        description: `${name} (gateway concept test, bulk)`,
        layer: 'curated',
        tags: [],
        columns: demo
          .get(name)!
          .columns.map((c) => [c.name, c.type.toLowerCase(), c.tags] as [string, string, string[]]),
      };
    }),
  );
  await seedMetis(neo4j, [
    {
      urn: secretUrn,
      name: 'payroll',
      description: 'admins only (gateway concept test)',
      layer: 'curated',
      tags: [],
      columns: [['employee_email', 'varchar', []]],
    },
  ]);
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
  const gateway = await createGatewaySubgraph({
    mongo,
    heimdall: heimdallClient,
    metisUrl: metis.url,
    odinUrl,
    // Generous timeouts: a slow answer on a loaded machine would fail closed (masked), not flake open.
    settings: gatewaySettingsFromEnv({ ...process.env, ODIN_TIMEOUT_MS: '30000', METIS_TIMEOUT_MS: '30000' }),
    duckdb: await DuckDbEngine.create({
      depotAliases: Object.fromEntries([id, ...bulkDepots].map((d) => [d, 'icebase'])),
    }),
    healthIntervalMs: 0,
  });
  await seedGateway(mongo); // the default cluster and policies (the concept defaults name the demo ontology, not this one)
  const gw = await serveTestSubgraph(gateway, () => mongo.drop());
  running.push(gw);
  gatewayUrl = gw.url;
  // The concept defaults' shape (src/policies/defaults.ts) over this run's ontology.
  for (const input of [
    conceptPolicy('personal-data', 98, ['PersonalData'], { operator: 'REDACT', replacement: '[REDACTED]' }),
    conceptPolicy('email', 98, ['EmailAddress'], { operator: 'HASH' }),
    conceptPolicy('identifier', 98, ['CustomerIdentifier'], { operator: 'HASH' }),
    conceptPolicy('reader', 90, ['PersonalData'], { operator: 'PASS_THROUGH' }, ['roles:id:pii-reader']),
  ]) {
    const created = await gql(
      'carol',
      gatewayUrl,
      `mutation ($input: DataPolicyInput!) { createDataPolicy(input: $input) { name } }`,
      {
        input,
      },
    );
    expect(created.errors).toBeUndefined();
  }
  for (const [dataset, col, concept] of [
    ['customers', 'customer_id', 'CustomerIdentifier'],
    ['customers', 'email', 'EmailAddress'],
    ['products', 'sku', 'ProductCode'],
  ] as const)
    expect((await link('carol', dataset, col, concept)).errors).toBeUndefined();
  const secret = await gql('carol', odinUrl, LINK, {
    input: { concept: `${ns}EmailAddress`, datasetUrn: secretUrn, column: 'employee_email' },
  });
  expect(secret.errors).toBeUndefined();
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

describe("Odin's batched columnConcepts", () => {
  const QUERY = `query ($columns: [ColumnRefInput!]!) { columnConcepts(columns: $columns) {
    datasetUrn name visible concepts { distance concept { iri } } } }`;
  interface Answer {
    columnConcepts: {
      datasetUrn: string;
      name: string;
      visible: boolean;
      concepts: { distance: number; concept: { iri: string } }[];
    }[];
  }
  const columns = [
    { datasetUrn: urn('customers'), name: 'email' },
    { datasetUrn: urn('customers'), name: 'region' },
    { datasetUrn: secretUrn, name: 'employee_email' },
  ];

  it("answers each column's concept and its closure in order; an unreadable dataset's column is not visible", async () => {
    const alice = await gql<Answer>('alice', odinUrl, QUERY, { columns });
    expect(alice.errors).toBeUndefined();
    const flat = (a: Answer) =>
      a.columnConcepts.map((c) => [
        c.name,
        c.visible,
        c.concepts.map((x) => `${x.distance}:${x.concept.iri.slice(ns.length)}`),
      ]);
    expect(flat(alice.data!)).toEqual([
      ['email', true, ['0:EmailAddress', '1:ContactData', '2:PersonalData']],
      ['region', true, []],
      ['employee_email', false, []],
    ]);
    const carol = await gql<Answer>('carol', odinUrl, QUERY, { columns });
    expect(flat(carol.data!)[2]).toEqual([
      'employee_email',
      true,
      ['0:EmailAddress', '1:ContactData', '2:PersonalData'],
    ]);
  });

  it('refuses malformed or too many columns with BAD_USER_INPUT at the field', async () => {
    const bad = await gql('alice', odinUrl, QUERY, { columns: [{ datasetUrn: 'customers', name: 'email' }] });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.field).toBe('columns[0].datasetUrn');
    const many = Array.from({ length: 1001 }, (_, i) => ({ datasetUrn: urn('customers'), name: `c${i}` }));
    const tooMany = await gql('alice', odinUrl, QUERY, { columns: many });
    expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('masks from Odin concepts', () => {
  const products = `SELECT sku, title, price FROM ${table('products')} ORDER BY sku`;

  it('masks a linked identifier with its nearest concept (hash), clear for a PII reader', async () => {
    const sql = `SELECT customer_id, email, region FROM ${table('customers')} ORDER BY customer_id`;
    const alice = await run('alice', sql);
    const carol = await run('carol', sql);
    const ids = column(alice, 'customer_id');
    expect(ids.every((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v))).toBe(true);
    expect(column(alice, 'email').every((v) => /^[0-9a-f]{64}$/.test(String(v)))).toBe(true);
    expect(alice.policies).toEqual(expect.arrayContaining([`${id}-identifier`, `${id}-email`]));
    expect(alice.policies).not.toContain(`${id}-personal-data`);
    expect(column(carol, 'email').every((v) => String(v).includes('@'))).toBe(true);
    expect(column(carol, 'customer_id').every((v) => /^\d+$/.test(String(v)))).toBe(true);
    expect(column(alice, 'region').every((v) => ['emea', 'amer', 'apac'].includes(String(v)))).toBe(true);

    const e = await explain('alice', sql);
    expect(e.conceptsKnown).toBe(true);
    const email = explained(e, 'email');
    expect(email).toMatchObject({ mask: 'HASH', policy: `${id}-email` });
    expect(email.reason).toMatchObject({
      selectedBy: 'CONCEPT',
      matched: `${ns}EmailAddress`,
      priority: 98,
      subjectTags: ['users:id:alice'],
      classification: { value: `${ns}EmailAddress`, distance: 0 },
    });
    expect(email.reason!.explanation).toContain(`policy ${id}-email`);
    expect(email.classifications.filter((c) => c.kind === 'CONCEPT').map((c) => [c.value, c.distance])).toEqual([
      [`${ns}EmailAddress`, 0],
      [`${ns}ContactData`, 1],
      [`${ns}PersonalData`, 2],
    ]);
    expect(explained(e, 'region').reason).toBeNull();
    const forCarol = explained(await explain('carol', sql), 'email');
    expect(forCarol).toMatchObject({
      mask: 'PASS_THROUGH',
      reason: { priority: 90, subjectTags: ['roles:id:pii-reader'] },
    });
  });

  it('linking an untagged column to a subconcept of Personal data masks it at the next query; unlinking needs write', async () => {
    const before = await run('alice', products);
    expect(column(before, 'title').sort()).toEqual([...clearTitles].sort());
    expect(column(before, 'sku').every((v) => String(v) !== '[REDACTED]')).toBe(true); // ProductCode is not personal

    expect((await link('carol', 'products', 'title', 'Nickname')).errors).toBeUndefined();
    const after = await run('alice', products);
    expect(column(after, 'title').every((v) => v === '[REDACTED]')).toBe(true);
    expect(after.policies).toEqual([`${id}-personal-data`]);
    expect(column(await run('carol', products), 'title').sort()).toEqual([...clearTitles].sort());
    const title = explained(await explain('alice', products), 'title');
    expect(title.reason).toMatchObject({
      selectedBy: 'CONCEPT',
      matched: `${ns}PersonalData`,
      classification: { value: `${ns}PersonalData`, distance: 2 },
    });

    // The same right as removing a tag in Metis: `write` on the dataset. alice reads, may not write.
    expect(errorCodes(await link('alice', 'products', 'title', 'Nickname', UNLINK))).toEqual(['FORBIDDEN']);
    expect(column(await run('alice', products), 'title').every((v) => v === '[REDACTED]')).toBe(true);
    expect((await link('carol', 'products', 'title', 'Nickname', UNLINK)).errors).toBeUndefined();
    expect(column(await run('alice', products), 'title').sort()).toEqual([...clearTitles].sort());
  });

  it('concept-masked columns resist joins, subqueries, predicates and wildcards', async () => {
    expect((await link('carol', 'products', 'title', 'Nickname')).errors).toBeUndefined();
    const p = table('products');
    const probes = [
      `SELECT * FROM ${p}`,
      `SELECT t FROM (SELECT title AS t FROM ${p}) x`,
      `WITH q AS (SELECT title FROM ${p}) SELECT upper(title) AS u, length(title) AS n FROM q`,
      `SELECT a.title, b.title AS other FROM ${p} a JOIN ${p} b ON a.sku = b.sku`,
      `SELECT title, count(*) AS n FROM ${p} GROUP BY title`,
      `SELECT string_agg(title, ',') AS all_titles FROM ${p}`,
      `SELECT COLUMNS('ti.*') FROM ${p}`,
      `SELECT sku FROM ${p} WHERE title = '${clearTitles[0]!.replace(/'/g, "''")}'`,
      `SELECT sku FROM ${p} WHERE title LIKE '${clearTitles[0]!.slice(0, 1)}%'`,
      `SELECT (SELECT max(title) FROM ${p}) AS m`,
    ];
    for (const sql of probes) {
      const r = await gql<Run>('alice', gatewayUrl, RUN, { sql });
      const text = JSON.stringify(r);
      for (const t of clearTitles) expect(text, sql).not.toContain(JSON.stringify(t));
      if (sql.includes('WHERE')) expect(r.data?.runQuery.rows ?? [], sql).toEqual([]);
    }
    expect((await link('carol', 'products', 'title', 'Nickname', UNLINK)).errors).toBeUndefined();
  });

  it("a derived column carries its source's concept (masked, with the lineage path); an anonymizing edge stops it", async () => {
    const sql = `SELECT order_id, customer_id FROM ${table('orders')} ORDER BY order_id LIMIT 50`;
    expect(column(await run('alice', sql), 'customer_id').every((v) => /^\d+$/.test(String(v)))).toBe(true);
    const edge = {
      upstream: urn('customers'),
      upstreamColumn: 'customer_id',
      downstream: urn('orders'),
      downstreamColumn: 'customer_id',
    };
    const added = await gql(
      'carol',
      metisUrl,
      `mutation ($input: AddLineageInput!) { addLineage(input: $input) { __typename } }`,
      {
        input: {
          upstream: edge.upstream,
          downstream: edge.downstream,
          columns: [{ upstream: 'customer_id', downstream: 'customer_id' }],
        },
      },
    );
    expect(added.errors).toBeUndefined();

    const derived = column(await run('alice', sql), 'customer_id');
    expect(derived.every((v) => /^[0-9a-f]{64}$/.test(String(v)))).toBe(true);
    // The same policy key: the derived column's hashes join with the source's.
    const source = new Set(column(await run('alice', `SELECT customer_id FROM ${table('customers')}`), 'customer_id'));
    expect(derived.every((v) => source.has(v))).toBe(true);
    const why = explained(await explain('alice', sql), 'customer_id');
    expect(why).toMatchObject({ mask: 'HASH', policy: `${id}-identifier` });
    expect(why.reason!.classification).toMatchObject({
      value: `${ns}CustomerIdentifier`,
      propagated: true,
      source: `${urn('customers')}#customer_id`,
      path: [`${urn('customers')}#customer_id`, `${urn('orders')}#customer_id`],
    });
    expect(why.reason!.explanation).toContain(`propagated from ${urn('customers')}#customer_id`);

    const declassified = await gql(
      'carol',
      metisUrl,
      `mutation ($input: DeclassifyColumnEdgeInput!) { declassifyColumnEdge(input: $input) { __typename } }`,
      { input: { edge, reason: 'customer ids are hashed by the orders job (test)' } },
    );
    expect(declassified.errors).toBeUndefined();
    expect(column(await run('alice', sql), 'customer_id').every((v) => /^\d+$/.test(String(v)))).toBe(true);
  });

  it('a query over 33 datasets is answered (Metis asked in requests under its cost limit), masks kept', async () => {
    // One row per dataset (the answer stays under the row limit): a masked column's minimum, counts.
    const sql = bulkDepots
      .flatMap((d) => [
        `SELECT 'c' AS k, min(email) AS v FROM ${d}.retail.customers`,
        `SELECT 'o' AS k, CAST(count(*) AS VARCHAR) AS v FROM ${d}.retail.orders`,
        `SELECT 'p' AS k, CAST(count(*) AS VARCHAR) AS v FROM ${d}.retail.products`,
      ])
      .join(' UNION ALL ');
    const ground = demo.get('customers')!;
    const emails = ground.rows.map((r) => String(r[ground.columns.findIndex((c) => c.name === 'email')]));
    const of = (r: Run['runQuery'], k: string) => {
      const kinds = column(r, 'k');
      return column(r, 'v').filter((_, i) => kinds[i] === k);
    };
    const alice = await run('alice', sql);
    expect(alice.rows).toHaveLength(bulkUrns.length);
    expect(of(alice, 'c').every((v) => /^[0-9a-f]{64}$/.test(String(v)))).toBe(true);
    expect(of(alice, 'p')).toEqual(bulkDepots.map(() => String(demo.get('products')!.rows.length)));
    expect(new Set(of(alice, 'o')).size).toBe(1);
    for (const e of emails) expect(JSON.stringify(alice.rows)).not.toContain(JSON.stringify(e));
    const carol = await run('carol', sql);
    expect(of(carol, 'c')).toHaveLength(bulkDepots.length);
    expect(of(carol, 'c').every((v) => emails.includes(String(v)))).toBe(true);
    const e = await explain('alice', sql);
    expect(e.conceptsKnown).toBe(true);
    expect(new Set(e.scans.map((s) => s.dataset))).toEqual(new Set(bulkUrns));
  });

  it("the Gateway's request size keeps a 25% margin under Metis's cost estimate; one refused request fails the whole read", async () => {
    // Two refusals give Metis's own estimate: cost(n) = n * perDataset + fixed.
    const estimate = async (n: number) => {
      const r = await graphql(metisUrl, datasetsQuery(n, COLUMNS_SELECTION, 'GatewayColumns'), {
        variables: Object.fromEntries(bulkUrns.slice(0, n).map((u, i) => [`u${i}`, u])),
      });
      expect(errorCodes(r)).toEqual(['MAX_COST_EXCEEDED']);
      const ext = r.errors![0]!.extensions as { actual: number; limit: number };
      return ext;
    };
    const [a, b] = [await estimate(19), await estimate(20)];
    const perDataset = b.actual - a.actual;
    const fixed = b.actual - 20 * perDataset;
    expect(perDataset).toBeGreaterThan(0);
    expect(COLUMNS_PER_REQUEST * perDataset + fixed).toBeLessThanOrEqual(0.75 * b.limit);

    const client = new MetisClient({ url: metisUrl, timeoutMs: 30_000, serviceCaller: null });
    const caller = { token: await tokenFor('carol') };
    const read = await client.datasets<{ urn: string }>(bulkUrns, COLUMNS_SELECTION, caller, {
      maxPerRequest: COLUMNS_PER_REQUEST,
    });
    expect(read.map((d) => d?.urn)).toEqual(bulkUrns);
    await expect(client.datasets(bulkUrns, COLUMNS_SELECTION, caller, { maxPerRequest: 20 })).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE', metisCode: 'MAX_COST_EXCEEDED' },
    });
  });

  it('Odin stopped: every column not proved clean is masked, also for a PII reader; explain says why', async () => {
    await odin!.stop();
    odin = undefined;
    for (const user of ['alice', 'carol'] as const) {
      const r = await run(user, products);
      expect(
        column(r, 'title').every((v) => v === '[REDACTED]'),
        user,
      ).toBe(true);
      expect(
        column(r, 'sku').every((v) => v === '[REDACTED]'),
        user,
      ).toBe(true);
      expect(JSON.stringify(r)).not.toContain(JSON.stringify(clearTitles[0]));
    }
    const e = await explain('alice', products);
    expect(e.conceptsKnown).toBe(false);
    expect(explained(e, 'title')).toMatchObject({
      mask: 'REDACT',
      reason: { selectedBy: 'CONCEPTS_UNKNOWN', priority: 98 },
    });
    expect(explained(e, 'title').reason!.explanation).toContain('Odin could not say');
  });
});
