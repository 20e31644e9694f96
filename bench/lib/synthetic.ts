/**
 * Three small synthetic subgraphs with deterministic data, shared by every gateway the router
 * bench measures. Their fields carry `@authenticated` and `@policy`, so the router's
 * authorization runs on every request (other gateways get the supergraph without them).
 */
const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@policy"])`;

/** The policy the router asks Heimdall about; the bench creates it (alice, a data developer, passes). */
export const BENCH_POLICY = 'bench-readers';

export const SUBGRAPH_NAMES = ['products', 'inventory', 'reviews'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const upc = (i: number) => `upc-${i}`;
const product = (i: number) => ({ upc: upc(i), name: `Product ${i}`, price: 100 + i });

export const SUBGRAPHS: Record<SubgraphName, { typeDefs: string; resolvers: object }> = {
  products: {
    typeDefs: `${FEDERATION}
      type Query {
        topProducts(first: Int = 5, offset: Int = 0): [Product!]! @authenticated
        product(upc: String!): Product @authenticated
      }
      type Product @key(fields: "upc") {
        upc: String!
        name: String!
        price: Int
      }`,
    resolvers: {
      Query: {
        topProducts: (_: unknown, args: { first: number; offset: number }) =>
          Array.from({ length: Math.min(args.first, 100) }, (_, i) => product(args.offset + i)),
        product: (_: unknown, args: { upc: string }) => product(Number(args.upc.replace('upc-', '')) || 0),
      },
      Product: { __resolveReference: (ref: { upc: string }) => product(Number(ref.upc.replace('upc-', '')) || 0) },
    },
  },
  inventory: {
    typeDefs: `${FEDERATION}
      type Product @key(fields: "upc") {
        upc: String!
        inStock: Boolean!
        shippingEstimate: Int @policy(policies: [["${BENCH_POLICY}"]])
      }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string }) => {
          const i = Number(ref.upc.replace('upc-', '')) || 0;
          return { upc: ref.upc, inStock: i % 3 !== 0, shippingEstimate: (i * 7) % 10 };
        },
      },
    },
  },
  reviews: {
    typeDefs: `${FEDERATION}
      type Product @key(fields: "upc") {
        upc: String!
        reviews: [Review!]! @authenticated
      }
      type Review {
        id: ID!
        body: String!
        stars: Int!
      }`,
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string }) => {
          const i = Number(ref.upc.replace('upc-', '')) || 0;
          return {
            upc: ref.upc,
            reviews: [0, 1].map((k) => ({
              id: `${ref.upc}-r${k}`,
              body: `Review ${k} of product ${i}`,
              stars: 1 + ((i + k) % 5),
            })),
          };
        },
      },
    },
  },
};

/**
 * Each operation twice: `query`, the same document every time (gateways may share its fetches
 * in flight), and `distinct`, a document whose variables change the subgraph fetches, for the
 * realistic mode where request `i` carries `variables(i)` and no two requests in flight alike.
 */
export const OPERATIONS = {
  small: {
    label: 'small (1 subgraph)',
    query: 'query Small { product(upc: "upc-7") { upc name price } }',
    distinct: {
      query: 'query Small($upc: String!) { product(upc: $upc) { upc name price } }',
      variables: (i: number) => ({ upc: upc(i) }),
    },
  },
  fanout: {
    label: 'fan-out (3 subgraphs, 50 entities)',
    query:
      'query TopProducts { topProducts(first: 50) { upc name price inStock shippingEstimate reviews { id body stars } } }',
    distinct: {
      query:
        'query TopProducts($offset: Int!) { topProducts(first: 50, offset: $offset) { upc name price inStock shippingEstimate reviews { id body stars } } }',
      variables: (i: number) => ({ offset: i }),
    },
  },
} as const;
export type OperationName = keyof typeof OPERATIONS;
