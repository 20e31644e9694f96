import { Kind, buildSchema, parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  OperationDocument,
  checkLimits,
  costDirectivesOfSchema,
  measureOperation,
} from '../src/index.js';

function measure(schema: GraphQLSchema, query: string, variables?: Record<string, unknown>) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return measureOperation(
    new OperationDocument(schema, document, operation),
    10,
    variables,
    costDirectivesOfSchema(schema),
  );
}

/** The federation compatibility suite's `child-type-mismatch`: a union of User and Admin, nested three deep. */
const accounts = (abstract: string, implemented = 'Named') =>
  buildSchema(`
    ${abstract}
    type User implements ${implemented} { id: ID name: String similarAccounts: [Account!]! }
    type Admin implements ${implemented} { id: ID name: String similarAccounts: [Account!]! }
    interface Named { name: String }
    type Query { users: [User!]! accounts: [Account!]! }
  `);
const UNION = accounts('union Account = User | Admin');
const branches = (fields: string, inner: string) =>
  `... on User { ${fields} ${inner} } ... on Admin { ${fields} ${inner} }`;
const nested = (fields: string) =>
  `accounts { ${branches(fields, `similarAccounts { ${branches(fields, `similarAccounts { ${branches(fields, '')} }`)} }`)} }`;
const DEEPLY_NESTED_INTERNAL_ALIAS = `query DeeplyNestedInternalAlias { users { id name } ${nested('id name')} }`;
const DEEPLY_NESTED = `query DeeplyNested { ${nested('name')} }`;

describe('abstract types: the costliest branch, not the sum', () => {
  it('child-type-mismatch estimates the larger branch, under MAX_COST', () => {
    // Each level: the branch (its fields, then 10 × the level below); the sum counted both branches.
    // DeeplyNested: 10 × (1 + 1 + 10 × (1 + 1 + 10 × (1 + 1))) = 2,220 (it was 12,630).
    const deep = measure(UNION, DEEPLY_NESTED);
    expect(deep.cost).toBe(2_220);
    // With `users { id name }` (30) and two fields per branch: 30 + 10 × (1 + 2 + 10 × (1 + 2 + 10 × (1 + 2))) = 3,360 (was 21,080).
    const alias = measure(UNION, DEEPLY_NESTED_INTERNAL_ALIAS);
    expect(alias.cost).toBe(3_360);
    expect(Math.max(deep.cost, alias.cost)).toBeLessThan(DEFAULT_LIMITS.maxCost);
    expect(checkLimits(alias, DEFAULT_LIMITS)).toBeUndefined();
    // The document is measured as written: every selection of both branches counts.
    expect(deep.selections).toBe(1 + (2 + 2 * (2 + (2 + 2 * (2 + (2 + 2 * 1))))));
  });

  it('the same under an interface; fields on the interface itself are common to every type', () => {
    const schema = accounts('interface Account { id: ID similarAccounts: [Account!]! }', 'Account & Named');
    expect(measure(schema, `{ ${nested('name')} }`).cost).toBe(2_220);
    // 10 × (the list's 1 + id, common + the larger of User { name } (1) and Admin { name similarAccounts { id } } (1 + 10 × 2)).
    expect(
      measure(schema, '{ accounts { id ... on User { name } ... on Admin { name similarAccounts { id } } } }').cost,
    ).toBe(10 * (1 + 1 + (1 + 20)));
  });

  it('a fragment on an interface applies to every type that implements it', () => {
    // Named (User and Admin) adds 1 to both; User adds 2 more: User's branch (3) is the larger.
    expect(
      measure(UNION, '{ accounts { ... on Named { name } ... on User { id n: name } ... on Admin { id } } }').cost,
    ).toBe(10 * (1 + 3));
    // Spread twice on the interface, it adds twice to both.
    expect(
      measure(UNION, '{ accounts { ... on Named { name } ...N ... on Admin { id } } } fragment N on Named { name }')
        .cost,
    ).toBe(10 * (1 + 3));
  });

  it('fragments on the parent type itself, or without a type condition, are common', () => {
    expect(
      measure(
        UNION,
        '{ accounts { ... on Account { __typename ... on User { id } } ... { ... on Admin { id name } } } }',
      ).cost,
    ).toBe(10 * (1 + 2));
  });

  it('a fragment on an abstract type, spread on one of its types, counts what applies to that type', () => {
    const query =
      '{ users { ...A } } fragment A on Account { ... on User { id } ... on Admin { id name similarAccounts { id } } }';
    expect(measure(UNION, query).cost).toBe(10 * (1 + 1));
  });

  it('a named fragment of branches is measured once, wherever it is spread', () => {
    const fragments = `
      fragment L3 on Account { ... on User { name } ... on Admin { name } }
      fragment L2 on Account { ... on User { name similarAccounts { ...L3 } } ... on Admin { name similarAccounts { ...L3 } } }
      fragment L1 on Account { ... on User { name similarAccounts { ...L2 } } ... on Admin { name similarAccounts { ...L2 } } }`;
    const shape = measure(UNION, `{ accounts { ...L1 } } ${fragments}`);
    expect(shape.cost).toBe(2_220);
    // The operation's field and spread (2), L1's and L2's branches with their three selections
    // (2 × 8), L3's with one (4): each fragment once, though L2 is spread twice and L3 four times.
    expect(shape.visited).toBe(22);
  });
});

const DIRECTIVES = buildSchema(`
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
  scalar Money @cost(weight: 6)
  enum Level @cost(weight: 4) { LOW HIGH }
  type Report @cost(weight: 3) { id: ID }
  type Item { id: ID price: Money level: Level expensive: Int @cost(weight: 50) }
  type Page { things: [Item!]! edges: [Item!]! total: Int }
  type Query {
    items: [Item!]!
    few: [Item!]! @listSize(assumedSize: 2)
    huge: [Item!]! @listSize(assumedSize: 5000)
    report: Report
    search(text: String @cost(weight: 7), level: Level): [Item!]! @listSize(assumedSize: 1)
    sliced(take: Int, skip: Int, first: Int): [Item!]! @listSize(slicingArguments: ["take"], requireOneSlicingArgument: false)
    either(first: Int, last: Int): [Item!]! @listSize(slicingArguments: ["first", "last"])
    defaulted(take: Int = 4): [Item!]! @listSize(slicingArguments: ["take"])
    page(size: Int): Page @listSize(slicingArguments: ["size"], sizedFields: ["things"], requireOneSlicingArgument: false)
    assumedPage: Page @listSize(assumedSize: 3, sizedFields: ["things"])
    connection(first: Int): Page
  }
`);

describe('demand-control directives (@cost, @listSize)', () => {
  it('@listSize(assumedSize: 2) lowers and @listSize(assumedSize: 5000) raises the size of that list', () => {
    expect(measure(DIRECTIVES, '{ items { id } }').cost).toBe(10 * 2);
    expect(measure(DIRECTIVES, '{ few { id } }').cost).toBe(2 * 2);
    const huge = measure(DIRECTIVES, '{ huge { id price } }');
    expect(huge.cost).toBe(5000 * (1 + 1 + 6));
    expect(checkLimits(huge, DEFAULT_LIMITS)?.extensions.code).toBe('MAX_COST_EXCEEDED');
  });

  it("@cost(weight: 50) replaces the field's 1; types, scalars and enums weigh the fields returning them", () => {
    expect(measure(DIRECTIVES, '{ items { id } }').cost).toBe(20);
    expect(measure(DIRECTIVES, '{ items { id expensive } }').cost).toBe(10 * (1 + 1 + 50));
    expect(measure(DIRECTIVES, '{ items { price level } }').cost).toBe(10 * (1 + 6 + 4));
    expect(measure(DIRECTIVES, '{ report { id } }').cost).toBe(3 + 1);
  });

  it('arguments given add their weight (an argument of a weighted enum, that weight), once per field', () => {
    expect(measure(DIRECTIVES, '{ search { id } }').cost).toBe(2);
    expect(measure(DIRECTIVES, '{ search(text: "x") { id } }').cost).toBe(7 + 2);
    expect(measure(DIRECTIVES, '{ search(text: "x", level: HIGH) { id } }').cost).toBe(7 + 4 + 2);
    expect(measure(DIRECTIVES, '{ search(text: null) { id } }').cost).toBe(2);
  });

  it('slicingArguments name the size arguments instead of first/last/limit', () => {
    expect(measure(DIRECTIVES, '{ sliced(take: 3) { id } }').cost).toBe(3 * 2);
    // `first` is not a slicing argument of this field: the default size applies.
    expect(measure(DIRECTIVES, '{ sliced(first: 3) { id } }').cost).toBe(10 * 2);
    expect(measure(DIRECTIVES, '{ sliced(skip: 3) { id } }').cost).toBe(10 * 2);
    // From a variable: estimated again with each request's.
    const query = 'query($n: Int) { sliced(take: $n) { id } }';
    expect(measure(DIRECTIVES, query).costDependsOnVariables).toBe(true);
    expect(measure(DIRECTIVES, query, { n: 40 }).cost).toBe(40 * 2);
    // The schema's default counts as given.
    expect(measure(DIRECTIVES, '{ defaulted { id } }').cost).toBe(4 * 2);
  });

  it('requireOneSlicingArgument: exactly one slicing argument, else the shape names the field', () => {
    expect(measure(DIRECTIVES, '{ either(first: 5) { id } }').slicingViolation).toBeUndefined();
    expect(measure(DIRECTIVES, '{ either { id } }').slicingViolation).toEqual({
      field: 'Query.either',
      slicingArguments: ['first', 'last'],
      given: 0,
    });
    const both = measure(DIRECTIVES, '{ either(first: 5, last: 7) { id } }');
    expect(both.slicingViolation?.given).toBe(2);
    // Two given: the larger counts.
    expect(both.cost).toBe(7 * 2);
    expect(checkLimits(both, DEFAULT_LIMITS)?.extensions.code).toBe('BAD_USER_INPUT');
    // From variables: unknown until the request's variables are.
    const query = 'query($f: Int, $l: Int) { either(first: $f, last: $l) { id } }';
    expect(measure(DIRECTIVES, query).slicingViolation).toBeUndefined();
    expect(measure(DIRECTIVES, query, { f: 5 }).slicingViolation).toBeUndefined();
    expect(measure(DIRECTIVES, query, {}).slicingViolation?.given).toBe(0);
    // Not required: none given is fine.
    expect(measure(DIRECTIVES, '{ sliced { id } }').slicingViolation).toBeUndefined();
  });

  it('sizedFields name the lists a connection sizes instead of edges/nodes/items', () => {
    expect(measure(DIRECTIVES, '{ page(size: 4) { things { id } edges { id } } }').cost).toBe(1 + 4 * 2 + 10 * 2);
    expect(measure(DIRECTIVES, '{ assumedPage { things { id } } }').cost).toBe(1 + 3 * 2);
    // Without the directive, a connection's `first` sizes its edges/nodes/items.
    expect(measure(DIRECTIVES, '{ connection(first: 4) { things { id } edges { id } } }').cost).toBe(
      1 + 10 * 2 + 4 * 2,
    );
  });

  it('a schema without the directives costs as before', () => {
    const plain = buildSchema('type Item { id: ID expensive: Int } type Query { huge: [Item!]! }');
    expect(measure(plain, '{ huge { id expensive } }').cost).toBe(10 * 3);
  });
});
