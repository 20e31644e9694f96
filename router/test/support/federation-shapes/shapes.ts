// Federation shapes written from the federation specification (keys, @requires with arguments,
// @interfaceObject, @context/@fromContext): each a set of subgraphs (SDL and resolvers), the
// operations sent to the router and the answers expected, worked out by hand from the spec and
// the data below, not taken from any gateway's output.

export interface ShapeSubgraph {
  name: string;
  typeDefs: string;
  resolvers: object;
}

export interface ShapeCase {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  /** The whole answer's `data`. */
  data: unknown;
  /** The errors expected, in order, by message and path (none when absent). */
  errors?: { message: string; path: (string | number)[] }[];
}

export interface FederationShape {
  name: string;
  subgraphs: ShapeSubgraph[];
  cases: ShapeCase[];
}

const link = (version: string, names: string[]) =>
  `extend schema @link(url: "https://specs.apollo.dev/federation/v${version}", import: [${names.map((n) => `"${n}"`).join(', ')}])`;

// ---------------------------------------------------------------------------------------------
// keys-mashup: an entity with several keys, some not resolvable, one composite and nested, and a
// field that @requires a field another subgraph owns. The only way into `catalog` is by `id`;
// the only way into `library` is by `id edition { volume printing }`.

interface Book {
  id: string;
  isbn: string;
  edition: { series: string; volume: string; printing: string };
  title: string;
}
const BOOKS: Record<string, Book> = {
  b1: { id: 'b1', isbn: '978-1', edition: { series: 's1', volume: 'v1', printing: 'p3' }, title: 'Dune' },
  b2: { id: 'b2', isbn: '978-2', edition: { series: 's1', volume: 'v2', printing: 'p1' }, title: 'Emma' },
};
const bookKeys = (b: Book) => ({ __typename: 'Book', id: b.id, isbn: b.isbn, edition: b.edition });

const keysMashup: FederationShape = {
  name: 'keys-mashup',
  subgraphs: [
    {
      name: 'catalog',
      typeDefs: `${link('2.5', ['@key'])}
        type Book
          @key(fields: "id")
          @key(fields: "isbn", resolvable: false)
          @key(fields: "edition { series volume }", resolvable: false)
          @key(fields: "id edition { volume printing }", resolvable: false) {
          id: ID!
          isbn: ID!
          edition: Edition!
          title: String!
        }
        type Edition { series: ID! volume: ID! printing: ID! }`,
      resolvers: {
        Book: {
          __resolveReference: (ref: { id?: string }) => {
            const book = ref.id ? BOOKS[ref.id] : undefined;
            return book ? { ...bookKeys(book), title: book.title } : null;
          },
        },
      },
    },
    {
      name: 'library',
      typeDefs: `${link('2.5', ['@key', '@requires', '@external'])}
        type Query { shelf: Shelf }
        type Shelf @key(fields: "id") { id: ID! books: [Book!]! }
        type Book
          @key(fields: "edition { series volume }", resolvable: false)
          @key(fields: "id edition { volume printing }")
          @key(fields: "isbn", resolvable: false)
          @key(fields: "id", resolvable: false) {
          id: ID!
          isbn: ID!
          edition: Edition!
          title: String! @external
          label: String! @requires(fields: "title")
        }
        type Edition { series: ID! volume: ID! printing: ID! }`,
      resolvers: {
        Query: { shelf: () => ({ id: 'shelf-1', books: ['b1', 'b2'] }) },
        Shelf: { books: (shelf: { books: string[] }) => shelf.books.map((id) => bookKeys(BOOKS[id]!)) },
        Book: {
          // Only this key resolves here; the title comes with it when a field requires it.
          __resolveReference: (ref: { id: string; edition?: { volume: string; printing: string }; title?: string }) => {
            const book = BOOKS[ref.id];
            if (!book || ref.edition?.volume !== book.edition.volume) return null;
            return { ...bookKeys(book), ...(ref.title !== undefined ? { title: ref.title } : {}) };
          },
          label: (book: { title?: string }) => {
            if (book.title === undefined) throw new Error('Book.title was not provided');
            return `shelved: ${book.title}`;
          },
        },
      },
    },
  ],
  cases: [
    {
      name: 'a field that requires another subgraph’s field, through composite keys',
      query: '{ shelf { id books { id title label } } }',
      data: {
        shelf: {
          id: 'shelf-1',
          books: [
            { id: 'b1', title: 'Dune', label: 'shelved: Dune' },
            { id: 'b2', title: 'Emma', label: 'shelved: Emma' },
          ],
        },
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// @requires with arguments: a field requires `price(currency: "USD")` of another subgraph; a
// field requires a list field with an argument, `comments(limit: 3) { authorId }`, which the
// query may also select with another argument.

interface Product {
  sku: string;
  name: string;
  price: number;
  weight: number;
  averagePrice: number;
}
const PRODUCTS: Product[] = [
  { sku: 'p1', name: 'kettle', price: 10, weight: 2, averagePrice: 9 },
  { sku: 'p2', name: 'lamp', price: 20, weight: 3, averagePrice: 15 },
];
const priceIn = (usd: number, currency: string) => {
  if (currency === 'USD') return usd;
  if (currency === 'EUR') return usd * 2;
  throw new Error(`Unsupported currency ${currency}`);
};
const product = (sku: string) => PRODUCTS.find((p) => p.sku === sku) ?? null;

/** Owns products, their prices in any currency, and (for the conflict shape) their category. */
const pricing = (withCategory: boolean): ShapeSubgraph => ({
  name: 'pricing',
  typeDefs: `${link('2.3', ['@key'])}
    type Query { products: [Product] }
    type Product @key(fields: "sku") {
      sku: String!
      name: String
      price(currency: String!): Int
      weight: Int
      ${withCategory ? 'category: Category' : ''}
    }
    ${withCategory ? 'type Category { averagePrice(currency: String!): Int }' : ''}`,
  resolvers: {
    Query: { products: () => PRODUCTS },
    Product: {
      __resolveReference: (ref: { sku: string }) => product(ref.sku),
      price: (p: Product, args: { currency: string }) => priceIn(p.price, args.currency),
      category: (p: Product) => ({ averagePrice: p.averagePrice }),
    },
    ...(withCategory
      ? {
          Category: {
            averagePrice: (c: { averagePrice: number }, args: { currency: string }) =>
              priceIn(c.averagePrice, args.currency),
          },
        }
      : {}),
  },
});

/** The value a required field was given, or an error saying it was not (a planner that forgot it fails loudly). */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`${what} was not provided`);
  return value;
}

interface Post {
  id: string;
  comments: { id: string; authorId: string; body: string }[];
}
const POSTS: Post[] = [
  {
    id: 'post-1',
    comments: [
      { id: 'c1', authorId: 'ann', body: 'first' },
      { id: 'c2', authorId: 'ben', body: 'second' },
      { id: 'c3', authorId: 'cat', body: 'third' },
      { id: 'c4', authorId: 'ann', body: 'fourth' },
    ],
  },
  {
    id: 'post-2',
    comments: [
      { id: 'c5', authorId: 'ben', body: 'fifth' },
      { id: 'c6', authorId: 'ben', body: 'sixth' },
      { id: 'c7', authorId: 'ann', body: 'seventh' },
    ],
  },
];
const comment = (id: string) => POSTS.flatMap((p) => p.comments).find((c) => c.id === id) ?? null;

const requiresWithArgument: FederationShape = {
  name: 'requires-with-argument',
  subgraphs: [
    pricing(false),
    {
      name: 'shipping',
      typeDefs: `${link('2.3', ['@key', '@external', '@requires'])}
        type Product @key(fields: "sku") {
          sku: String!
          weight: Int @external
          price(currency: String!): Int @external
          shippingCost: Int @requires(fields: """price(currency: "USD") weight""")
        }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: { sku: string; price?: number; weight?: number }) => ({ ...ref }),
          shippingCost: (p: { price?: number; weight?: number }) =>
            required(p.price, 'Product.price') * required(p.weight, 'Product.weight') * 10,
        },
      },
    },
    {
      // Owns posts and the comments' authors.
      name: 'forum',
      typeDefs: `${link('2.3', ['@key'])}
        type Query { feed: [Post] }
        type Post @key(fields: "id") { id: ID! }
        type Comment @key(fields: "id") { id: ID! authorId: ID body: String! }`,
      resolvers: {
        Query: { feed: () => POSTS.map((p) => ({ id: p.id })) },
        Post: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
        Comment: { __resolveReference: (ref: { id: string }) => comment(ref.id) },
      },
    },
    {
      // A post's author is the author of its third comment; comments are listed here, without their authors.
      name: 'threads',
      typeDefs: `${link('2.3', ['@key', '@external', '@requires'])}
        type Post @key(fields: "id") {
          id: ID!
          comments(limit: Int!): [Comment]
          author: Author @requires(fields: "comments(limit: 3) { authorId }")
        }
        type Comment @key(fields: "id") { id: ID! authorId: ID @external }
        type Author { id: ID! }`,
      resolvers: {
        Post: {
          __resolveReference: (ref: { id: string; comments?: { authorId: string }[] }) => {
            if (ref.comments && ref.comments.length !== 3)
              throw new Error(`Expected 3 comments, got ${ref.comments.length}`);
            return { id: ref.id, third: ref.comments?.[2]?.authorId };
          },
          comments: (post: { id: string }, args: { limit: number }) =>
            (POSTS.find((p) => p.id === post.id)?.comments ?? []).slice(0, args.limit).map((c) => ({ id: c.id })),
          author: (post: { third?: string }) => ({ id: required(post.third, 'Post.comments.authorId') }),
        },
        Comment: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
      },
    },
  ],
  cases: [
    {
      name: 'a field requiring a field with an argument',
      query: '{ products { sku name shippingCost } }',
      data: {
        products: [
          { sku: 'p1', name: 'kettle', shippingCost: 200 },
          { sku: 'p2', name: 'lamp', shippingCost: 600 },
        ],
      },
    },
    {
      name: 'a field requiring a list field with an argument',
      query: '{ feed { author { id } } }',
      data: { feed: [{ author: { id: 'cat' } }, { author: { id: 'ann' } }] },
    },
    {
      name: 'the required field selected by the query with another argument',
      query: '{ feed { author { id } comments(limit: 1) { id } } }',
      data: {
        feed: [
          { author: { id: 'cat' }, comments: [{ id: 'c1' }] },
          { author: { id: 'ann' }, comments: [{ id: 'c5' }] },
        ],
      },
    },
    {
      name: 'the same, with the argument in a variable and the field in two fragments',
      query:
        'query ($limit: Int = 2) { feed { author { id } ...A ...B } } fragment A on Post { comments(limit: $limit) { id } } fragment B on Post { comments(limit: $limit) { id body } }',
      data: {
        feed: [
          {
            author: { id: 'cat' },
            comments: [
              { id: 'c1', body: 'first' },
              { id: 'c2', body: 'second' },
            ],
          },
          {
            author: { id: 'ann' },
            comments: [
              { id: 'c5', body: 'fifth' },
              { id: 'c6', body: 'sixth' },
            ],
          },
        ],
      },
    },
  ],
};

const requiresWithArgumentConflict: FederationShape = {
  name: 'requires-with-argument-conflict',
  subgraphs: [
    pricing(true),
    {
      name: 'shipping',
      typeDefs: `${link('2.3', ['@key', '@external', '@requires'])}
        type Product @key(fields: "sku") {
          sku: String!
          weight: Int @external
          price(currency: String!): Int @external
          category: Category @external
          shippingCost: Int @requires(fields: """price(currency: "USD") weight""")
          shippingCostEUR: Int @requires(fields: """price(currency: "EUR") weight""")
          premium: Boolean @requires(fields: """category { averagePrice(currency: "USD") }""")
        }
        type Category @external { averagePrice(currency: String!): Int }`,
      resolvers: {
        Product: {
          __resolveReference: (ref: object) => ({ ...ref }),
          shippingCost: (p: { price?: number; weight?: number }) =>
            required(p.price, 'Product.price') * required(p.weight, 'Product.weight') * 10,
          shippingCostEUR: (p: { price?: number; weight?: number }) =>
            required(p.price, 'Product.price') * required(p.weight, 'Product.weight') * 10,
          premium: (p: { category?: { averagePrice?: number } }) =>
            required(p.category?.averagePrice, 'Product.category.averagePrice') > 12,
        },
      },
    },
  ],
  cases: [
    {
      name: 'one field required with two arguments by two fields',
      query: '{ products { sku name shippingCost shippingCostEUR premium } }',
      data: {
        products: [
          { sku: 'p1', name: 'kettle', shippingCost: 200, shippingCostEUR: 400, premium: false },
          { sku: 'p2', name: 'lamp', shippingCost: 600, shippingCostEUR: 1200, premium: true },
        ],
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// @interfaceObject: `media` owns the interface `Media` and its implementations; `stock` sees
// `Media` as one object type (@interfaceObject) and adds a field to every implementation, and
// has a root field of its own returning it. `bakery`/`labels`: an @interfaceObject whose key is
// not resolvable.

interface MediaItem {
  __typename: 'Song' | 'Film';
  id: string;
  title: string;
  seconds?: number;
  minutes?: number;
}
const MEDIA: MediaItem[] = [
  { __typename: 'Song', id: 'm1', title: 'Blue', seconds: 200 },
  { __typename: 'Film', id: 'm2', title: 'Heat', minutes: 170 },
  { __typename: 'Song', id: 'm3', title: 'Rain', seconds: 150 },
];
const mediaItem = (id: string) => MEDIA.find((m) => m.id === id) ?? null;
const STOCK: Record<string, number> = { m1: 4, m2: 0, m3: 1 };

const interfaceObject: FederationShape = {
  name: 'interface-object',
  subgraphs: [
    {
      name: 'media',
      typeDefs: `${link('2.3', ['@key'])}
        type Query { media: [Media!]! }
        interface Media @key(fields: "id") { id: ID! title: String! }
        type Song implements Media @key(fields: "id") { id: ID! title: String! seconds: Int }
        type Film implements Media @key(fields: "id") { id: ID! title: String! minutes: Int }`,
      resolvers: {
        Query: { media: () => MEDIA },
        Media: {
          __resolveType: (m: MediaItem) => m.__typename,
          // Asked by the interface's name (from an @interfaceObject), it answers the concrete type.
          __resolveReference: (ref: { id: string }) => mediaItem(ref.id),
        },
        Song: { __resolveReference: (ref: { id: string }) => mediaItem(ref.id) },
        Film: { __resolveReference: (ref: { id: string }) => mediaItem(ref.id) },
      },
    },
    {
      name: 'stock',
      typeDefs: `${link('2.3', ['@key', '@interfaceObject', '@external', '@requires'])}
        type Query { lowStock: [Media!]! }
        type Media @key(fields: "id") @interfaceObject {
          id: ID!
          stock: Int!
          title: String! @external
          shelfLabel: String! @requires(fields: "title")
        }`,
      resolvers: {
        Query: {
          lowStock: () =>
            Object.keys(STOCK)
              .filter((id) => STOCK[id]! < 2)
              .map((id) => ({ id, stock: STOCK[id] })),
        },
        Media: {
          __resolveReference: (ref: { __typename: string; id: string }) => {
            // An @interfaceObject is asked by its own name, never by an implementation's.
            if (ref.__typename !== 'Media') throw new Error(`asked for a ${ref.__typename}, not a Media`);
            return STOCK[ref.id] === undefined ? null : { ...ref, stock: STOCK[ref.id] };
          },
          shelfLabel: (m: { title?: string; stock: number }) => `${required(m.title, 'Media.title')} (${m.stock} left)`,
        },
      },
    },
  ],
  cases: [
    {
      name: 'a field of the @interfaceObject on the interface',
      query: '{ media { id title stock } }',
      data: {
        media: [
          { id: 'm1', title: 'Blue', stock: 4 },
          { id: 'm2', title: 'Heat', stock: 0 },
          { id: 'm3', title: 'Rain', stock: 1 },
        ],
      },
    },
    {
      name: 'a field of the @interfaceObject under an implementation',
      query: '{ media { ... on Song { title stock } ... on Film { minutes } } }',
      data: {
        media: [{ title: 'Blue', stock: 4 }, { minutes: 170 }, { title: 'Rain', stock: 1 }],
      },
    },
    {
      name: 'the @interfaceObject’s root field, with the real __typename and implementations’ fields',
      query: '{ lowStock { __typename id stock title ... on Song { seconds } ... on Film { minutes } } }',
      data: {
        lowStock: [
          { __typename: 'Film', id: 'm2', stock: 0, title: 'Heat', minutes: 170 },
          { __typename: 'Song', id: 'm3', stock: 1, title: 'Rain', seconds: 150 },
        ],
      },
    },
    {
      name: 'a field of the @interfaceObject that requires a field of the interface',
      query: '{ media { id shelfLabel } }',
      data: {
        media: [
          { id: 'm1', shelfLabel: 'Blue (4 left)' },
          { id: 'm2', shelfLabel: 'Heat (0 left)' },
          { id: 'm3', shelfLabel: 'Rain (1 left)' },
        ],
      },
    },
    {
      name: 'the same from the @interfaceObject’s root field',
      query: '{ lowStock { shelfLabel ... on Film { minutes } } }',
      data: { lowStock: [{ shelfLabel: 'Heat (0 left)', minutes: 170 }, { shelfLabel: 'Rain (1 left)' }] },
    },
    {
      name: 'the @interfaceObject’s root field, its own fields only',
      query: '{ lowStock { id stock } }',
      data: {
        lowStock: [
          { id: 'm2', stock: 0 },
          { id: 'm3', stock: 1 },
        ],
      },
    },
  ],
};

const nonResolvableInterfaceObject: FederationShape = {
  name: 'non-resolvable-interface-object',
  subgraphs: [
    {
      name: 'bakery',
      typeDefs: `${link('2.3', ['@key'])}
        type Query { product: Product }
        interface Product @key(fields: "id") { id: ID! }
        type Bread implements Product @key(fields: "id") { id: ID! }`,
      resolvers: {
        Query: { product: () => ({ __typename: 'Bread', id: 'p1' }) },
        Product: {
          __resolveType: (p: { __typename: string }) => p.__typename,
          __resolveReference: (ref: { id: string }) => ({ __typename: 'Bread', id: ref.id }),
        },
        Bread: { __resolveReference: (ref: { id: string }) => ({ __typename: 'Bread', id: ref.id }) },
      },
    },
    {
      // Sees products as one type and can hand them over by id, but cannot be asked for one.
      name: 'labels',
      typeDefs: `${link('2.3', ['@key', '@interfaceObject'])}
        type Query { featured: Product }
        type Product @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }`,
      resolvers: { Query: { featured: () => ({ id: 'p1' }) } },
    },
  ],
  cases: [
    {
      name: 'the @interfaceObject’s own root field, its key only',
      query: '{ featured { id } }',
      data: { featured: { id: 'p1' } },
    },
    {
      name: 'the interface’s owner alone, through a type condition',
      query: '{ product { ... on Bread { id } } }',
      data: { product: { id: 'p1' } },
    },
    {
      name: 'the real __typename of the @interfaceObject’s root field',
      query: '{ featured { __typename id } }',
      data: { featured: { __typename: 'Bread', id: 'p1' } },
    },
    {
      name: 'a type condition on an implementation under the @interfaceObject’s root field',
      query: '{ featured { ... on Bread { id } } }',
      data: { featured: { id: 'p1' } },
    },
  ],
};

// ---------------------------------------------------------------------------------------------
// @context/@fromContext: a line's amount is in its customer's currency, which the field takes
// from the nearest `Customer` above it; the currency lives in another subgraph.

interface Customer {
  id: string;
  currency: string;
  lines: { id: string; cents: number }[];
}
const CUSTOMERS: Customer[] = [
  {
    id: 'cu1',
    currency: 'EUR',
    lines: [
      { id: 'l1', cents: 1250 },
      { id: 'l2', cents: 300 },
    ],
  },
  { id: 'cu2', currency: 'USD', lines: [{ id: 'l3', cents: 999 }] },
  { id: 'cu3', currency: 'XXX', lines: [{ id: 'l4', cents: 100 }] },
];
const customer = (id: string) => CUSTOMERS.find((c) => c.id === id) ?? null;
const lineCents = (id: string) => CUSTOMERS.flatMap((c) => c.lines).find((l) => l.id === id)?.cents;

const fromContext: FederationShape = {
  name: 'from-context',
  subgraphs: [
    {
      name: 'orders',
      typeDefs: `${link('2.8', ['@key', '@context', '@fromContext', '@external'])}
        type Query { customers: [Customer!]! customer(id: ID!): Customer vipCustomers: [Customer!]! }
        type Customer @key(fields: "id") @context(name: "buyer") {
          id: ID!
          currency: String! @external
          basket: Basket!
        }
        type Basket { lines: [Line!]! }
        type Line @key(fields: "id") {
          id: ID!
          amount(currency: String @fromContext(field: "$buyer { currency }")): String
        }`,
      resolvers: {
        Query: {
          customers: () => CUSTOMERS.slice(0, 2).map((c) => ({ id: c.id })),
          vipCustomers: () => CUSTOMERS.slice(1).map((c) => ({ id: c.id })),
          customer: (_: unknown, args: { id: string }) => (customer(args.id) ? { id: args.id } : null),
        },
        Customer: {
          __resolveReference: (ref: { id: string }) => (customer(ref.id) ? { id: ref.id } : null),
          basket: (c: { id: string }) => ({ lines: customer(c.id)!.lines.map((l) => ({ id: l.id })) }),
        },
        Line: {
          __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
          amount: (line: { id: string }, args: { currency?: string }) => {
            const currency = required(args.currency, 'currency');
            if (currency === 'XXX') throw new Error(`No amounts in ${currency}`);
            return `${(required(lineCents(line.id), 'Line') / 100).toFixed(2)} ${currency}`;
          },
        },
      },
    },
    {
      name: 'profiles',
      typeDefs: `${link('2.8', ['@key', '@shareable'])}
        type Customer @key(fields: "id") { id: ID! currency: String! }`,
      resolvers: {
        Customer: {
          __resolveReference: (ref: { id: string }) => {
            const c = customer(ref.id);
            return c ? { id: c.id, currency: c.currency } : null;
          },
        },
      },
    },
  ],
  cases: [
    {
      name: 'one customer: the currency from the context',
      query: '{ customer(id: "cu1") { id basket { lines { id amount } } } }',
      data: {
        customer: {
          id: 'cu1',
          basket: {
            lines: [
              { id: 'l1', amount: '12.50 EUR' },
              { id: 'l2', amount: '3.00 EUR' },
            ],
          },
        },
      },
    },
    {
      name: 'customers with different currencies in one list',
      query: '{ customers { currency basket { lines { amount } } } }',
      data: {
        customers: [
          { currency: 'EUR', basket: { lines: [{ amount: '12.50 EUR' }, { amount: '3.00 EUR' }] } },
          { currency: 'USD', basket: { lines: [{ amount: '9.99 USD' }] } },
        ],
      },
    },
    {
      name: 'an error in the second context’s fetch is placed at its own entity',
      query: '{ vipCustomers { currency basket { lines { amount } } } }',
      data: {
        vipCustomers: [
          { currency: 'USD', basket: { lines: [{ amount: '9.99 USD' }] } },
          { currency: 'XXX', basket: { lines: [{ amount: null }] } },
        ],
      },
      errors: [{ message: 'No amounts in XXX', path: ['vipCustomers', 1, 'basket', 'lines', 0, 'amount'] }],
    },
  ],
};

export const FEDERATION_SHAPES: FederationShape[] = [
  keysMashup,
  requiresWithArgument,
  requiresWithArgumentConflict,
  interfaceObject,
  nonResolvableInterfaceObject,
  fromContext,
];
