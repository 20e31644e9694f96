// The start-up check of what the router's executor reads of Apollo Gateway, on stand-ins for
// Apollo Gateway versions: it must name what a version lacks, not let the router guess.
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { missingInternals } from '../src/apollo/internals.js';

const schema = () =>
  new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { a: { type: GraphQLString } } }) });

/** What @apollo/gateway 2.14 holds once loaded, in shape. */
function complete(loaded = schema()): Record<string, unknown> {
  return {
    schema: loaded,
    apiSchema: { toGraphQLJSSchema: () => loaded },
    supergraphSchema: schema(),
    queryPlanner: { buildQueryPlan: () => ({ kind: 'QueryPlan' }) },
    serviceMap: {
      catalog: { dataSource: { process: async () => ({}) } },
      reviews: { dataSource: { process: async () => ({}) } },
    },
  };
}

describe('missingInternals', () => {
  it('finds nothing missing in what the pinned version holds', () => {
    const loaded = schema();
    expect(missingInternals(complete(loaded), loaded)).toEqual([]);
  });

  it.each([
    ['schema', 'schema (a GraphQLSchema)'],
    ['apiSchema', 'apiSchema (a federation Schema)'],
    ['supergraphSchema', 'supergraphSchema (a GraphQLSchema)'],
    ['queryPlanner', 'queryPlanner.buildQueryPlan (a function)'],
    ['serviceMap', 'serviceMap (subgraph name to { dataSource })'],
  ])('names a missing %s', (field, named) => {
    const candidate = complete();
    delete candidate[field];
    expect(missingInternals(candidate)).toEqual([named]);
  });

  it('names a renamed planner method, a data source without process(), an empty service map', () => {
    expect(missingInternals({ ...complete(), queryPlanner: { plan: () => undefined } })).toEqual([
      'queryPlanner.buildQueryPlan (a function)',
    ]);
    expect(
      missingInternals({ ...complete(), serviceMap: { catalog: { source: {} }, reviews: { dataSource: {} } } }),
    ).toEqual(['serviceMap.catalog.dataSource (with process())', 'serviceMap.reviews.dataSource (with process())']);
    expect(missingInternals({ ...complete(), serviceMap: {} })).toEqual(['serviceMap entries (none after load)']);
  });

  it('names a schema that is not the one load() gave Apollo Server, and fields of the wrong kind', () => {
    expect(missingInternals(complete(), schema())).toEqual(['schema (the one load() returned)']);
    expect(missingInternals({ ...complete(), supergraphSchema: 'type Query { a: String }', apiSchema: {} })).toEqual([
      'apiSchema (a federation Schema)',
      'supergraphSchema (a GraphQLSchema)',
    ]);
    expect(missingInternals(undefined)).toEqual(['the Apollo Gateway itself (not an object)']);
  });
});
