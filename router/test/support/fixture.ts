import { pino, type Logger } from 'pino';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { configFromEnv, startRouter, type Router, type RouterConfig, type RouterOptions } from '@dataos/router';
import { mongoFromEnv, type MongoStore } from '@dataos/stores';
import type { RunningSubgraph } from '@dataos/subgraph-kit';
import {
  composeSupergraph,
  createPolicies,
  routerCredentialsEnv,
  startTestSubgraph,
  uniqueId,
  writeSupergraphFile,
  type SupergraphFile,
  type TestSubgraph,
} from '@dataos/testkit';

/** The Heimdall policy the test schemas' `@policy` names: operators (bob) pass, others (alice) do not. */
export const OPERATORS = 'test-operators';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])`;

export const CATALOG_SDL = `${FEDERATION}
  type Query {
    publicInfo: String
    me: String @authenticated
    secretNonNull: String! @authenticated
    emails: [String!] @requiresScopes(scopes: [["email"]])
    adminNote: String @requiresScopes(scopes: [["admin:write"], ["email", "no-such-scope"]])
    operatorNote: String @policy(policies: [["${OPERATORS}"]])
    products(first: Int = 3): [Product!]!
    product(id: ID!): Product
    items: [Item!]!
    slow: String
  }
  type Mutation {
    setNote(text: String!): String @policy(policies: [["${OPERATORS}"]])
  }
  type Product @key(fields: "id") {
    id: ID!
    name: String!
    price: Float @authenticated
    supplier: Supplier
  }
  type Supplier @authenticated {
    id: ID!
    name: String
  }
  interface Item {
    id: ID!
    title: String
  }
  type Book implements Item {
    id: ID!
    title: String
  }
  type Video implements Item {
    id: ID!
    title: String @policy(policies: [["${OPERATORS}"]])
  }`;

export const REVIEWS_SDL = `${FEDERATION}
  type Product @key(fields: "id") {
    id: ID!
    rating: Float
    reviews: [Review!] @policy(policies: [["${OPERATORS}"]])
  }
  type Review {
    body: String!
  }`;

const product = (i: number) => ({
  id: String(i),
  name: `product ${i}`,
  price: 10 + i,
  supplier: { id: `s${i}`, name: `supplier ${i}` },
});

export const CATALOG_RESOLVERS = {
  Query: {
    publicInfo: () => 'hello',
    me: () => 'me',
    secretNonNull: () => 'secret',
    emails: () => ['a@example.com'],
    adminNote: () => 'admin',
    operatorNote: () => 'for operators',
    products: (_: unknown, args: { first: number }) => Array.from({ length: args.first }, (_, i) => product(i)),
    product: (_: unknown, args: { id: string }) => product(Number(args.id)),
    items: () => [
      { __typename: 'Book', id: 'b1', title: 'a book' },
      { __typename: 'Video', id: 'v1', title: 'a video' },
    ],
    slow: () => 'slow',
  },
  Mutation: { setNote: (_: unknown, args: { text: string }) => args.text },
  Item: { __resolveType: (item: { __typename: string }) => item.__typename },
  Product: { __resolveReference: (ref: { id: string }) => product(Number(ref.id)) },
};

export const REVIEWS_RESOLVERS = {
  Product: {
    __resolveReference: (ref: { id: string }) => ({
      id: ref.id,
      rating: 4.5,
      reviews: [{ body: `review of ${ref.id}` }],
    }),
  },
};

export interface TestHeimdall {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real Heimdall on its own MongoDB database, with the `test-operators` policy. `env` is the
 * environment its token verifier is built from (`OIDC_AUDIENCE`, ...), on top of this process's;
 * with another audience, the policy cannot be created (the admin's token is not for it).
 */
export async function startHeimdall(env: Record<string, string> = {}): Promise<TestHeimdall> {
  const mongo: MongoStore = await mongoFromEnv('HEIMDALL', uniqueId('heimdall_router_test_'), {
    ...process.env,
    HEIMDALL_MONGO_DB: undefined,
  });
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let heimdall: Awaited<ReturnType<typeof createHeimdallSubgraph>>;
  try {
    heimdall = await createHeimdallSubgraph({ mongo, pollMs: 100 });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const running: RunningSubgraph = await heimdall.listen(0);
  if (!env.OIDC_AUDIENCE) {
    await createPolicies(running.url, [
      { name: OPERATORS, subjects: [['roles:id:operator']], actions: ['read'], objects: { paths: ['/caretaker/**'] } },
    ]);
  }
  return {
    url: running.url,
    async stop() {
      await running.stop();
      await heimdall.close();
      await mongo.db.dropDatabase();
      await mongo.close();
    },
  };
}

export interface Fixture {
  heimdallUrl: string;
  catalog: TestSubgraph;
  reviews: TestSubgraph;
  supergraph: SupergraphFile;
  sdl: string;
  /** A router on this fixture; settings from `env` as the router reads them. */
  router(
    env?: Record<string, string>,
    overrides?: Partial<RouterConfig>,
    options?: RouterOptions & { logger?: Logger },
  ): Promise<Router>;
  /** Forget what the subgraphs were asked so far. */
  resetFetches(): void;
  stop(): Promise<void>;
}

/**
 * Two test subgraphs whose fields carry `@authenticated`, `@requiresScopes` and `@policy`,
 * composed into a temporary supergraph, and a real Heimdall (its own MongoDB database) with
 * the `test-operators` policy. Routers started on it are stopped with it.
 */
export async function startFixture(options: { heimdall?: boolean } = {}): Promise<Fixture> {
  const catalog = await startTestSubgraph({ name: 'catalog', typeDefs: CATALOG_SDL, resolvers: CATALOG_RESOLVERS });
  const reviews = await startTestSubgraph({ name: 'reviews', typeDefs: REVIEWS_SDL, resolvers: REVIEWS_RESOLVERS });
  const sdl = composeSupergraph([
    { name: 'catalog', url: catalog.url, typeDefs: CATALOG_SDL },
    { name: 'reviews', url: reviews.url, typeDefs: REVIEWS_SDL },
  ]);
  const supergraph = await writeSupergraphFile(sdl);

  const heimdall = options.heimdall !== false ? await startHeimdall() : undefined;
  const heimdallUrl = heimdall?.url ?? 'http://127.0.0.1:9/graphql'; // nothing listens there

  const routers: Router[] = [];
  return {
    heimdallUrl,
    catalog,
    reviews,
    supergraph,
    sdl,
    async router(env = {}, overrides = {}, { logger, ...options } = {}) {
      const router = await startRouter(
        {
          ...configFromEnv({ HEIMDALL_URL: heimdallUrl, ...routerCredentialsEnv(), ...env }),
          port: 0,
          supergraphPath: supergraph.path,
          ...overrides,
        },
        logger ?? pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
        options,
      );
      routers.push(router);
      return router;
    },
    resetFetches() {
      catalog.fetches.length = 0;
      reviews.fetches.length = 0;
    },
    async stop() {
      await Promise.all(routers.map((r) => r.stop()));
      await Promise.all([catalog.stop(), reviews.stop()]);
      await heimdall?.stop();
      await supergraph.remove();
    },
  };
}
