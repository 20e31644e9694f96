// The operations the router's HTTP tests send (against test/support/fixture.ts) and the
// federation shapes (against test/support/shapes.ts), in one list: the parity test runs every
// one through the router's executor and through Apollo Gateway's and compares the answers.
// parity.http.test.ts checks that every query literal of router/test/*.http.test.ts valid on
// the fixture is here, so a new test's operation cannot be forgotten.

export interface CorpusOperation {
  query: string;
  variables?: Record<string, unknown>;
}

/** On the fixture (authorization directives), each sent anonymously, as alice and as bob. */
export const FIXTURE_OPERATIONS: CorpusOperation[] = [
  // authz.http.test.ts
  { query: '{ publicInfo me }' },
  { query: '{ info: publicInfo mine: me again: me products(first: 1) { id cost: price } }' },
  { query: '{ me }' },
  { query: '{ publicInfo secretNonNull }' },
  { query: '{ products(first: 2) { id name supplier { name } } }' },
  { query: '{ publicInfo me operatorNote }' },
  { query: '{ publicInfo }' },
  { query: '{ __typename }' },
  { query: 'query Mine { me }' },
  { query: '{ emails }' },
  { query: '{ publicInfo emails }' },
  { query: '{ adminNote }' },
  { query: '{ operatorNote }' },
  { query: '{ publicInfo operatorNote }' },
  { query: '{ products(first: 2) { id price reviews { body } rating } }' },
  { query: 'mutation { setNote(text: "x") }' },
  { query: '{ operatorNote products(first: 1) { reviews { body } } items { title } }' },
  {
    query:
      'query Q { ...Root products(first: 1) { id ... on Product { price } ...P } } fragment Root on Query { me publicInfo } fragment P on Product { name reviews { body } }',
  },
  { query: '{ items { id ... on Video { title } ... on Book { title } } }' },
  { query: '{ items { id title } }' },
  { query: '{ product(id: "1") { price supplier { id } } }' },
  {
    query: 'query ($id: ID!) { publicInfo product(id: $id) { supplier { name } } secret: me }',
    variables: { id: '1' },
  },
  { query: 'mutation ($text: String!) { setNote(text: $text) }', variables: { text: 'x' } },
  {
    query:
      'query ($withMe: Boolean!, $skipNote: Boolean = true) { publicInfo me @include(if: $withMe) ... @skip(if: $skipNote) { operatorNote } }',
    variables: { withMe: false },
  },
  {
    query:
      'query ($withMe: Boolean!, $skipNote: Boolean = true) { publicInfo me @include(if: $withMe) ... @skip(if: $skipNote) { operatorNote } }',
    variables: { withMe: true, skipNote: false },
  },
  { query: '{ __typename me __type(name: "Product") { name } }' },
  // failure.http.test.ts, forwarding.http.test.ts, metrics.http.test.ts, heimdall-identity.http.test.ts
  { query: '{ products(first: 2) { id name rating } }' },
  { query: '{ publicInfo slow }' },
  { query: '{ products(first: 1) { id rating } }' },
  { query: '{ publicInfo product(id: 1) { id name } }' },
  { query: '{ products(first: 2) { id reviews { body } } }' },
  {
    query:
      '{ p1: product(id: 1) { id name } p2: product(id: 2) { id name } p3: product(id: 3) { id name } p4: product(id: 4) { id name } }',
  },
  { query: '{ products(first: 2) { id rating } }' },
  { query: 'query Products { products(first: 2) { id rating } }' },
  { query: 'query Secret { publicInfo me }' },
  { query: '{ me operatorNote }' },
  { query: '{ nope }' },
  // protection.http.test.ts, reload.http.test.ts, workers.http.test.ts
  { query: '{ products { name } }' },
  { query: '{ a: publicInfo b: publicInfo }' },
  { query: '{ products { id name } }' },
  { query: 'query ($n: Int) { products(first: $n) { id } }', variables: { n: 5 } },
  { query: '{ __type(name: "Product") { name fields { name type { name kind ofType { name } } } } }' },
  { query: '{ __schema { queryType { name } } }' },
  { query: '{ product(id: 1) { supplier { name } } }' },
  { query: '{ publicInfo apq: publicInfo }' },
  { query: 'subscription { publicInfo }' },
  { query: '{ slow products(first: 1) { id rating } }' },
  { query: 'query Hello { publicInfo }' },
  // apollo-engine.http.test.ts
  { query: '{ publicInfo products(first: 1) { id rating } }' },
];

/** On the federation-shapes supergraph (no authorization directives), sent anonymously. */
export const SHAPE_OPERATIONS: CorpusOperation[] = [
  // entities across subgraphs, and lists of them
  { query: '{ me { id name orders { id total } } }' },
  { query: '{ users { id name orderCount orders { id total buyer { id name } } } }' },
  { query: '{ users(first: 5) { name emailDomain } }' },
  { query: '{ order(id: "o7") { id total buyer { name email orders { id } } } }' },
  // aliases, on root and entity fields
  { query: '{ a: user(id: "u1") { who: name n: orderCount } b: user(id: "u2") { who: name } }' },
  { query: '{ me { first: orders { id } second: orders { total } } }' },
  // variables: scalars, lists, input objects with defaults
  { query: 'query ($id: ID!) { user(id: $id) { id name orders { total } } }', variables: { id: 'u4' } },
  { query: 'query ($f: UserFilter) { users(first: 5, filter: $f) { name } }', variables: { f: { prefix: 'B' } } },
  { query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: ['u1', 'o1', 'x1'] } },
  { query: 'query ($n: Int = 2) { users(first: $n) { id } }' },
  { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: {} },
  { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: { id: 7 } },
  // interfaces and unions with fragments, across subgraphs
  {
    query:
      '{ node(id: "o1") { id ... on Organization { title revenue members { name orderCount } } ... on User { name } } }',
  },
  {
    query:
      'query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on User { name orders { id } } ... on Organization { revenue } } }',
    variables: { ids: ['u1', 'o1', 'z', 'o2'] },
  },
  {
    query:
      '{ search(term: "x") { __typename ... on User { id name orderCount } ... on Organization { id title revenue } } }',
  },
  {
    query:
      '{ search(term: "x") { ...S } } fragment S on SearchResult { ... on Node { id } ...U } fragment U on User { name emailDomain }',
  },
  { query: '{ search(term: "x") { ... on Organization { t: title } } }' },
  // @include / @skip, literal and with variables, on fields and fragments
  {
    query:
      'query ($with: Boolean!, $without: Boolean = false) { me { id name @include(if: $with) orders @skip(if: $without) { id } ... on User @include(if: $with) { orderCount } } }',
    variables: { with: true },
  },
  {
    query:
      'query ($with: Boolean!, $without: Boolean = false) { me { id name @include(if: $with) orders @skip(if: $without) { id } ... on User @include(if: $with) { orderCount } } }',
    variables: { with: false, without: true },
  },
  { query: '{ me { id orders @skip(if: true) { id } emailDomain @include(if: false) } }' },
  // nullability: a subgraph's null for a non-null field, at the root, in lists, in entities
  { query: '{ nullName { id name } me { id } }' },
  { query: '{ strictNullName { id name } me { id } }' },
  { query: '{ brokenUsers { id name } }' },
  { query: '{ user(id: "u2") { id name orders { id note } } me { id } }' },
  { query: '{ users(first: 2) { id orders { id note } } }' },
  // subgraph errors: a resolver that throws, nullable and non-null, in an entity fetch
  { query: '{ failing me { id } }' },
  { query: '{ failingNonNull me { id } }' },
  { query: '{ users(first: 4) { id orderCount } }' },
  // partial failures: a subgraph down, at the root and in entity fetches
  { query: '{ topReview me { id } }' },
  { query: '{ users(first: 2) { id name reviews } }' },
  { query: '{ me { name reviews orders { id } } }' },
  // @interfaceObject: fields of an interface from a subgraph that sees it as an object
  { query: '{ media { id title stock } }' },
  { query: '{ media { __typename ... on Book { pages stock } ... on Movie { minutes } } }' },
  // @defer: not in the API schema Apollo Gateway serves, refused by validation on both
  { query: '{ me { id ... @defer { name orders { id } } } }' },
  // mutations, __typename, introspection
  { query: 'mutation { rename(id: "u2", name: "Bea") { id name orders { id } } }' },
  { query: '{ __typename me { __typename id t: __typename } }' },
  { query: '{ __schema { types { name } } }' },
  // invalid operations
  { query: '{ me { nope } }' },
  { query: '{ me { id ' },
];
