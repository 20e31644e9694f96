import {
  composeSupergraph,
  startTestSubgraph,
  writeSupergraphFile,
  type SupergraphFile,
  type TestSubgraph,
} from '@dataos/testkit';

// Federation shapes without authorization directives: entities across subgraphs, lists of
// entities, an interface and a union over entities of two subgraphs, @requires, input
// variables, @interfaceObject, nullability errors (a subgraph answering null for a non-null field), subgraph
// errors, and a subgraph that is down (`reviews`: nothing listens at its URL).

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@external", "@requires", "@shareable", "@interfaceObject"])`;

export const ACCOUNTS_SDL = `${LINK}
  type Query {
    me: User
    user(id: ID!): User
    users(first: Int = 3, filter: UserFilter): [User!]!
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    search(term: String!): [SearchResult!]!
    nullName: User
    strictNullName: User!
    brokenUsers: [User!]
    failing: String
    failingNonNull: String!
    media: [Media!]!
  }
  interface Media @key(fields: "id") { id: ID! title: String }
  type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
  type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }
  type Mutation { rename(id: ID!, name: String!): User }
  input UserFilter { prefix: String, limit: Int = 2 }
  interface Node { id: ID! }
  type User implements Node @key(fields: "id") { id: ID! name: String! email: String }
  type Organization implements Node @key(fields: "id") { id: ID! title: String! members: [User!]! }
  union SearchResult = User | Organization`;

export const INVENTORY_SDL = `${LINK}
  type Query { order(id: ID!): Order }
  type User @key(fields: "id") {
    id: ID!
    email: String @external
    emailDomain: String @requires(fields: "email")
    orders: [Order!]!
    orderCount: Int
  }
  type Order @key(fields: "id") { id: ID! total: Float! note: String! buyer: User! }
  type Organization @key(fields: "id") { id: ID! revenue: Float }
  type Media @key(fields: "id") @interfaceObject { id: ID! stock: Int }`;

export const REVIEWS_DOWN_SDL = `${LINK}
  type Query { topReview: String }
  type User @key(fields: "id") { id: ID! reviews: [String!] }`;

const NAMES = ['Ada', 'Bob', 'Cy', 'Di', 'Ed'];
const user = (id: string) => {
  const n = Number(id.slice(1));
  // u9 is the user whose non-null name the subgraph answers as null.
  return {
    __typename: 'User',
    id,
    name: n >= 1 && n <= NAMES.length ? NAMES[n - 1] : null,
    email: `${id}@example.com`,
  };
};
const organization = (id: string) => ({
  __typename: 'Organization',
  id,
  title: `Org ${id}`,
  members: [user('u1'), user('u2')],
});
const media = (id: string) =>
  id.startsWith('b')
    ? { __typename: 'Book', id, title: `book ${id}`, pages: 100 }
    : { __typename: 'Movie', id, title: `movie ${id}`, minutes: 90 };
const nodeOf = (id: string) => (id.startsWith('u') ? user(id) : id.startsWith('o') ? organization(id) : null);

const ACCOUNTS_RESOLVERS = {
  Query: {
    me: () => user('u1'),
    user: (_: unknown, args: { id: string }) => user(args.id),
    users: (_: unknown, args: { first: number; filter?: { prefix?: string; limit: number } }) => {
      const all = NAMES.map((_name, i) => user(`u${i + 1}`)).slice(0, args.first);
      if (!args.filter) return all;
      return all
        .filter((u) => !args.filter!.prefix || u.name!.startsWith(args.filter!.prefix))
        .slice(0, args.filter.limit);
    },
    node: (_: unknown, args: { id: string }) => nodeOf(args.id),
    nodes: (_: unknown, args: { ids: string[] }) => args.ids.map(nodeOf),
    search: () => [user('u1'), organization('o1'), user('u2')],
    nullName: () => user('u9'),
    strictNullName: () => user('u9'),
    brokenUsers: () => [user('u1'), user('u9')],
    failing: () => {
      throw new Error('failing resolver');
    },
    failingNonNull: () => {
      throw new Error('failing non-null resolver');
    },
    media: () => [media('b1'), media('m1')],
  },
  Mutation: { rename: (_: unknown, args: { id: string; name: string }) => ({ ...user(args.id), name: args.name }) },
  Node: { __resolveType: (node: { __typename: string }) => node.__typename },
  SearchResult: { __resolveType: (node: { __typename: string }) => node.__typename },
  User: { __resolveReference: (ref: { id: string }) => user(ref.id) },
  Organization: { __resolveReference: (ref: { id: string }) => organization(ref.id) },
  Media: {
    __resolveType: (m: { __typename: string }) => m.__typename,
    __resolveReference: (ref: { id: string }) => media(ref.id),
  },
  Book: { __resolveReference: (ref: { id: string }) => media(ref.id) },
  Movie: { __resolveReference: (ref: { id: string }) => media(ref.id) },
};

const order = (id: string, buyer: string) => ({
  id,
  total: id.length * 10,
  note: id.endsWith('x') ? null : `note ${id}`,
  buyer: { id: buyer },
});

const INVENTORY_RESOLVERS = {
  Query: { order: (_: unknown, args: { id: string }) => order(args.id, 'u1') },
  User: {
    __resolveReference: (ref: { id: string; email?: string }) => ({
      id: ref.id,
      ...(ref.email !== undefined ? { email: ref.email } : {}),
      // u2's second order has no note: a null for a non-null field inside an entity list.
      orders: ref.id === 'u2' ? [order('o2', 'u2'), order('o2x', 'u2')] : [order(`o${ref.id.slice(1)}`, ref.id)],
    }),
    emailDomain: (u: { email?: string }) => u.email?.split('@')[1] ?? null,
    orderCount: (u: { id: string; orders: unknown[] }) => {
      if (u.id === 'u3') throw new Error(`no order count for ${u.id}`);
      return u.orders.length;
    },
  },
  Order: { __resolveReference: (ref: { id: string }) => order(ref.id, 'u1') },
  Organization: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id, revenue: ref.id === 'o1' ? 1000.5 : null }),
  },
  Media: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, stock: ref.id.length }) },
};

export interface Shapes {
  accounts: TestSubgraph;
  inventory: TestSubgraph;
  supergraph: SupergraphFile;
  stop(): Promise<void>;
}

/** The federation-shapes supergraph, its two live subgraphs over real HTTP, and `reviews` down. */
export async function startShapes(): Promise<Shapes> {
  const accounts = await startTestSubgraph({ name: 'accounts', typeDefs: ACCOUNTS_SDL, resolvers: ACCOUNTS_RESOLVERS });
  const inventory = await startTestSubgraph({
    name: 'inventory',
    typeDefs: INVENTORY_SDL,
    resolvers: INVENTORY_RESOLVERS,
  });
  const sdl = composeSupergraph([
    { name: 'accounts', url: accounts.url, typeDefs: ACCOUNTS_SDL },
    { name: 'inventory', url: inventory.url, typeDefs: INVENTORY_SDL },
    { name: 'reviews', url: 'http://127.0.0.1:9/graphql', typeDefs: REVIEWS_DOWN_SDL }, // nothing listens there
  ]);
  const supergraph = await writeSupergraphFile(sdl);
  return {
    accounts,
    inventory,
    supergraph,
    async stop() {
      await Promise.all([accounts.stop(), inventory.stop()]);
      await supergraph.remove();
    },
  };
}
