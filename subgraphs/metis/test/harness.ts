import { HeimdallClient } from '@dataos/heimdall-client';
import { neo4jFromEnv, type Neo4jStore } from '@dataos/stores';
import {
  graphql,
  serveTestSubgraph,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  type GraphQLResponse,
  type TestPolicy,
  dropOwnNodes,
  ownNodes,
} from '@dataos/testkit';
import type { ListAuthz } from '../src/dataset-access.js';
import { createMetisSubgraph } from '../src/index.js';
import { metisSettingsFromEnv } from '../src/settings.js';

export type User = 'alice' | 'bob' | 'carol' | 'dave';

export interface Harness {
  /** Metis's /graphql. */
  url: string;
  heimdallUrl: string;
  neo4j: Neo4jStore;
  /** A depot name unique to this run: every URN and name the test writes contains it. */
  id: string;
  urn(collection: string, name: string): string;
  policies(policies: TestPolicy[]): Promise<void>;
  gql<T = Record<string, unknown>>(
    user: User,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>>;
  /** Neo4j queries (`executeQuery` round trips) Metis has sent so far. */
  queries(): number;
  /**
   * Another Metis on the same Neo4j and Heimdall, filtering lists the other way (`decisions` when
   * this one uses grants): its answers must be the same. Stopped with the harness.
   */
  twin(listAuthz: ListAuthz): Promise<Pick<Harness, 'gql'>>;
  /** Counts this run's nodes per label (to check that nothing was written). */
  counts(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const LABELS = [
  'Dataset',
  'Column',
  'Source',
  'Resource',
  'GlossaryTerm',
  'Domain',
  'Owner',
  'JobRun',
  'DatasetVersion',
  'DeclassificationEvent',
  'SuggestionDecision',
];
const MINE = ownNodes(LABELS);

/**
 * Metis and a real Heimdall in process, on ephemeral ports, against the shared devstack: Heimdall
 * on its own MongoDB database (dropped at the end), this run's Neo4j data found by its unique id
 * (deleted at the end). Policies are created through Heimdall's API as carol.
 */
export async function startHarness(): Promise<Harness> {
  const id = uniqueId('mt');
  const neo4j = neo4jFromEnv('METIS');
  // Counts Metis's read round trips (every read goes through driver.executeQuery).
  let queries = 0;
  const executeQuery = neo4j.driver.executeQuery.bind(neo4j.driver);
  neo4j.driver.executeQuery = ((...args: Parameters<typeof executeQuery>) => {
    queries++;
    return executeQuery(...args);
  }) as typeof executeQuery;
  const heimdall = await startTestHeimdall();
  const metis = await createMetisSubgraph({ neo4j, heimdall: new HeimdallClient({ url: heimdall.url }) });
  const twins: { stop(): Promise<void> }[] = [];
  const running = await serveTestSubgraph(
    metis,
    async () => {
      for (const t of twins) await t.stop();
    },
    () => heimdall.stop(),
  );
  return {
    url: running.url,
    heimdallUrl: heimdall.url,
    neo4j,
    id,
    urn: (collection, name) => `dataos://${id}:${collection}/${name}`,
    queries: () => queries,
    policies: (policies) => heimdall.addPolicies(policies.map((p) => ({ ...p, name: `${id}-${p.name}` }))),
    gql: async (user, query, variables) =>
      graphql(running.url, query, { token: await tokenFor(user), variables: variables ?? {} }),
    async twin(listAuthz) {
      const other = await createMetisSubgraph({
        neo4j,
        heimdall: new HeimdallClient({ url: heimdall.url }),
        settings: { ...metisSettingsFromEnv(), listAuthz },
      });
      const served = await serveTestSubgraph(other);
      twins.push(served);
      return {
        gql: async (user, query, variables) =>
          graphql(served.url, query, { token: await tokenFor(user), variables: variables ?? {} }),
      };
    },
    async counts() {
      const { records } = await neo4j.driver.executeQuery(
        `MATCH (n) WHERE ${MINE} RETURN labels(n)[0] AS label, count(*) AS n`,
        { id },
        { database: neo4j.database },
      );
      return Object.fromEntries(records.map((r) => [r.get('label') as string, r.get('n') as number]));
    },
    async stop() {
      await dropOwnNodes(neo4j, id, LABELS);
      await running.stop();
      await neo4j.close();
    },
  };
}

/** The usual grants of these tests, for a depot: alice reads its retail collection, bob reads and writes all of it. */
export function standardPolicies(h: Harness): TestPolicy[] {
  return [
    {
      name: 'alice-reads-retail',
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { paths: [`dataos://${h.id}:retail/**`], tags: [] },
    },
    {
      name: 'catalog-api',
      subjects: [['roles:id:*']],
      actions: ['read'],
      objects: { paths: ['/metis/**'], tags: [] },
    },
    {
      name: 'bob-writes-depot',
      subjects: [['roles:id:operator']],
      actions: ['read', 'write'],
      objects: { paths: [`dataos://${h.id}`, `dataos://${h.id}:*/**`, '/metis/**'], tags: [] },
    },
  ];
}

/** A compact ingest input for this run's depot. */
export function dataset(
  h: Harness,
  collection: string,
  name: string,
  more: Record<string, unknown> = {},
  columns: Record<string, unknown>[] = [{ name: 'id', type: 'bigint' }],
) {
  return { urn: h.urn(collection, name), description: `${name} of ${collection}`, layer: 'clean', columns, ...more };
}

export const INGEST = /* GraphQL */ `
  mutation Ingest($input: IngestInput!) {
    ingest(input: $input) {
      created
      updated
      unchanged
      urns
      source {
        name
        type
      }
    }
  }
`;
