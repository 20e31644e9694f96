// The subscriptions bench's two subgraphs (lib/ticker-child.ts serves them).
export const TICKER_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { tickerUp: Boolean }
  type Subscription { ticks: Tick! }
  type Tick { n: Int! sentAt: Float! product: Product }
  type Product @key(fields: "id", resolvable: false) { id: ID! }`;

export const PRODUCTS_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { productsUp: Boolean }
  type Product @key(fields: "id") { id: ID! name: String! }`;
