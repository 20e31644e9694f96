import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetWithConceptsDocument, WhoAmIDocument } from '@dataos/client';
import { seedMetis } from '@dataos/metis';
import { seedOdin } from '@dataos/odin';
import {
  createPolicies,
  errorCodes,
  graphql,
  startTestSupergraph,
  tokenFor,
  uniqueId,
  type TestSupergraph,
} from '@dataos/testkit';

// Test data lives under its own depot name, so it never meets the demo catalog or other runs.
const depot = uniqueId('e2e');
const urn = (name: string) => `dataos://${depot}:sales/${name}`;

let sg: TestSupergraph;
beforeAll(async () => {
  sg = await startTestSupergraph();
  await createPolicies(sg.heimdallUrl, [
    {
      name: `${depot}-readers`,
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { paths: [`dataos://${depot}:sales/**`] },
    },
  ]);
  await seedMetis(sg.neo4j, [
    {
      urn: urn('customers'),
      name: 'customers',
      description: 'test customers',
      layer: 'curated',
      tags: [],
      columns: [
        ['id', 'bigint'],
        ['email', 'varchar', ['PII.Email']],
      ],
    },
    {
      urn: urn('orders'),
      name: 'orders',
      description: 'test orders',
      layer: 'raw',
      tags: [],
      columns: [['id', 'bigint']],
    },
  ]);
  await seedOdin(sg.neo4j, [
    { iri: `urn:${depot}:Customer`, label: 'Customer', definition: 'buyer', datasets: [urn('customers')] },
    { iri: `urn:${depot}:PersonalData`, label: 'Personal data', definition: 'pii', datasets: [urn('customers')] },
  ]);
});

afterAll(async () => {
  await sg.neo4j.driver.executeQuery(
    `MATCH (n) WHERE n.urn STARTS WITH $p OR n.datasetUrn STARTS WITH $p OR n.iri STARTS WITH $i
       OR (n:Source AND n.name = $depot)
     DETACH DELETE n`,
    { p: `dataos://${depot}:`, i: `urn:${depot}:`, depot },
  );
  await sg.stop();
});

describe('the supergraph through the router', () => {
  it('answers one query from two subgraphs (Metis dataset + Odin concepts) with a typed document', async () => {
    const res = await graphql(sg.url, DatasetWithConceptsDocument, {
      token: await tokenFor('alice'),
      variables: { urn: urn('customers') },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.dataset).toEqual({
      urn: urn('customers'),
      name: 'customers',
      layer: 'curated',
      columns: [
        { name: 'id', type: 'bigint', tags: [] },
        { name: 'email', type: 'varchar', tags: ['PII.Email'] },
      ],
      concepts: [
        { iri: `urn:${depot}:Customer`, label: 'Customer' },
        { iri: `urn:${depot}:PersonalData`, label: 'Personal data' },
      ],
    });
  });

  it('answers whoami from Heimdall for the token holder', async () => {
    const res = await graphql(sg.url, WhoAmIDocument, { token: await tokenFor('bob') });
    expect(res.data?.whoami).toMatchObject({ id: 'users:id:bob', type: 'PERSON' });
    expect(res.data?.whoami.tags).toContain('roles:id:operator');
  });

  it('gives no data to a request without a token: the router removes @authenticated fields', async () => {
    const res = await graphql(sg.url, '{ dataset(urn: "dataos://icebase:retail/customers") { name } }');
    expect(res.data).toEqual({ dataset: null });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['dataset'], 'UNAUTHORIZED_FIELD_OR_TYPE']]);
    expect(JSON.stringify(res)).not.toContain('localhost');
  });

  it('and each subgraph refuses a token-less request by itself (zero trust)', async () => {
    const res = await graphql(sg.subgraphUrls.metis!, '{ dataset(urn: "dataos://icebase:retail/customers") { name } }');
    expect(res.data ?? null).toBeNull();
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('passes a subgraph validation error through with its code', async () => {
    const res = await graphql(sg.url, '{ dataset(urn: "not a urn") { name } }', { token: await tokenFor('alice') });
    expect(res.errors?.[0]).toMatchObject({ path: ['dataset'], extensions: { code: 'BAD_USER_INPUT', field: 'urn' } });
  });

  it('is healthy with every subgraph up, and tells callers nothing of them', async () => {
    const res = await fetch(sg.url.replace('/graphql', '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(Object.keys(sg.subgraphUrls).sort()).toEqual(['caretaker', 'gateway', 'heimdall', 'metis', 'odin']);
    for (const url of Object.values(sg.subgraphUrls)) {
      const own = await fetch(url.replace('/graphql', '/health'));
      expect(own.status, url).toBe(200);
    }
  });
});
