import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costDirectivesAreEmpty, costDirectivesOf, costDirectivesOfSchema } from '../src/index.js';

// As `@apollo/composition` 2.14 writes them: the cost spec linked, `@cost` under its own name.
const SUPERGRAPH = `
  schema
    @link(url: "https://specs.apollo.dev/link/v1.0")
    @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
    @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])
  { query: Query }
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  enum Level @cost(weight: 4) { A B }
  scalar Money @cost(weight: 6)
  type Query {
    accounts(first: Int, limit: Int): [User!]! @listSize(slicingArguments: ["first", "limit"], requireOneSlicingArgument: false) @cost(weight: 3)
    conn(size: Int): Conn @listSize(slicingArguments: ["size"], sizedFields: ["things"])
    search(filter: Int @cost(weight: 7)): String
  }
  type Conn { things: [User!]! }
  type User @cost(weight: 2) { id: ID! friends: [User!]! @listSize(assumedSize: 3) }
`;

describe('reading @cost and @listSize from SDL', () => {
  it('a composed supergraph: weights of fields, types, scalars, enums, arguments; list sizes', () => {
    const c = costDirectivesOf(SUPERGRAPH);
    expect(c.fields.get('Query.accounts')).toBe(3);
    expect(Object.fromEntries(c.types)).toEqual({ Level: 4, Money: 6, User: 2 });
    expect(c.arguments.get('Query.search(filter:)')).toBe(7);
    expect(c.listSizes.get('User.friends')).toEqual({ assumedSize: 3, requireOneSlicingArgument: true });
    expect(c.listSizes.get('Query.accounts')).toEqual({
      slicingArguments: ['first', 'limit'],
      requireOneSlicingArgument: false,
    });
    expect(c.listSizes.get('Query.conn')?.sizedFields).toEqual(new Set(['things']));
  });

  it('names given by @link: renamed imports, the spec prefix, the federation spec in a subgraph', () => {
    const renamed = costDirectivesOf(`
      schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: [{ name: "@cost", as: "@weight" }, { name: "@listSize", as: "@size" }]) { query: Query }
      type Query { big: [Int] @size(assumedSize: 5000) @weight(weight: 3) other: Int @cost(weight: 9) }`);
    expect(renamed.listSizes.get('Query.big')?.assumedSize).toBe(5000);
    expect(renamed.fields.get('Query.big')).toBe(3);
    // `@cost` is not a name of the spec in that document.
    expect(renamed.fields.has('Query.other')).toBe(false);
    const prefixed = costDirectivesOf(`
      schema @link(url: "https://specs.apollo.dev/cost/v0.1") { query: Query }
      type Query { big: [Int] @cost__listSize(assumedSize: 7) @cost(weight: 2) }`);
    expect(prefixed.listSizes.get('Query.big')?.assumedSize).toBe(7);
    expect(prefixed.fields.get('Query.big')).toBe(2);
    const subgraph = costDirectivesOf(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
      type Query { big: [Int] @listSize(assumedSize: 8) @federation__cost(weight: 5) }`);
    expect(subgraph.listSizes.get('Query.big')?.assumedSize).toBe(8);
    expect(subgraph.fields.get('Query.big')).toBe(5);
  });

  it('IBM weights are strings; negative weights count as nothing', () => {
    const c = costDirectivesOfSchema(
      buildSchema(`
        directive @cost(weight: String!) on FIELD_DEFINITION | OBJECT
        type Query { a: Int @cost(weight: "2.5") b: Int @cost(weight: "-4") }`),
    );
    expect(c.fields.get('Query.a')).toBe(2.5);
    expect(c.fields.get('Query.b')).toBe(0);
  });

  it('a schema without them has an empty index', () => {
    expect(costDirectivesAreEmpty(costDirectivesOf('type Query { a: Int }'))).toBe(true);
    expect(costDirectivesAreEmpty(costDirectivesOfSchema(buildSchema('type Query { a: Int }')))).toBe(true);
  });
});
