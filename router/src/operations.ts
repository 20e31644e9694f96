import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { AuthzAnalysis } from './authz/analyze.js';
import type { FilteredOperation } from './authz/filter.js';
import type { AuthzIndex } from './authz/requirements.js';
import type { ExecutionTarget } from './execution/executor.js';
import { Lru } from '@dataos/cache';
import type { OperationDocument, OperationShape } from '@dataos/operation-walker';

/**
 * Everything the router works out once per document and reuses for every request that sends
 * it: its shape against the limits, its authorization analysis, and its filtered versions.
 */
export interface PreparedOperation extends ExecutionTarget {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The document as every pass walks it (fragments and selections resolved once). */
  walked: OperationDocument;
  shape: OperationShape;
  /** The authorization analysis, for the directives it was made with (replaced when they change). */
  authz?: PreparedAuthz;
  /** Runs (or may run) on Apollo Gateway's executor: always through Apollo Server, never the fast path. */
  apolloOnly?: boolean;
}

/**
 * An operation's authorization for one version of the directives. Replaced whole, never
 * changed, when a reload brings new directives for the same schema: a request holds the one
 * it started with, so its analysis and filtered documents always agree.
 */
export interface PreparedAuthz {
  index: AuthzIndex;
  /** Tells the filtered documents of different indexes apart in Apollo Gateway's plan cache. */
  generation: number;
  analysis: AuthzAnalysis;
  /** Filtered documents (each with its plan) by denied-requirements key; the most used stay. */
  filtered: Lru<string, FilteredOperation>;
}

/**
 * A prepared operation's memory, estimated from its source: parsed ASTs, analyses and plans
 * take some tens of bytes per source character. Filtered versions are bounded by their count.
 */
const BYTES_PER_SOURCE_CHAR = 40;
const preparedBytes = (prepared: PreparedOperation) => (prepared.document.loc?.end ?? 1000) * BYTES_PER_SOURCE_CHAR;

/** Prepared operations by query hash and operation name; one for each document Apollo Server parsed. */
export class OperationCache {
  private readonly lru: Lru<string, PreparedOperation>;

  constructor(size: number, maxMiB = 64) {
    this.lru = new Lru({ max: size, maxBytes: maxMiB * 1024 * 1024, sizeOf: preparedBytes });
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
