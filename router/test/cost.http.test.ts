import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, startRouter, type Router } from '@dataos/router';
import {
  composeSupergraph,
  errorCodes,
  graphql,
  startTestSubgraph,
  writeSupergraphFile,
  type SupergraphFile,
  type TestSubgraph,
} from '@dataos/testkit';

/**
 * Federation's `child-type-mismatch` shape (a union of `User` and `Admin`, `User` shared with a
 * subgraph that types its `id` differently), and a third subgraph that declares demand-control
 * directives: served over HTTP, composed, behind a router with its default limits.
 */
const A_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
  type User { id: ID @shareable }
  type Query { users: [User!]! }`;

const B_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable", "@key"])
  union Account = User | Admin
  type User @key(fields: "id") { id: ID! name: String similarAccounts: [Account!]! }
  type Admin { id: ID name: String @shareable similarAccounts: [Account!]! }
  type Query { accounts: [Account!]! }`;

const C_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@listSize", "@cost"])
  type Item { id: ID! name: String }
  type Query {
    items: [Item!]!
    catalogue: [Item!]! @listSize(assumedSize: 5000)
    page(first: Int): [Item!]! @listSize(assumedSize: 5000, slicingArguments: ["first"], requireOneSlicingArgument: false)
    report: String @cost(weight: 20000)
  }`;

const USERS = [{ id: 'u1', name: 'u1-name' }];
const accounts = () => [
  ...USERS.map((u) => ({ __typename: 'User', ...u })),
  { __typename: 'Admin', id: 'a1', name: 'a1-name' },
];
const items = () => [{ id: 'i1', name: 'item' }];

let subgraphs: TestSubgraph[];
let supergraph: SupergraphFile;
let router: Router;

beforeAll(async () => {
  subgraphs = await Promise.all([
    startTestSubgraph({
      name: 'a',
      typeDefs: A_SDL,
      resolvers: { Query: { users: () => USERS.map((u) => ({ __typename: 'User', id: u.id })) } },
    }),
    startTestSubgraph({
      name: 'b',
      typeDefs: B_SDL,
      resolvers: {
        Query: { accounts },
        User: {
          __resolveReference: (key: { id: string }) => USERS.find((u) => u.id === key.id),
          similarAccounts: accounts,
        },
        Admin: { similarAccounts: accounts },
      },
    }),
    startTestSubgraph({
      name: 'c',
      typeDefs: C_SDL,
      resolvers: { Query: { items, catalogue: items, page: items, report: () => 'done' } },
    }),
  ]);
  const [a, b, c] = subgraphs as [TestSubgraph, TestSubgraph, TestSubgraph];
  supergraph = await writeSupergraphFile(
    composeSupergraph([
      { name: 'a', url: a.url, typeDefs: A_SDL },
      { name: 'b', url: b.url, typeDefs: B_SDL },
      { name: 'c', url: c.url, typeDefs: C_SDL },
    ]),
  );
  // Default limits (MAX_COST 10,000, lists of 10): only what the test needs is set.
  router = await startRouter(
    { ...configFromEnv({ HEIMDALL_URL: 'http://127.0.0.1:9/graphql' }), port: 0, supergraphPath: supergraph.path },
    pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  );
});

afterAll(async () => {
  await router?.stop();
  await Promise.all((subgraphs ?? []).map((s) => s.stop()));
  await supergraph?.remove();
});

const branches = (fields: string, inner: string) =>
  `... on User { ${fields} ${inner} } ... on Admin { ${fields} ${inner} }`;
const nested = (fields: string) =>
  `accounts { ${branches(fields, `similarAccounts { ${branches(fields, `similarAccounts { ${branches(fields, '')} }`)} }`)} }`;

/** The accounts answer, `levels` deep, with the fields each level selects. */
function expected(levels: number, withId: boolean): unknown[] {
  return accounts().map((account) => ({
    ...(withId ? { id: account.id } : {}),
    name: account.name,
    ...(levels > 1 ? { similarAccounts: expected(levels - 1, withId) } : {}),
  }));
}

describe('cost estimate through the router', () => {
  it('child-type-mismatch gets its data with default settings (one branch of a union counts, not both)', async () => {
    // Estimated 2,220 (12,630 when both branches were added).
    const deep = await graphql(router.url, `query DeeplyNested { ${nested('name')} }`);
    expect(deep.errors).toBeUndefined();
    expect(deep.data).toEqual({ accounts: expected(3, false) });
    // Estimated 3,360 (was 21,080).
    const alias = await graphql(
      router.url,
      `query DeeplyNestedInternalAlias { users { id name } ${nested('id name')} }`,
    );
    expect(alias.errors).toBeUndefined();
    expect(alias.data).toEqual({ users: [{ id: 'u1', name: 'u1-name' }], accounts: expected(3, true) });
  });

  it('a list with @listSize(assumedSize: 5000) is refused as too costly, before any subgraph is asked', async () => {
    const c = subgraphs[2]!;
    // The same selection on a list without the directive: 10 × 3.
    expect((await graphql(router.url, '{ items { id name } }')).data).toEqual({ items: items() });
    c.fetches.length = 0;
    const refused = await graphql(router.url, '{ catalogue { id name } }');
    expect(refused.status).toBe(400);
    expect(errorCodes(refused)).toEqual(['MAX_COST_EXCEEDED']);
    expect(refused.errors![0]!.extensions).toMatchObject({ actual: 5000 * 3, limit: 10_000 });
    expect(c.fetches).toHaveLength(0);
  });

  it("a slicing argument replaces the assumed size; @cost replaces the field's 1", async () => {
    expect((await graphql(router.url, '{ page(first: 5) { id name } }')).data).toEqual({ page: items() });
    const variable = await graphql(router.url, 'query($n: Int) { page(first: $n) { id name } }', {
      variables: { n: 4000 },
    });
    expect(errorCodes(variable)).toEqual(['MAX_COST_EXCEEDED']);
    expect(variable.errors![0]!.extensions).toMatchObject({ actual: 4000 * 3 });
    // No slicing argument: the assumed size.
    expect(errorCodes(await graphql(router.url, '{ page { id name } }'))).toEqual(['MAX_COST_EXCEEDED']);
    const report = await graphql(router.url, '{ report }');
    expect(errorCodes(report)).toEqual(['MAX_COST_EXCEEDED']);
    expect(report.errors![0]!.extensions).toMatchObject({ actual: 20_000 });
  });
});
