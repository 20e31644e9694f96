// The router's response shaper must answer exactly as @apollo/gateway's computeResponse does:
// each case runs through both and compares data and errors.
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { OperationDocument } from '@dataos/operation-walker';
import { composeSupergraph } from '@dataos/testkit';
import { apolloComputeResponse } from '../src/apollo/result-shaping.js';
import { compileShaper, shapeResponse } from '../src/execution/shape.js';

// Apollo Gateway's own shaping, reached through the adapter (it is not public API).
const computeResponse = await apolloComputeResponse();

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  scalar JSON
  enum Color { RED GREEN }
  interface Node { id: ID! }
  type Query {
    node(id: ID!): Node
    nodes: [Node!]!
    maybeNodes: [Node]
    search: [Result!]
    count: Int
    ratio: Float
    flag: Boolean!
    color: Color
    json: JSON
    user: User
  }
  union Result = User | Post
  type User implements Node @key(fields: "id") { id: ID! name: String! color: Color friends: [User!] }
  type Post implements Node @key(fields: "id") { id: ID! title: String tags: [String!]! }`;

const supergraph = Supergraph.build(composeSupergraph([{ name: 'one', url: 'http://one', typeDefs: SDL }]));
const apiSchema = supergraph.apiSchema();
const graphqlSchema = apiSchema.toGraphQLJSSchema();

function both(query: string, input: Record<string, unknown>, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const clone = () => JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  const theirs = computeResponse({
    operation: operationFromDocument(apiSchema, document),
    variables,
    input: clone(),
    introspectionHandling: () => null,
  });
  const ours = shapeResponse(
    compileShaper(new OperationDocument(graphqlSchema, document, operation)),
    clone(),
    variables,
  );
  const plain = (r: { data: unknown; errors: { message: string; path?: readonly (string | number)[] }[] }) =>
    JSON.parse(
      JSON.stringify({ data: r.data, errors: r.errors.map((e) => ({ message: e.message, path: e.path })) }),
    ) as unknown;
  return { ours: plain(ours), theirs: plain(theirs as never) };
}

const CASES: [string, string, Record<string, unknown>, Record<string, unknown>?][] = [
  [
    'only what was asked, under aliases',
    '{ u: user { n: name id } count }',
    { user: { __typename: 'User', id: '1', name: 'a', extra: 1 }, count: 3, other: true },
  ],
  [
    'missing non-null fields bubble up',
    '{ user { id name } count }',
    { user: { __typename: 'User', id: '1' }, count: 1 },
  ],
  ['a missing non-null root field nulls data', '{ flag count }', { count: 1 }],
  [
    'invalid leaf values become null with an error',
    '{ count ratio color flag }',
    { count: 1.5, ratio: 'x', color: 'BLUE', flag: 'yes' },
  ],
  ['custom scalars take anything', '{ json }', { json: { any: ['thing'] } }],
  [
    '__typename: from the data, aliased, or from the type',
    '{ __typename t: __typename user { __typename k: __typename id name } }',
    { user: { __typename: 'User', id: '1', name: 'a' } },
  ],
  [
    'fragments on interfaces and unions by __typename',
    '{ nodes { id ... on User { name } ... on Post { title } } search { ... on User { id } ... on Post { title tags } } }',
    {
      nodes: [
        { __typename: 'User', id: '1', name: 'a' },
        { __typename: 'Post', id: '2', title: 't' },
      ],
      search: [
        { __typename: 'Post', title: 'p', tags: ['x'] },
        { __typename: 'User', id: '3' },
      ],
    },
  ],
  [
    'named fragments',
    'query { node(id: 1) { ...N } } fragment N on Node { id ... on User { ...U } } fragment U on User { name friends { id } }',
    {
      node: { __typename: 'User', id: '1', name: 'a', friends: [{ __typename: 'User', id: '2' }] },
    },
  ],
  [
    'null items in a non-null list null the list',
    '{ nodes { id } maybeNodes { id } }',
    { nodes: [{ __typename: 'User', id: '1' }, null], maybeNodes: [null, { __typename: 'User', id: '2' }] },
  ],
  ['an unknown __typename', '{ node(id: 1) { id } }', { node: { __typename: 'Nope', id: '1' } }],
  [
    '@skip and @include with variables and defaults',
    'query ($a: Boolean!, $b: Boolean = true) { count @skip(if: $a) ratio @include(if: $b) color @include(if: false) }',
    { count: 1, ratio: 2, color: 'RED' },
    { a: false },
  ],
  [
    'the same field twice merges',
    '{ user { id } user { name friends { id } } count }',
    { user: { __typename: 'User', id: '1', name: 'a', friends: [] }, count: 2 },
  ],
  ['nulls from subgraphs stay null', '{ user { id name color } }', { user: null }],
  ['a whole missing subtree', '{ user { id name } color }', { color: 'GREEN' }],
];

describe('response shaping matches @apollo/gateway', () => {
  it.each(CASES)('%s', (_name, query, input, variables) => {
    const { ours, theirs } = both(query, input, variables);
    expect(ours).toEqual(theirs);
  });
});

describe('compiling a shaper', () => {
  it('compiles a fragment spread in many places once: a doubling chain gives one compiled set per fragment', () => {
    let query = 'fragment F0 on User { id name }\n';
    for (let i = 1; i <= 12; i++) query += `fragment F${i} on User { ...F${i - 1} ...F${i - 1} }\n`;
    const document = parse(`${query} query { user { ...F12 } }`);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    const shaper = compileShaper(new OperationDocument(graphqlSchema, document, operation));
    const sets = new Set<unknown>();
    type Set_ = { selections: readonly object[] };
    const visit = (set: Set_) => {
      if (sets.has(set)) return;
      sets.add(set);
      for (const s of set.selections) if ('sub' in s && s.sub) visit(s.sub as Set_);
    };
    visit(shaper.root);
    // The root, user's own set, and F0..F12's: not the 4,096 copies an expansion makes.
    expect(sets.size).toBe(15);
    expect(shapeResponse(shaper, { user: { id: '1', name: 'a' } }, {}).data).toEqual({ user: { id: '1', name: 'a' } });
  });
});
