import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { AuthzAnalysis } from './authz/analyze.js';
import type { FilteredOperation } from './authz/filter.js';
import type { ExecutionTarget } from './execution/executor.js';
import { Lru } from './lru.js';
import type { OperationShape } from './protection/limits.js';

/**
 * Everything the router works out once per document and reuses for every request that sends
 * it: its shape against the limits, its authorization analysis, and its filtered versions.
 */
export interface PreparedOperation extends ExecutionTarget {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  shape: OperationShape;
  authz?: AuthzAnalysis;
  /** Filtered documents by denied-requirements key (a handful per document at most). */
  filtered: Map<string, FilteredOperation>;
}

/** Prepared operations by query hash and operation name; one for each document Apollo Server parsed. */
export class OperationCache {
  private readonly lru: Lru<string, PreparedOperation>;

  constructor(size: number) {
    this.lru = new Lru(size);
  }

  get(
    queryHash: string,
    operationName: string | null | undefined,
    document: DocumentNode,
    schema: GraphQLSchema,
    create: () => PreparedOperation,
  ): PreparedOperation {
    const key = operationName ? `${queryHash}\u0000${operationName}` : queryHash;
    const cached = this.lru.get(key, 0);
    // Apollo Server hands out the same parsed document for the same query until the schema
    // changes; a different document or schema means a reload: prepare again.
    if (cached && cached.document === document && cached.schema === schema) return cached;
    const prepared = create();
    this.lru.set(key, prepared);
    return prepared;
  }
}
