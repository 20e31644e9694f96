import { Kind, buildSchema, getIntrospectionQuery, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  OperationDocument,
  checkLimits,
  measureOperation,
  type OperationLimits,
} from '../src/index.js';

const schema = buildSchema(`
  type Query {
    user(id: ID!): User
    users(first: Int = 5): [User!]!
    search(limit: Int): [User]
    all: [User]
    name: String
    datasets(first: Int, after: String): DatasetConnection!
    pages(first: Int = 2, last: Int): DatasetConnection!
  }
  type DatasetConnection { edges: [DatasetEdge!]! nodes: [Dataset!]! totalCount: Int! }
  type DatasetEdge { cursor: String! node: Dataset! }
  type Dataset { urn: ID! columns(first: Int): [String!]! }
  type User { id: ID! name: String friends(first: Int): [User!]! tags: [String!]! best: User }
`);

function measure(query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return measureOperation(new OperationDocument(schema, document, operation), 10, variables);
}

const limits: OperationLimits = {
  ...DEFAULT_LIMITS,
  maxDepth: 3,
  maxAliases: 2,
  maxRootFields: 2,
  maxCost: 100,
  defaultListSize: 10,
  maxIntrospectionDepth: 0,
};

describe('measuring an operation', () => {
  it('depth: nesting of fields, through fragments', () => {
    expect(measure('{ name }').depth).toBe(1);
    expect(measure('{ user(id: 1) { best { best { name } } } }').depth).toBe(4);
    expect(measure('{ user(id: 1) { ...F } } fragment F on User { best { ... on User { name } } }').depth).toBe(3);
  });

  it('aliases and root fields, through fragments, counted where spread', () => {
    const shape = measure('{ a: name ...R ...R } fragment R on Query { b: name user(id: 1) { c: name } }');
    expect(shape.aliases).toBe(5);
    expect(shape.rootFields).toBe(3);
  });

  it('cost: each field 1 plus its selections, lists times first/last/limit, their default, or 10', () => {
    expect(measure('{ name }').cost).toBe(1);
    expect(measure('{ user(id: 1) { id name } }').cost).toBe(3);
    expect(measure('{ users { id } }').cost).toBe((1 + 1) * 5); // argument default
    expect(measure('{ users(first: 50) { id } }').cost).toBe(100);
    expect(measure('{ all { id } }').cost).toBe(20); // no size argument: 10
    expect(measure('{ search(limit: 3) { id } }').cost).toBe(6);
    // Lists in lists multiply: users(2) x friends(3) x tags(10)
    expect(measure('{ users(first: 2) { friends(first: 3) { tags } } }').cost).toBe(2 * (1 + 3 * (1 + 10)));
    // The example of router/README.md.
    expect(measure('{ users(first: 2) { name friends(first: 3) { tags } } }').cost).toBe(70);
  });

  it('cost with sizes from variables, taken per request', () => {
    const query = 'query ($n: Int = 4) { users(first: $n) { id } }';
    const shape = measure(query);
    expect(shape.costDependsOnVariables).toBe(true);
    expect(shape.cost).toBe(8);
    expect(measure(query, { n: 40 }).cost).toBe(80);
    expect(measure(query, {}).cost).toBe(8);
  });

  it('does not count __typename cost, nor introspection cost or depth', () => {
    expect(measure('{ __typename name }').cost).toBe(1);
    const introspection = measure(
      '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }',
    );
    expect(introspection).toMatchObject({
      depth: 1,
      cost: 0,
      rootFields: 1,
      introspectionDepth: 8,
      introspectionLists: 2,
    });
  });

  it('counts introspection toward aliases and root fields', () => {
    const copies = Array.from({ length: 5 }, (_, i) => `a${i}: __schema { t${i}: types { name } }`).join(' ');
    expect(measure(`{ ${copies} }`)).toMatchObject({ aliases: 10, rootFields: 5, cost: 0 });
    expect(measure('{ __type(name: "User") { name } name }').rootFields).toBe(2);
    expect(measure('{ user(id: 1) { __typename } }').rootFields).toBe(1);
  });

  it('measures introspection depth and nested lists, through fragments', () => {
    const standard = measure(getIntrospectionQuery());
    expect(standard.introspectionLists).toBe(3);
    expect(standard.introspectionDepth).toBe(15);
    const nested = measure(
      '{ __type(name: "User") { ...T } } fragment T on __Type { fields { type { fields { type { fields { name } } } } } }',
    );
    expect(nested).toMatchObject({ introspectionDepth: 7, introspectionLists: 3 });
  });

  it('cost of a connection: its first/last/limit sizes its edges and nodes', () => {
    // datasets(first: 100) x edges (1 + node (1 + urn 1)) + 1 for datasets itself.
    expect(measure('{ datasets(first: 100) { edges { node { urn } } } }').cost).toBe(1 + 100 * (1 + 1 + 1));
    expect(measure('{ datasets(first: 100000) { edges { node { urn } } } }').cost).toBe(1 + 100000 * 3);
    expect(measure('{ datasets(first: 7) { totalCount nodes { urn } } }').cost).toBe(1 + 1 + 7 * 2);
    // Without a size, the default size; through fragments and variables too.
    expect(measure('{ datasets { edges { cursor } } }').cost).toBe(1 + 10 * 2);
    expect(measure('{ datasets(first: 50) { ...E } } fragment E on DatasetConnection { edges { cursor } }').cost).toBe(
      1 + 50 * 2,
    );
    expect(measure('query ($n: Int) { datasets(first: $n) { nodes { urn } } }', { n: 500 }).cost).toBe(1 + 500 * 2);
    // A list inside a node has its own size.
    expect(measure('{ datasets(first: 10) { nodes { columns(first: 4) } } }').cost).toBe(1 + 10 * (1 + 4));
  });

  it('takes the size the client sent before the schema default of another size argument', () => {
    expect(measure('{ pages { nodes { urn } } }').cost).toBe(1 + 2 * 2); // first's default
    expect(measure('{ pages(last: 1000) { nodes { urn } } }').cost).toBe(1 + 1000 * 2);
  });
});

describe('checking the limits', () => {
  const code = (query: string, variables?: Record<string, unknown>) => {
    const shape = measure(query, variables);
    return checkLimits(shape, limits)?.extensions.code;
  };

  it('lets an operation within every limit through', () => {
    expect(code('{ user(id: 1) { best { name } } }')).toBeUndefined();
  });

  it('names the limit broken, with a 400', () => {
    expect(code('{ user(id: 1) { best { best { name } } } }')).toBe('MAX_DEPTH_EXCEEDED');
    expect(code('{ a: name b: name c: name }')).toBe('MAX_ALIASES_EXCEEDED');
    expect(code('{ name user(id: 1) { id } all { id } }')).toBe('MAX_ROOT_FIELDS_EXCEEDED');
    expect(code('{ users(first: 60) { id } }')).toBe('MAX_COST_EXCEEDED');
    expect(
      code('{ a: __schema { types { name } } b: __schema { types { name } } c: __schema { types { name } } }'),
    ).toBe('MAX_ALIASES_EXCEEDED');
    expect(code('{ __schema { types { name } } __type(name: "User") { name } name }')).toBe('MAX_ROOT_FIELDS_EXCEEDED');
    expect(code('{ datasets(first: 1000) { nodes { urn } } }')).toBe('MAX_COST_EXCEEDED');
    expect(checkLimits(measure('{ a: name b: name c: name }'), limits)?.extensions.http).toEqual({ status: 400 });
  });

  it('bounds introspection depth and nested lists', () => {
    const deep = measure('{ __type(name: "User") { ofType { ofType { ofType { ofType { name } } } } } }');
    expect(checkLimits(deep, { ...limits, maxIntrospectionDepth: 6 })).toBeUndefined();
    expect(checkLimits(deep, { ...limits, maxIntrospectionDepth: 5 })?.extensions).toMatchObject({
      code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED',
      limit: 5,
      actual: 6,
    });
    const lists = measure('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(checkLimits(lists, { ...limits, maxIntrospectionDepth: 0 })?.extensions).toMatchObject({
      code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED',
      actual: 4,
    });
    expect(checkLimits(measure(getIntrospectionQuery()), { ...limits, maxIntrospectionDepth: 20 })).toBeUndefined();
  });

  it('treats 0 as no limit', () => {
    const shape = measure('{ a: name b: name c: name }');
    expect(checkLimits(shape, { ...limits, maxAliases: 0, maxRootFields: 0 })).toBeUndefined();
  });
});
