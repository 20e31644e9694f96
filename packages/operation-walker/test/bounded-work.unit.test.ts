import { Kind, buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, OperationDocument, checkLimits, measureOperation } from '../src/index.js';

const schema = buildSchema(`
  type Query { items(first: Int): [Item!]! item: Item name: String }
  type Item { id: ID! name: String items: [Item!]! }
`);

function walked(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return new OperationDocument(schema, document, operation);
}

function chain(levels: number, leaf: string, type = 'Query') {
  let doc = `fragment F0 on ${type} { ${leaf} }\n`;
  for (let i = 1; i <= levels; i++) doc += `fragment F${i} on ${type} { ...F${i - 1} ...F${i - 1} }\n`;
  return `${doc}query { ...F${levels} }`;
}

describe('the measure walks the document, not its expansion', () => {
  it.each([20, 30, 64])(
    'a chain of %i doubling fragments: visits a few selections per fragment, counts the expansion',
    (levels) => {
      const shape = measureOperation(walked(chain(levels, '__typename')), 10);
      // Each fragment's two spreads and the leaf, once: linear in the document.
      expect(shape.visited).toBeLessThanOrEqual(2 * levels + 2);
      expect(shape.selections).toBeGreaterThan(2 ** levels);
      expect(checkLimits(shape, DEFAULT_LIMITS)?.extensions.code).toBe('MAX_SELECTIONS_EXCEEDED');
    },
  );

  it('counts selections exactly where the expansion is small', () => {
    // F0 = 1 field; F1 = 2 spreads + 2; F2 = 2 spreads + 2 * 4: the operation adds its spread.
    expect(measureOperation(walked(chain(2, 'name')), 10).selections).toBe(1 + 2 + 2 * (2 + 2 * 1));
    expect(measureOperation(walked('{ items { id name } item { id } }'), 10).selections).toBe(5);
  });

  it('fragments nested in fields under lists are measured once per page size, and their cost multiplies', () => {
    const fragments = chain(12, 'id name', 'Item').replace(/query \{ \.\.\.F12 \}$/, '');
    const shape = measureOperation(walked(`${fragments} query { items(first: 2) { ...F12 } }`), 10);
    expect(shape.visited).toBeLessThan(60);
    // 4,096 copies of `id name` under a list of 2.
    expect(shape.cost).toBe((1 + 2 * 4096) * 2);
  });

  it('branches of a union, doubled by a fragment chain, are measured once per fragment and keep their costliest type', () => {
    const union = buildSchema(`
      union Account = User | Admin
      type User { id: ID name: String }
      type Admin { id: ID name: String }
      type Query { accounts: [Account!]! }
    `);
    let fragments = 'fragment F0 on Account { ... on User { name } ... on Admin { id name } }\n';
    for (let i = 1; i <= 30; i++) fragments += `fragment F${i} on Account { ...F${i - 1} ...F${i - 1} }\n`;
    const document = parse(`${fragments} query { accounts { ...F30 } }`);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    const shape = measureOperation(new OperationDocument(union, document, operation), 10);
    expect(shape.visited).toBeLessThanOrEqual(2 * 30 + 8);
    // 2^30 copies of each branch: Admin's (2 fields) is the costlier.
    expect(shape.cost).toBe(10 * (1 + 2 ** 30 * 2));
    expect(checkLimits(shape, DEFAULT_LIMITS)?.extensions.code).toBe('MAX_SELECTIONS_EXCEEDED');
  });

  it('a cycle (refused by validation) ends the walk instead of looping', () => {
    const shape = measureOperation(
      walked('query { ...A } fragment A on Query { name ...B } fragment B on Query { ...A }'),
      10,
    );
    expect(shape.visited).toBeLessThan(10);
  });

  it('resolves each selection set once per parent type', () => {
    const doc = walked(chain(8, 'name'));
    const set = doc.operation.selectionSet;
    expect(doc.steps(set, schema.getQueryType()!)).toBe(doc.steps(set, schema.getQueryType()!));
  });
});
