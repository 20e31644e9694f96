import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetColumnsWithConceptsDocument,
  DatasetsHoldingConceptDocument,
  ImportOntologyDocument,
  LinkConceptDocument,
} from '@dataos/client';
import { seedMetis } from '@dataos/metis';
import { createPolicies, graphql, startTestSupergraph, tokenFor, uniqueId, type TestSupergraph } from '@dataos/testkit';
import { countingProxy, removeTestData, type CountingProxy } from './helpers.js';

// Metis datasets under a depot of their own, Odin concepts under an IRI namespace of their own.
const depot = uniqueId('odinsg');
const urn = (path: string) => `dataos://${depot}:${path}`;
const ONTO = `https://test.dataos.local/${depot}/biz`;
const ns = `${ONTO}#`;

const ONTOLOGY = `@prefix : <${ns}> . @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<${ONTO}> a owl:Ontology ; rdfs:label "Supergraph test ontology" .
:Customer a owl:Class ; rdfs:label "Customer"@en .
:Invoice a owl:Class ; rdfs:label "Invoice"@en .
:PersonalData a owl:Class ; rdfs:label "Personal data"@en .
:ContactData a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Contact data"@en .
:EmailAddress a owl:Class ; rdfs:subClassOf :ContactData ; rdfs:label "Email address"@en .
:PersonName a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Person name"@en .
:CustomerIdentifier a owl:Class ; rdfs:subClassOf :PersonalData ; rdfs:label "Customer identifier"@en .
`;

let sg: TestSupergraph;
let alice: string;
let carol: string;
let metis: CountingProxy;

beforeAll(async () => {
  // Odin asks Metis which datasets exist for the caller (METIS_URL): the test supergraph's Metis
  // gets its port only when started, so Odin is pointed at a proxy that forwards to it.
  metis = await countingProxy('http://127.0.0.1:9/graphql');
  process.env.METIS_URL = metis.url;
  sg = await startTestSupergraph();
  metis.target = sg.subgraphUrls.metis!;
  [alice, carol] = await Promise.all([tokenFor('alice'), tokenFor('carol')]);
  await createPolicies(sg.heimdallUrl, [
    {
      name: `${depot}-retail-readers`,
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { paths: [`dataos://${depot}:retail/**`] },
    },
    {
      name: `${depot}-catalog-users`,
      subjects: [['roles:id:*']],
      actions: ['read'],
      objects: { paths: ['/metis/**'] },
    },
    // A tag-based deny (as the demo's no-finance-for-data-devs): Metis hides the dataset, so must Odin.
    {
      name: `${depot}-no-secrets`,
      effect: 'DENY',
      subjects: [['roles:id:data-dev']],
      actions: ['*'],
      objects: { tags: ['dataos:tag:PII.Secret'] },
    },
    {
      name: `${depot}-admins`,
      subjects: [['roles:id:admin']],
      actions: ['read', 'write'],
      objects: { paths: [`dataos://${depot}:**`, '/odin/ontologies'] },
    },
  ]);
  await seedMetis(sg.neo4j, [
    {
      urn: urn('retail/customers'),
      name: 'customers',
      description: 'test customers',
      layer: 'curated',
      tags: [],
      columns: [
        ['customer_id', 'bigint'],
        ['full_name', 'varchar', ['PII.Name']],
        ['email', 'varchar', ['PII.Email']],
        ['region', 'varchar'],
      ],
    },
    {
      urn: urn('retail/vault'),
      name: 'vault',
      description: 'secret test customers',
      layer: 'curated',
      tags: ['PII.Secret'],
      columns: [['holder', 'varchar', ['PII.Name']]],
    },
    {
      urn: urn('finance/invoices'),
      name: 'invoices',
      description: 'test invoices',
      layer: 'curated',
      tags: [],
      columns: [
        ['invoice_id', 'varchar'],
        ['customer_id', 'bigint'],
      ],
    },
  ]);
  // The ontology and its links go in through the router, as a client would send them.
  const imported = await graphql(sg.url, ImportOntologyDocument, {
    token: carol,
    variables: { input: { content: ONTOLOGY, format: 'TURTLE' } },
  });
  if (imported.errors) throw new Error(JSON.stringify(imported.errors));
  const links = [
    { concept: `${ns}Customer`, datasetUrn: urn('retail/customers') },
    { concept: `${ns}CustomerIdentifier`, datasetUrn: urn('retail/customers'), column: 'customer_id' },
    { concept: `${ns}PersonName`, datasetUrn: urn('retail/customers'), column: 'full_name' },
    { concept: `${ns}EmailAddress`, datasetUrn: urn('retail/customers'), column: 'email' },
    { concept: `${ns}PersonName`, datasetUrn: urn('retail/vault'), column: 'holder' },
    { concept: `${ns}Invoice`, datasetUrn: urn('finance/invoices') },
    { concept: `${ns}CustomerIdentifier`, datasetUrn: urn('finance/invoices'), column: 'customer_id' },
  ];
  for (const input of links) {
    const res = await graphql(sg.url, LinkConceptDocument, { token: carol, variables: { input } });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
});

afterAll(async () => {
  await removeTestData(sg.neo4j, `https://test.dataos.local/${depot}/`, `dataos://${depot}:`);
  // Metis's nodes for this depot (seeded above through Metis's own seed).
  await sg.neo4j.driver.executeQuery(
    `CALL () {
       MATCH (n:Column) WHERE n.datasetUrn STARTS WITH $p RETURN n
       UNION MATCH (n:Dataset) WHERE n.urn STARTS WITH $p RETURN n
       UNION MATCH (n:Source {name: $depot}) RETURN n
     }
     DETACH DELETE n`,
    { p: `dataos://${depot}:`, depot },
  );
  await sg.stop();
  await metis.close();
});

describe('Odin and Metis through the router', () => {
  it('returns a Metis dataset with its columns and the concepts Odin links to them, in one query', async () => {
    const res = await graphql(sg.url, DatasetColumnsWithConceptsDocument, {
      token: alice,
      variables: { urn: urn('retail/customers') },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.dataset).toEqual({
      urn: urn('retail/customers'),
      name: 'customers',
      concepts: [{ iri: `${ns}Customer`, label: 'Customer' }],
      columns: [
        {
          name: 'customer_id',
          type: 'bigint',
          concept: {
            iri: `${ns}CustomerIdentifier`,
            label: 'Customer identifier',
            ancestors: [{ distance: 1, concept: { iri: `${ns}PersonalData`, label: 'Personal data' } }],
          },
        },
        {
          name: 'full_name',
          type: 'varchar',
          concept: {
            iri: `${ns}PersonName`,
            label: 'Person name',
            ancestors: [{ distance: 1, concept: { iri: `${ns}PersonalData`, label: 'Personal data' } }],
          },
        },
        {
          name: 'email',
          type: 'varchar',
          concept: {
            iri: `${ns}EmailAddress`,
            label: 'Email address',
            ancestors: [
              { distance: 1, concept: { iri: `${ns}ContactData`, label: 'Contact data' } },
              { distance: 2, concept: { iri: `${ns}PersonalData`, label: 'Personal data' } },
            ],
          },
        },
        { name: 'region', type: 'varchar', concept: null },
      ],
    });
  });

  it('lists the datasets holding personal data that the viewer may read, with Metis’s fields', async () => {
    const variables = { iri: `${ns}PersonalData`, via: 'COLUMN' as const };
    const asAlice = await graphql(sg.url, DatasetsHoldingConceptDocument, { token: alice, variables });
    expect(asAlice.errors).toBeUndefined();
    expect(asAlice.data?.datasetsHoldingConcept).toEqual([
      {
        dataset: { urn: urn('retail/customers'), name: 'customers' },
        concepts: [
          { iri: `${ns}CustomerIdentifier`, label: 'Customer identifier' },
          { iri: `${ns}EmailAddress`, label: 'Email address' },
          { iri: `${ns}PersonName`, label: 'Person name' },
        ],
        columns: [
          { name: 'customer_id', type: 'bigint' },
          { name: 'email', type: 'varchar' },
          { name: 'full_name', type: 'varchar' },
        ],
      },
    ]);
    const asCarol = await graphql(sg.url, DatasetsHoldingConceptDocument, { token: carol, variables });
    expect(asCarol.data?.datasetsHoldingConcept.map((h) => [h.dataset.urn, h.dataset.name])).toEqual([
      [urn('finance/invoices'), 'invoices'],
      [urn('retail/customers'), 'customers'],
      [urn('retail/vault'), 'vault'],
    ]);
    // What Metis shows through the router is what Odin lists: no entry Metis would answer null for.
    const shown = await graphql<{ datasets: { edges: { node: { urn: string } }[] } }>(
      sg.url,
      'query ($s: String) { datasets(first: 50, filter: { source: $s }) { edges { node { urn } } } }',
      { token: alice, variables: { s: depot } },
    );
    expect(shown.data?.datasets.edges.map((e) => e.node.urn)).toEqual([urn('retail/customers')]);
    expect(metis.calls).toBeGreaterThan(0);
  });
});
