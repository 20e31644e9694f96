import type { GraphQLDataSource } from '@apollo/gateway';
import { isSchema, type GraphQLSchema } from 'graphql';
import type { QueryPlan } from '../execution/plan-types.js';

/**
 * What the router's executor reads of an `ApolloGateway`: its public `schema` and four private
 * fields of `@apollo/gateway` 2.14 (pinned). Nothing outside `src/apollo/` names them.
 */
export interface ApolloInternals {
  /** The API schema Apollo Server validates against (public). */
  schema: GraphQLSchema;
  /** The same API schema as `@apollo/federation-internals` models it, for `operationFromDocument`. */
  apiSchema: unknown;
  supergraphSchema: GraphQLSchema;
  queryPlanner: { buildQueryPlan(operation: unknown, options?: Record<string, boolean>): QueryPlan };
  serviceMap: Record<string, { dataSource: GraphQLDataSource } | undefined>;
  /** The supergraph the planner plans on (private too): Hive's planner is built from it. Optional: without it only Apollo's planner plans. */
  supergraphSdl?: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * What `candidate` (an `ApolloGateway` after `load()`) lacks of what the router's executor reads,
 * one line each; empty when all of it is there with the expected shape. `loadedSchema` is the
 * schema `load()` gave Apollo Server: the executor runs only requests on that very object, so
 * a version that keeps another one would silently send everything to Apollo Gateway.
 */
export function missingInternals(candidate: unknown, loadedSchema?: GraphQLSchema): string[] {
  if (!isObject(candidate)) return ['the Apollo Gateway itself (not an object)'];
  const missing: string[] = [];
  const { schema, apiSchema, supergraphSchema, queryPlanner, serviceMap } = candidate;
  if (!isSchema(schema)) missing.push('schema (a GraphQLSchema)');
  else if (loadedSchema && schema !== loadedSchema) missing.push('schema (the one load() returned)');
  if (!isObject(apiSchema) || typeof apiSchema.toGraphQLJSSchema !== 'function')
    missing.push('apiSchema (a federation Schema)');
  if (!isSchema(supergraphSchema)) missing.push('supergraphSchema (a GraphQLSchema)');
  if (!isObject(queryPlanner) || typeof queryPlanner.buildQueryPlan !== 'function')
    missing.push('queryPlanner.buildQueryPlan (a function)');
  if (!isObject(serviceMap)) {
    missing.push('serviceMap (subgraph name to { dataSource })');
  } else {
    const entries = Object.entries(serviceMap);
    if (entries.length === 0) missing.push('serviceMap entries (none after load)');
    for (const [name, entry] of entries) {
      if (!isObject(entry) || !isObject(entry.dataSource) || typeof entry.dataSource.process !== 'function') {
        missing.push(`serviceMap.${name}.dataSource (with process())`);
      }
    }
  }
  return missing;
}
