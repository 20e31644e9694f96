import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { HeimdallClient } from '@dataos/heimdall-client';
import { mongoFromEnv, neo4jFromEnv, type MongoStore, type Neo4jStore } from '@dataos/stores';
import type { RunningSubgraph } from '@dataos/subgraph-kit';
import { createPolicies, errorCodes, graphql, tokenFor, uniqueId } from '@dataos/testkit';
import { parseRdf } from '../src/rdf/io.js';
import { createOdinSubgraph } from '../src/server.js';
import { canonical, countTestNodes, removeTestData } from './helpers.js';

// Odin over real HTTP, asking a real Heimdall (in process, on its own MongoDB database).
const run = uniqueId('odinapi');
const ROOT = `https://test.dataos.local/${run}/`;
const depot = run;
const retail = (name: string) => `dataos://${depot}:retail/${name}`;
const finance = (name: string) => `dataos://${depot}:finance/${name}`;
const ONTO = `${ROOT}pd`;
const ns = `${ONTO}#`;

let neo4j: Neo4jStore;
let mongo: MongoStore;
let heimdall: Awaited<ReturnType<typeof createHeimdallSubgraph>>;
const running: RunningSubgraph[] = [];
let url: string;
let heimdallCalls = 0;
let alice: string;
let carol: string;
let dave: string;

/** Counts the calls Odin makes to Heimdall, to check that decisions are batched per request. */
async function countingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    heimdallCalls++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await fetch(target, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(req.headers).filter(([k]) => ['content-type', 'authorization', 'x-request-id'].includes(k))) as Record<string, string>,
      body: Buffer.concat(chunks),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
let proxy: Awaited<ReturnType<typeof countingProxy>>;

const gql = <T = Record<string, unknown>>(token: string | undefined, query: string, variables?: Record<string, unknown>) =>
  graphql<T>(url, query, { ...(token ? { token } : {}), ...(variables ? { variables } : {}) });

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
    importOntology(input: $input) { ontology { iri name version conceptCount } replaced triples concepts properties instances batches }
  }
`;
const LINK = /* GraphQL */ `
  mutation ($input: ConceptLinkInput!) { linkConcept(input: $input) { linked concept { iri } dataset { urn } column { datasetUrn name } } }
`;
const HOLDING = /* GraphQL */ `
  query ($iri: ID!, $via: LinkScope) {
    datasetsHoldingConcept(iri: $iri, via: $via) { dataset { urn } concepts { label } columns { name } }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
      ... on Dataset { urn concepts(includeColumns: true) { iri } }
      ... on Column { datasetUrn name concept { iri } }
    }
  }
`;

beforeAll(async () => {
  neo4j = neo4jFromEnv('ODIN');
  mongo = await mongoFromEnv('HEIMDALL', uniqueId('heimdall_test_'), { ...process.env, HEIMDALL_MONGO_DB: undefined });
  heimdall = await createHeimdallSubgraph({ mongo, pollMs: 100 });
  const heimdallRunning = await heimdall.listen(0);
  running.push(heimdallRunning);
  proxy = await countingProxy(heimdallRunning.url);
  const odin = await createOdinSubgraph({ neo4j, heimdall: new HeimdallClient({ url: proxy.url }) });
  const odinRunning = await odin.listen(0);
  running.push(odinRunning);
  url = odinRunning.url;
  [alice, carol, dave] = await Promise.all([tokenFor('alice'), tokenFor('carol'), tokenFor('dave')]);
  await createPolicies(heimdallRunning.url, [
    { name: `${run}-retail-readers`, subjects: [['roles:id:data-dev']], actions: ['read'], objects: { paths: [`dataos://${depot}:retail/**`] } },
    { name: `${run}-admins`, subjects: [['roles:id:admin']], actions: ['read', 'write'], objects: { paths: [`dataos://${depot}:**`, '/odin/ontologies'] } },
  ]);
});

afterAll(async () => {
  await removeTestData(neo4j, ROOT, `dataos://${depot}:`);
  for (const r of running.reverse()) await r.stop();
  await proxy?.close();
  await heimdall.close();
  await mongo.db.dropDatabase();
  await mongo.close();
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

  it('refuses a request without a token', async () => {
    const res = await gql(undefined, '{ ontologies { iri } }');
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('imports for an allowed caller, and refuses malformed input with its line and column', async () => {
    const bad = await gql(carol, IMPORT, { input: { content: `${ONTOLOGY}:Broken a owl:Class ;; rdfs:label .\n`, format: 'TURTLE' } });
    expect(bad.errors?.[0]).toMatchObject({
      path: ['importOntology'],
      extensions: { code: 'BAD_USER_INPUT', field: 'input.content', line: ONTOLOGY.split('\n').length, column: 35 },
    });
    expect(JSON.stringify(bad.errors)).not.toMatch(/stack|\.ts:/);
    expect(await countTestNodes(neo4j, ROOT)).toBe(0);
    const badJson = await gql(carol, IMPORT, { input: { content: '{\n  "@id": "x",\n  oops\n}', format: 'JSON_LD', iri: ONTO } });
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
    const again = await gql<{ importOntology: { replaced: boolean } }>(carol, IMPORT, { input: { content: ONTOLOGY, format: 'TURTLE' } });
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
      { concept: `${ns}PhoneNumber`, datasetUrn: finance('invoices'), column: 'billing_phone' },
      { concept: `${ns}Invoice`, datasetUrn: finance('invoices') },
      { concept: `${ns}PersonalData`, datasetUrn: finance('payroll') },
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
});

describe('nobody learns of a dataset they may not read', () => {
  it('"datasets holding personal data" lists exactly what the caller may read', async () => {
    const asAlice = await gql<{ datasetsHoldingConcept: { dataset: { urn: string }; concepts: { label: string }[]; columns: { name: string }[] }[] }>(
      alice,
      HOLDING,
      { iri: `${ns}PersonalData` },
    );
    expect(asAlice.errors).toBeUndefined();
    expect(asAlice.data?.datasetsHoldingConcept).toEqual([
      {
        dataset: { urn: retail('customers') },
        concepts: [{ label: 'Email address' }, { label: 'Phone number' }],
        columns: [{ name: 'email' }, { name: 'phone' }],
      },
    ]);
    const asCarol = await gql<{ datasetsHoldingConcept: { dataset: { urn: string } }[] }>(carol, HOLDING, { iri: `${ns}PersonalData` });
    expect(asCarol.data?.datasetsHoldingConcept.map((h) => h.dataset.urn)).toEqual([finance('invoices'), finance('payroll'), retail('customers')]);
    const viaColumns = await gql<{ datasetsHoldingConcept: { dataset: { urn: string } }[] }>(carol, HOLDING, { iri: `${ns}PersonalData`, via: 'COLUMN' });
    expect(viaColumns.data?.datasetsHoldingConcept.map((h) => h.dataset.urn)).toEqual([finance('invoices'), retail('customers')]);
    const asDave = await gql<{ datasetsHoldingConcept: unknown[] }>(dave, HOLDING, { iri: `${ns}PersonalData` });
    expect(asDave.data?.datasetsHoldingConcept).toEqual([]);
  });

  it('filters a concept’s datasets and columns, and asks Heimdall a constant number of times', async () => {
    const query = `{ concept(iri: "${ns}PersonalData") {
      datasets(includeSubconcepts: true) { urn }
      columns(includeSubconcepts: true) { datasetUrn name concept { label } }
    } }`;
    heimdallCalls = 0;
    const res = await gql<{ concept: { datasets: { urn: string }[]; columns: { datasetUrn: string; name: string; concept: { label: string } }[] } }>(alice, query);
    expect(res.errors).toBeUndefined();
    expect(res.data?.concept.datasets).toEqual([{ urn: retail('customers') }]);
    expect(res.data?.concept.columns).toEqual([
      { datasetUrn: retail('customers'), name: 'email', concept: { label: 'Email address' } },
      { datasetUrn: retail('customers'), name: 'phone', concept: { label: 'Phone number' } },
    ]);
    expect(heimdallCalls).toBeLessThanOrEqual(2);
  });

  it('answers entity fetches for unreadable datasets and columns without their concepts', async () => {
    const reps = [
      { __typename: 'Dataset', urn: retail('customers') },
      { __typename: 'Dataset', urn: finance('invoices') },
      { __typename: 'Column', datasetUrn: retail('customers'), name: 'email' },
      { __typename: 'Column', datasetUrn: finance('invoices'), name: 'billing_phone' },
    ];
    heimdallCalls = 0;
    const res = await gql<{ _entities: Record<string, unknown>[] }>(alice, ENTITIES, { reps });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      { urn: retail('customers'), concepts: [{ iri: `${ns}Customer` }, { iri: `${ns}EmailAddress` }, { iri: `${ns}PhoneNumber` }] },
      { urn: finance('invoices'), concepts: [] },
      { datasetUrn: retail('customers'), name: 'email', concept: { iri: `${ns}EmailAddress` } },
      { datasetUrn: finance('invoices'), name: 'billing_phone', concept: null },
    ]);
    expect(heimdallCalls).toBe(1);
    const asCarol = await gql<{ _entities: Record<string, unknown>[] }>(carol, ENTITIES, { reps });
    expect(asCarol.data?._entities[3]).toEqual({ datasetUrn: finance('invoices'), name: 'billing_phone', concept: { iri: `${ns}PhoneNumber` } });
  });
});

describe('the knowledge graph through GraphQL', () => {
  it('searches concepts and reads labels in a language', async () => {
    const res = await gql<{ concepts: { iri: string; label: string; definition: string | null; labels: { value: string; language: string }[] }[] }>(
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
      concept: { superClasses: { label: string }[]; ancestors: { distance: number; concept: { label: string } }[]; descendants: { concept: { label: string } }[] };
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
      ontology: { name: string; conceptCount: number; propertyCount: number; instanceCount: number; importedBy: string; importedAt: string };
      property: { kind: string; domains: { label: string }[]; ranges: { label: string }[]; ontology: { iri: string } };
      instances: { iri: string; types: { label: string }[] }[];
      customer: { relations: { predicate: string; direction: string; targetKind: string; concept: { label: string } }[]; instances: { label: string }[] };
    }>(
      alice,
      `{ ontology(iri: "${ONTO}") { name conceptCount propertyCount instanceCount importedBy importedAt }
         property(iri: "${ns}placedBy") { kind domains { label } ranges { label } ontology { iri } }
         instances(type: "${ns}Customer") { iri types { label } }
         customer: concept(iri: "${ns}Customer") { relations { predicate direction targetKind concept { label } } instances { label } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.ontology).toMatchObject({ name: 'PD test ontology', conceptCount: 7, propertyCount: 1, instanceCount: 1, importedBy: 'users:id:carol' });
    expect(Date.parse(res.data!.ontology.importedAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(res.data?.property).toEqual({ kind: 'OBJECT', domains: [{ label: 'Order' }], ranges: [{ label: 'Customer' }], ontology: { iri: ONTO } });
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

  it('deletes an ontology with permission only; links stay on the concepts', async () => {
    const denied = await gql(alice, `mutation { deleteOntology(iri: "${ONTO}") { deleted } }`);
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);
    const res = await gql<{ deleteOntology: { deleted: boolean } }>(carol, `mutation { deleteOntology(iri: "${ONTO}") { deleted } }`);
    expect(res.data?.deleteOntology.deleted).toBe(true);
    const after = await gql<{ ontology: unknown; concept: { label: string; ontology: unknown; datasets: { urn: string }[] } }>(
      carol,
      `{ ontology(iri: "${ONTO}") { iri } concept(iri: "${ns}EmailAddress") { label ontology { iri } datasets { urn } } }`,
    );
    expect(after.data).toEqual({ ontology: null, concept: { label: 'Email address', ontology: null, datasets: [{ urn: retail('customers') }] } });
  });
});
