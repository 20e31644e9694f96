import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HeimdallClient } from '@dataos/heimdall-client';
import { createMetisSubgraph, seedMetis } from '@dataos/metis';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  errorCodes,
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  type TestHeimdall,
} from '@dataos/testkit';
import { parseRdf } from '../src/rdf/io.js';
import { createOdinSubgraph } from '../src/server.js';
import { OntologyWriter } from '../src/store/writer.js';
import { canonical, countTestNodes, countingProxy, removeTestData, type CountingProxy } from './helpers.js';

// Odin over real HTTP, asking a real Heimdall (in process, on its own MongoDB database) and a real
// Metis (in process, datasets under a depot of this run), each behind a proxy that counts calls.
const run = uniqueId('odinapi');
const ROOT = `https://test.dataos.local/${run}/`;
const depot = run;
const retail = (name: string) => `dataos://${depot}:retail/${name}`;
const finance = (name: string) => `dataos://${depot}:finance/${name}`;
/** Readable by alice only through a tag-based allow on its domain (no path policy covers it). */
const marketing = (name: string) => `dataos://${depot}:marketing/${name}`;
const DOMAIN = `mkt${run.replace(/[^a-z0-9]/gi, '').toLowerCase()}`.slice(0, 60);
const ONTO = `${ROOT}pd`;
const ns = `${ONTO}#`;

let neo4j: Neo4jStore;
let metisNeo4j: Neo4jStore;
let heimdall: TestHeimdall;
const running: { stop(): Promise<void> }[] = [];
let url: string;
let metisUrl: string;
let alice: string;
let carol: string;
let dave: string;
let heimdallProxy: CountingProxy;
let metisProxy: CountingProxy;

const gql = <T = Record<string, unknown>>(
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
) => graphql<T>(url, query, { ...(token ? { token } : {}), ...(variables ? { variables } : {}) });

const ONTOLOGY = `@prefix : <${ns}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<${ONTO}> a owl:Ontology ; rdfs:label "PD test ontology"@en ; owl:versionInfo "1" .
:PersonalData a owl:Class ; rdfs:label "Personal data"@en, "Personenbezogene Daten"@de ; skos:definition "About a person."@en .
:ContactData a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Contact data"@en .
:EmailAddress a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Email address"@en, "E-Mail-Adresse"@de .
:PhoneNumber a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Phone number"@en .
:Customer a owl:Class ; rdfs:label "Customer"@en .
:Invoice a owl:Class ; rdfs:label "Invoice"@en ; :bills :Order .
:Order a owl:Class ; rdfs:label "Order"@en ; :placedBy :Customer .
:placedBy a owl:ObjectProperty ; rdfs:label "placed by"@en ; rdfs:domain :Order ; rdfs:range :Customer .
:acme a :Customer ; rdfs:label "ACME" .
`;

const IMPORT = /* GraphQL */ `
  mutation ($input: ImportOntologyInput!) {
    importOntology(input: $input) {
      ontology {
        iri
        name
        version
        conceptCount
      }
      replaced
      triples
      concepts
      properties
      instances
      batches
    }
  }
`;
const LINK = /* GraphQL */ `
  mutation ($input: ConceptLinkInput!) {
    linkConcept(input: $input) {
      linked
      concept {
        iri
      }
      dataset {
        urn
      }
      column {
        datasetUrn
        name
      }
    }
  }
`;
const UNLINK = /* GraphQL */ `
  mutation ($input: ConceptLinkInput!) {
    unlinkConcept(input: $input) {
      linked
    }
  }
`;
const HOLDING = /* GraphQL */ `
  query ($iri: ID!, $via: LinkScope) {
    datasetsHoldingConcept(iri: $iri, via: $via) {
      dataset {
        urn
      }
      concepts {
        label
      }
      columns {
        name
      }
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Dataset {
        urn
        concepts(includeColumns: true) {
          iri
        }
      }
      ... on Column {
        datasetUrn
        name
        concept {
          iri
        }
      }
    }
  }
`;

beforeAll(async () => {
  neo4j = neo4jFromEnv('ODIN');
  metisNeo4j = neo4jFromEnv('METIS');
  heimdall = await startTestHeimdall();
  running.push(heimdall);
  heimdallProxy = await countingProxy(heimdall.url);
  const metisRunning = await serveTestSubgraph(
    await createMetisSubgraph({ neo4j: metisNeo4j, heimdall: new HeimdallClient({ url: heimdall.url }) }),
  );
  running.push(metisRunning);
  metisUrl = metisRunning.url;
  metisProxy = await countingProxy(metisRunning.url);
  const odin = await createOdinSubgraph({
    neo4j,
    heimdall: new HeimdallClient({ url: heimdallProxy.url }),
    metisUrl: metisProxy.url,
  });
  const odinRunning = await serveTestSubgraph(odin);
  running.push(odinRunning);
  url = odinRunning.url;
  [alice, carol, dave] = await Promise.all([tokenFor('alice'), tokenFor('carol'), tokenFor('dave')]);
  await heimdall.addPolicies([
    {
      name: `${run}-retail-readers`,
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { paths: [`dataos://${depot}:retail/**`] },
    },
    // Tag-based, as the demo's `retail-readers` on `dataos:domain:retail`.
    {
      name: `${run}-domain-readers`,
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { tags: [`dataos:domain:${DOMAIN}`] },
    },
    // Tag-based deny, as the demo's `no-finance-for-data-devs`: wins over the path allow above.
    {
      name: `${run}-no-secrets`,
      effect: 'DENY',
      subjects: [['roles:id:data-dev']],
      actions: ['*'],
      objects: { tags: ['dataos:tag:PII.Secret'] },
    },
    {
      name: `${run}-admins`,
      subjects: [['roles:id:admin']],
      actions: ['read', 'write'],
      objects: { paths: [`dataos://${depot}:**`, '/odin/ontologies'] },
    },
  ]);
  const table = (urn: string, columns: string[], more: { tags?: string[]; domain?: string } = {}) => ({
    urn,
    name: urn.slice(urn.lastIndexOf('/') + 1),
    description: 'odin api test',
    layer: 'curated',
    tags: more.tags ?? [],
    ...(more.domain ? { domain: more.domain } : {}),
    columns: columns.map((c): [string, string] => [c, 'varchar']),
  });
  await seedMetis(metisNeo4j, [
    table(retail('customers'), ['customer_id', 'email', 'phone']),
    table(retail('orders'), ['order_id', 'customer_id']),
    table(retail('vault'), ['holder', 'secret_phone'], { tags: ['PII.Secret'] }),
    table(finance('invoices'), ['invoice_id', 'billing_phone']),
    table(finance('payroll'), ['employee', 'salary']),
    table(marketing('leads'), ['lead_id', 'email'], { tags: [`dataos:domain:${DOMAIN}`], domain: DOMAIN }),
  ]);
});

afterAll(async () => {
  await removeTestData(neo4j, ROOT, `dataos://${depot}:`);
  await metisNeo4j.driver.executeQuery(
    `CALL () {
       MATCH (n:Dataset) WHERE n.urn STARTS WITH $p RETURN n
       UNION MATCH (n:Column) WHERE n.datasetUrn STARTS WITH $p RETURN n
       UNION MATCH (n:Source {name: $depot}) RETURN n
       UNION MATCH (n:Domain {name: $domain}) RETURN n
     }
     DETACH DELETE n`,
    { p: `dataos://${depot}:`, depot, domain: DOMAIN },
  );
  for (const r of running.reverse()) await r.stop();
  await heimdallProxy?.close();
  await metisProxy?.close();
  await metisNeo4j.close();
  await neo4j.close();
});

describe('writes need Heimdall’s permission', () => {
  it('refuses an import without `write` on /odin/ontologies, and writes nothing', async () => {
    for (const token of [alice, dave]) {
      const res = await gql(token, IMPORT, { input: { content: ONTOLOGY, format: 'TURTLE' } });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    }
    expect(await countTestNodes(neo4j, ROOT)).toBe(0);
  });

  it('answers a link it refuses the same whether the concept is well-formed or not', async () => {
    for (const token of [alice, dave]) {
      const input = { datasetUrn: retail('customers'), column: 'email' };
      const valid = await gql(token, LINK, { input: { ...input, concept: `${ns}EmailAddress` } });
      const malformed = await gql(token, LINK, { input: { ...input, concept: 'not an iri' } });
      expect(errorCodes(valid)).not.toContain('BAD_USER_INPUT');
      expect(errorCodes(malformed)).toEqual(errorCodes(valid));
    }
  });

  it('refuses a request without a token', async () => {
    const res = await gql(undefined, '{ ontologies { iri } }');
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('imports for an allowed caller, and refuses malformed input with its line and column', async () => {
    const bad = await gql(carol, IMPORT, {
      input: { content: `${ONTOLOGY}:Broken a owl:Class ;; rdfs:label .\n`, format: 'TURTLE' },
    });
    expect(bad.errors?.[0]).toMatchObject({
      path: ['importOntology'],
      extensions: { code: 'BAD_USER_INPUT', field: 'input.content', line: ONTOLOGY.split('\n').length, column: 35 },
    });
    expect(JSON.stringify(bad.errors)).not.toMatch(/stack|\.ts:/);
    expect(await countTestNodes(neo4j, ROOT)).toBe(0);
    const badJson = await gql(carol, IMPORT, {
      input: { content: '{\n  "@id": "x",\n  oops\n}', format: 'JSON_LD', iri: ONTO },
    });
    expect(badJson.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 3, column: 3 });

    const res = await gql(carol, IMPORT, { input: { content: ONTOLOGY, format: 'TURTLE' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.importOntology).toMatchObject({
      ontology: { iri: ONTO, name: 'PD test ontology', version: '1', conceptCount: 7 },
      replaced: false,
      concepts: 7,
      properties: 1,
      instances: 1,
    });
    const again = await gql<{ importOntology: { replaced: boolean } }>(carol, IMPORT, {
      input: { content: ONTOLOGY, format: 'TURTLE' },
    });
    expect(again.data?.importOntology.replaced).toBe(true);
  });

  it('exports through the API in every format', async () => {
    const original = await parseRdf(ONTOLOGY, 'TURTLE');
    for (const format of ['TURTLE', 'N_TRIPLES', 'JSON_LD'] as const) {
      const res = await gql<{ exportOntology: { content: string; mediaType: string; triples: number } }>(
        alice,
        'query ($iri: ID!, $format: RdfFormat!) { exportOntology(iri: $iri, format: $format) { content mediaType triples } }',
        { iri: ONTO, format },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.exportOntology.triples).toBe(original.triples.length);
      const back = await parseRdf(res.data!.exportOntology.content, format);
      expect(await canonical(back.triples)).toEqual(await canonical(original.triples));
    }
  });

  it('links concepts to datasets and columns with `write` on the dataset', async () => {
    const links = [
      { concept: `${ns}Customer`, datasetUrn: retail('customers') },
      { concept: `${ns}EmailAddress`, datasetUrn: retail('customers'), column: 'email' },
      { concept: `${ns}PhoneNumber`, datasetUrn: retail('customers'), column: 'phone' },
      { concept: `${ns}PhoneNumber`, datasetUrn: retail('vault'), column: 'secret_phone' },
      { concept: `${ns}PhoneNumber`, datasetUrn: finance('invoices'), column: 'billing_phone' },
      { concept: `${ns}Invoice`, datasetUrn: finance('invoices') },
      { concept: `${ns}PersonalData`, datasetUrn: finance('payroll') },
      { concept: `${ns}EmailAddress`, datasetUrn: marketing('leads'), column: 'email' },
    ];
    for (const input of links) {
      const res = await gql(carol, LINK, { input });
      expect(res.errors).toBeUndefined();
      expect(res.data?.linkConcept).toMatchObject({ linked: true, dataset: { urn: input.datasetUrn } });
    }
    const denied = await gql(alice, LINK, { input: { concept: `${ns}Customer`, datasetUrn: retail('orders') } });
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    const badUrn = await gql(carol, LINK, { input: { concept: `${ns}Customer`, datasetUrn: 'not-a-urn' } });
    expect(badUrn.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.datasetUrn' });
    const unknown = await gql(carol, LINK, { input: { concept: `${ns}Nope`, datasetUrn: retail('customers') } });
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('never links to a dataset or column Metis does not show the caller, and writes nothing then', async () => {
    const before = await linkCount();
    const cases = [
      [{ concept: `${ns}Customer`, datasetUrn: retail('ghost') }, 'input.datasetUrn', carol],
      [
        { concept: `${ns}EmailAddress`, datasetUrn: retail('customers'), column: 'no_such_column' },
        'input.column',
        carol,
      ],
      // alice may not read finance: it does not exist for her, not even as FORBIDDEN.
      [{ concept: `${ns}Customer`, datasetUrn: finance('payroll') }, 'input.datasetUrn', alice],
    ] as const;
    for (const [input, field, token] of cases) {
      const res = await gql(token, LINK, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field });
    }
    expect(await linkCount()).toBe(before);
  });
});

/** Odin's links under this run's depot. */
async function linkCount(): Promise<number> {
  const { records } = await neo4j.driver.executeQuery(
    `MATCH (:Concept)-[r:DESCRIBES]->(t) WHERE coalesce(t.urn, t.datasetUrn) STARTS WITH $p RETURN count(r) AS n`,
    { p: `dataos://${depot}:` },
    { database: neo4j.database },
  );
  return records[0]!.get('n') as number;
}

/** The URNs of this run that Metis shows a caller. */
async function metisShows(token: string): Promise<string[]> {
  const res = await graphql<{ datasets: { edges: { node: { urn: string } }[] } }>(
    metisUrl,
    'query ($source: String) { datasets(first: 100, filter: { source: $source }) { edges { node { urn } } } }',
    { token, variables: { source: depot } },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.datasets.edges.map((e) => e.node.urn).sort();
}

describe('nobody learns of a dataset they may not read: Odin shows what Metis shows', () => {
  it('"datasets holding personal data" lists exactly what Metis shows the caller, tag-based policies included', async () => {
    const asAlice = await gql<{
      datasetsHoldingConcept: {
        dataset: { urn: string };
        concepts: { label: string }[];
        columns: { name: string }[];
      }[];
    }>(alice, HOLDING, { iri: `${ns}PersonalData` });
    expect(asAlice.errors).toBeUndefined();
    // leads: allowed by its domain tag only; vault: under retail/** but denied by its PII.Secret tag.
    expect(asAlice.data?.datasetsHoldingConcept).toEqual([
      { dataset: { urn: marketing('leads') }, concepts: [{ label: 'Email address' }], columns: [{ name: 'email' }] },
      {
        dataset: { urn: retail('customers') },
        concepts: [{ label: 'Email address' }, { label: 'Phone number' }],
        columns: [{ name: 'email' }, { name: 'phone' }],
      },
    ]);
    const aliceSees = await metisShows(alice);
    expect(aliceSees).toEqual([marketing('leads'), retail('customers'), retail('orders')]);
    for (const h of asAlice.data!.datasetsHoldingConcept) expect(aliceSees).toContain(h.dataset.urn);

    const asCarol = await gql<{ datasetsHoldingConcept: { dataset: { urn: string } }[] }>(carol, HOLDING, {
      iri: `${ns}PersonalData`,
    });
    expect(asCarol.data?.datasetsHoldingConcept.map((h) => h.dataset.urn)).toEqual([
      finance('invoices'),
      finance('payroll'),
      marketing('leads'),
      retail('customers'),
      retail('vault'),
    ]);
    const viaColumns = await gql<{ datasetsHoldingConcept: { dataset: { urn: string } }[] }>(carol, HOLDING, {
      iri: `${ns}PersonalData`,
      via: 'COLUMN',
    });
    expect(viaColumns.data?.datasetsHoldingConcept.map((h) => h.dataset.urn)).toEqual([
      finance('invoices'),
      marketing('leads'),
      retail('customers'),
      retail('vault'),
    ]);
    const asDave = await gql<{ datasetsHoldingConcept: unknown[] }>(dave, HOLDING, { iri: `${ns}PersonalData` });
    expect(asDave.data?.datasetsHoldingConcept).toEqual([]);
    const unknown = await gql<{ datasetsHoldingConcept: unknown[] }>(carol, HOLDING, { iri: `${ns}NoSuchConcept` });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'iri' });
  });

  it('filters a concept’s datasets and columns through one Metis call per request', async () => {
    const query = `{ concept(iri: "${ns}PersonalData") {
      datasets(includeSubconcepts: true) { urn }
      columns(includeSubconcepts: true) { datasetUrn name concept { label } }
    } }`;
    metisProxy.calls = 0;
    heimdallProxy.calls = 0;
    const res = await gql<{
      concept: {
        datasets: { urn: string }[];
        columns: { datasetUrn: string; name: string; concept: { label: string } }[];
      };
    }>(alice, query);
    expect(res.errors).toBeUndefined();
    expect(res.data?.concept.datasets).toEqual([{ urn: marketing('leads') }, { urn: retail('customers') }]);
    expect(res.data?.concept.columns).toEqual([
      { datasetUrn: marketing('leads'), name: 'email', concept: { label: 'Email address' } },
      { datasetUrn: retail('customers'), name: 'email', concept: { label: 'Email address' } },
      { datasetUrn: retail('customers'), name: 'phone', concept: { label: 'Phone number' } },
    ]);
    expect(metisProxy.calls).toBe(1);
    expect(heimdallProxy.calls).toBe(0);
  });

  it('answers entity fetches for datasets and columns Metis hides without their concepts', async () => {
    const reps = [
      { __typename: 'Dataset', urn: retail('customers') },
      { __typename: 'Dataset', urn: finance('invoices') },
      { __typename: 'Dataset', urn: retail('vault') },
      { __typename: 'Dataset', urn: marketing('leads') },
      { __typename: 'Column', datasetUrn: retail('customers'), name: 'email' },
      { __typename: 'Column', datasetUrn: finance('invoices'), name: 'billing_phone' },
      { __typename: 'Column', datasetUrn: retail('vault'), name: 'secret_phone' },
    ];
    metisProxy.calls = 0;
    const res = await gql<{ _entities: Record<string, unknown>[] }>(alice, ENTITIES, { reps });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      {
        urn: retail('customers'),
        concepts: [{ iri: `${ns}Customer` }, { iri: `${ns}EmailAddress` }, { iri: `${ns}PhoneNumber` }],
      },
      { urn: finance('invoices'), concepts: [] },
      { urn: retail('vault'), concepts: [] },
      { urn: marketing('leads'), concepts: [{ iri: `${ns}EmailAddress` }] },
      { datasetUrn: retail('customers'), name: 'email', concept: { iri: `${ns}EmailAddress` } },
      { datasetUrn: finance('invoices'), name: 'billing_phone', concept: null },
      { datasetUrn: retail('vault'), name: 'secret_phone', concept: null },
    ]);
    expect(metisProxy.calls).toBe(1);
    const asCarol = await gql<{ _entities: Record<string, unknown>[] }>(carol, ENTITIES, { reps });
    expect(asCarol.data?._entities[5]).toEqual({
      datasetUrn: finance('invoices'),
      name: 'billing_phone',
      concept: { iri: `${ns}PhoneNumber` },
    });
  });

  it('drops links to datasets gone from Metis instead of failing the list', async () => {
    // A link written before its dataset was removed from the catalog (or by an older Odin).
    await new OntologyWriter(neo4j).link(`${ns}EmailAddress`, retail('deleted'), 'email');
    const res = await gql<{
      datasetsHoldingConcept: { dataset: { urn: string } }[];
      concept: { columns: { datasetUrn: string }[] };
    }>(
      carol,
      `{ datasetsHoldingConcept(iri: "${ns}EmailAddress") { dataset { urn } }
         concept(iri: "${ns}EmailAddress") { columns { datasetUrn } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.datasetsHoldingConcept.map((h) => h.dataset.urn)).toEqual([
      marketing('leads'),
      retail('customers'),
    ]);
    expect(res.data?.concept.columns.map((c) => c.datasetUrn)).toEqual([marketing('leads'), retail('customers')]);
    // It can still be removed.
    const unlinked = await gql(
      carol,
      'mutation ($input: ConceptLinkInput!) { unlinkConcept(input: $input) { linked } }',
      {
        input: { concept: `${ns}EmailAddress`, datasetUrn: retail('deleted'), column: 'email' },
      },
    );
    expect(unlinked.errors).toBeUndefined();
  });

  it('fails closed, with a clear error, when Metis cannot be reached', async () => {
    const odin = await createOdinSubgraph({
      neo4j,
      heimdall: new HeimdallClient({ url: heimdallProxy.url }),
      metisUrl: 'http://127.0.0.1:9/graphql',
    });
    const cut = await odin.listen(0);
    try {
      const res = await graphql<{ datasetsHoldingConcept: unknown }>(cut.url, HOLDING, {
        token: carol,
        variables: { iri: `${ns}PersonalData` },
      });
      expect(res.data?.datasetsHoldingConcept ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.errors?.[0]?.message).toMatch(/Metis/);
      const entities = await graphql<{ _entities: unknown[] }>(cut.url, ENTITIES, {
        token: carol,
        variables: { reps: [{ __typename: 'Dataset', urn: retail('customers') }] },
      });
      expect(errorCodes(entities)).toEqual(['SERVICE_UNAVAILABLE']);
      const before = await linkCount();
      const link = await graphql(cut.url, LINK, {
        token: carol,
        variables: { input: { concept: `${ns}Customer`, datasetUrn: retail('orders') } },
      });
      expect(errorCodes(link)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(await linkCount()).toBe(before);
    } finally {
      await cut.stop();
    }
  });
});

describe('store round trips do not grow with the number of concepts', () => {
  const QUERY = /* GraphQL */ `
    query ($ontology: ID!, $first: Int) {
      concepts(ontology: $ontology, first: $first) {
        iri
        ancestors {
          distance
          concept {
            iri
          }
        }
        descendants {
          concept {
            iri
          }
        }
        instances(includeSubconcepts: true) {
          iri
        }
        datasets(includeSubconcepts: true) {
          urn
        }
        columns(includeSubconcepts: true) {
          name
          concept {
            iri
            ancestors(maxDepth: 5) {
              distance
            }
          }
        }
        superClasses {
          iri
        }
      }
    }
  `;

  /**
   * `delays` holds each Neo4j answer back by its own time (cycled), so that answers of one wave
   * arrive in different I/O callbacks and in a different order: the count must not depend on it.
   */
  async function roundTrips(first: number, delays: readonly number[] = [0]) {
    const driver = neo4j.driver;
    const original = driver.executeQuery.bind(driver) as (...args: unknown[]) => Promise<unknown>;
    let n = 0;
    const spy = vi.spyOn(driver, 'executeQuery').mockImplementation((async (...args: unknown[]) => {
      const delay = delays[n++ % delays.length]!;
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      return original(...args);
    }) as typeof driver.executeQuery);
    metisProxy.calls = 0;
    try {
      const res = await gql<{ concepts: unknown[] }>(alice, QUERY, { ontology: ONTO, first });
      expect(res.errors).toBeUndefined();
      expect(res.data?.concepts).toHaveLength(first);
      return { neo4j: spy.mock.calls.length, metis: metisProxy.calls };
    } finally {
      spy.mockRestore();
    }
  }

  it('answers 2 or 7 concepts with their hierarchy, instances, datasets and columns in the same number of queries', async () => {
    const few = await roundTrips(2);
    const all = await roundTrips(7);
    expect(all).toEqual(few);
    // search, ancestors, descendants, instances, holdings, columns, superClasses, column concepts, their ancestors
    expect(all.neo4j).toBeLessThanOrEqual(9);
    expect(all.metis).toBe(1);
  });

  it('sends one Metis batch however the Neo4j answers of a wave are spread in time', async () => {
    const expected = await roundTrips(7);
    expect(expected.metis).toBe(1);
    for (const delays of [
      [0, 40],
      [40, 0],
      [25, 0, 60, 5],
      [0, 0, 80],
    ]) {
      expect(await roundTrips(7, delays)).toEqual(expected);
      expect(await roundTrips(2, delays)).toEqual(expected);
    }
  });
});

describe('the knowledge graph through GraphQL', () => {
  it('searches concepts and reads labels in a language', async () => {
    const res = await gql<{
      concepts: {
        iri: string;
        label: string;
        definition: string | null;
        labels: { value: string; language: string }[];
      }[];
    }>(
      alice,
      `{ concepts(search: "daten", ontology: "${ONTO}") { iri label(lang: "de") definition labels { value language } ontology { name } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.concepts).toEqual([
      {
        iri: `${ns}PersonalData`,
        label: 'Personenbezogene Daten',
        definition: 'About a person.',
        labels: [
          { value: 'Personal data', language: 'en' },
          { value: 'Personenbezogene Daten', language: 'de' },
        ],
        ontology: { name: 'PD test ontology' },
      },
    ]);
  });

  it('walks the hierarchy and finds paths', async () => {
    const res = await gql<{
      concept: {
        superClasses: { label: string }[];
        ancestors: { distance: number; concept: { label: string } }[];
        descendants: { concept: { label: string } }[];
      };
      conceptPath: { length: number; concepts: { label: string }[]; steps: { relation: string; forward: boolean }[] };
    }>(
      alice,
      `{ concept(iri: "${ns}EmailAddress") {
           superClasses { label } ancestors { distance concept { label } }
           descendants { concept { label } } properties { iri }
         }
         conceptPath(from: "${ns}Invoice", to: "${ns}Customer") { length concepts { label } steps { relation forward } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.concept.superClasses).toEqual([{ label: 'Contact data' }]);
    expect(res.data?.concept.ancestors).toEqual([
      { distance: 1, concept: { label: 'Contact data' } },
      { distance: 2, concept: { label: 'Personal data' } },
    ]);
    expect(res.data?.concept.descendants).toEqual([]);
    expect(res.data?.conceptPath).toEqual({
      length: 2,
      concepts: [{ label: 'Invoice' }, { label: 'Order' }, { label: 'Customer' }],
      steps: [
        { relation: 'CUSTOM', forward: true },
        { relation: 'CUSTOM', forward: true },
      ],
    });
  });

  it('reads ontologies, properties and instances', async () => {
    const res = await gql<{
      ontology: {
        name: string;
        conceptCount: number;
        propertyCount: number;
        instanceCount: number;
        importedBy: string;
        importedAt: string;
      };
      property: { kind: string; domains: { label: string }[]; ranges: { label: string }[]; ontology: { iri: string } };
      instances: { iri: string; types: { label: string }[] }[];
      customer: {
        relations: { predicate: string; direction: string; targetKind: string; concept: { label: string } }[];
        instances: { label: string }[];
      };
    }>(
      alice,
      `{ ontology(iri: "${ONTO}") { name conceptCount propertyCount instanceCount importedBy importedAt }
         property(iri: "${ns}placedBy") { kind domains { label } ranges { label } ontology { iri } }
         instances(type: "${ns}Customer") { iri types { label } }
         customer: concept(iri: "${ns}Customer") { relations { predicate direction targetKind concept { label } } instances { label } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.ontology).toMatchObject({
      name: 'PD test ontology',
      conceptCount: 7,
      propertyCount: 1,
      instanceCount: 1,
      importedBy: 'users:id:carol',
    });
    expect(Date.parse(res.data!.ontology.importedAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(res.data?.property).toEqual({
      kind: 'OBJECT',
      domains: [{ label: 'Order' }],
      ranges: [{ label: 'Customer' }],
      ontology: { iri: ONTO },
    });
    expect(res.data?.instances).toEqual([{ iri: `${ns}acme`, types: [{ label: 'Customer' }] }]);
    expect(res.data?.customer.relations).toEqual([
      { predicate: `${ns}placedBy`, direction: 'INCOMING', targetKind: 'CONCEPT', concept: { label: 'Order' } },
    ]);
    expect(res.data?.customer.instances).toEqual([{ label: 'ACME' }]);
  });

  it('validates bounds', async () => {
    const res = await gql(alice, `{ concepts(first: 0) { iri } }`);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const depth = await gql(alice, `{ concept(iri: "${ns}EmailAddress") { ancestors(maxDepth: 50) { distance } } }`);
    expect(depth.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxDepth' });
  });

  it('refuses malformed IRIs, search strings and column names with BAD_USER_INPUT, and writes nothing', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['query ($v: ID!) { concept(iri: $v) { iri } }', { v: 'not an iri' }, 'iri'],
      ['query ($v: ID!) { concept(iri: $v) { iri } }', { v: `${ns}${'x'.repeat(2100)}` }, 'iri'],
      ['query ($v: ID!) { datasetsHoldingConcept(iri: $v) { concepts { iri } } }', { v: `${ns}<Email>` }, 'iri'],
      ['query ($v: ID!) { conceptPath(from: $v, to: "urn:x:y") { length } }', { v: 'relative/path' }, 'from'],
      ['query ($v: String) { concepts(search: $v) { iri } }', { v: 'e'.repeat(201) }, 'search'],
      ['query ($v: String) { concepts(search: $v) { iri } }', { v: 'mail\u0000' }, 'search'],
      ['query ($v: ID) { concepts(ontology: $v) { iri } }', { v: 'no scheme' }, 'ontology'],
      [IMPORT, { input: { content: ONTOLOGY, format: 'TURTLE', baseIri: 'relative/base' } }, 'input.baseIri'],
      [IMPORT, { input: { content: ONTOLOGY, format: 'TURTLE', namespace: 'has space:x' } }, 'input.namespace'],
      [IMPORT, { input: { content: ONTOLOGY, format: 'TURTLE', iri: 'https://x.example/a b' } }, 'input.iri'],
      [LINK, { input: { concept: 'bad iri', datasetUrn: retail('customers') } }, 'input.concept'],
      [
        LINK,
        { input: { concept: `${ns}EmailAddress`, datasetUrn: retail('customers'), column: ' email' } },
        'input.column',
      ],
      [
        LINK,
        { input: { concept: `${ns}EmailAddress`, datasetUrn: retail('customers'), column: 'c'.repeat(257) } },
        'input.column',
      ],
      [
        UNLINK,
        { input: { concept: `${ns}EmailAddress`, datasetUrn: retail('customers'), column: '' } },
        'input.column',
      ],
      [
        UNLINK,
        { input: { concept: `${ns}EmailAddress`, datasetUrn: retail('customers'), column: 'e\nmail' } },
        'input.column',
      ],
    ];
    const links = await linkCount();
    for (const [query, variables, field] of cases) {
      const res = await gql(carol, query, variables);
      expect(res.errors?.[0]?.extensions, `${field} ${JSON.stringify(variables).slice(0, 80)}`).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
      expect(res.errors?.[0]?.message).toContain(field);
    }
    expect(await linkCount()).toBe(links);
    const email = await gql<{ concept: { datasets: unknown[] } }>(
      carol,
      `{ concept(iri: "${ns}EmailAddress") { datasets { urn } } }`,
    );
    expect(email.data?.concept.datasets).toHaveLength(2);
  });

  it('deletes an ontology with permission only; links stay on the concepts', async () => {
    const denied = await gql(alice, `mutation { deleteOntology(iri: "${ONTO}") { deleted } }`);
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    // Authorize, then validate: a malformed IRI tells a caller who may not write nothing more.
    const deniedBad = await gql(alice, `mutation { deleteOntology(iri: "not an iri") { deleted } }`);
    expect(errorCodes(deniedBad)).toEqual(['FORBIDDEN']);
    const allowedBad = await gql(carol, `mutation { deleteOntology(iri: "not an iri") { deleted } }`);
    expect(errorCodes(allowedBad)).toEqual(['BAD_USER_INPUT']);
    const res = await gql<{ deleteOntology: { deleted: boolean } }>(
      carol,
      `mutation { deleteOntology(iri: "${ONTO}") { deleted } }`,
    );
    expect(res.data?.deleteOntology.deleted).toBe(true);
    const after = await gql<{
      ontology: unknown;
      concept: { label: string; ontology: unknown; datasets: { urn: string }[] };
    }>(
      carol,
      `{ ontology(iri: "${ONTO}") { iri } concept(iri: "${ns}EmailAddress") { label ontology { iri } datasets { urn } } }`,
    );
    expect(after.data).toEqual({
      ontology: null,
      concept: {
        label: 'Email address',
        ontology: null,
        datasets: [{ urn: marketing('leads') }, { urn: retail('customers') }],
      },
    });
  });
});
