import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';

export type PathKey = string | number;

/** Codes meaning "not for you": the router's authorization and the subgraphs' own checks. */
const NO_ACCESS_CODES = new Set(['FORBIDDEN', 'UNAUTHORIZED_FIELD_OR_TYPE']);

/** Codes meaning the service behind a field did not answer: the rest of the page still stands. */
const SUBGRAPH_DOWN_CODES = new Set([
  'SUBGRAPH_UNAVAILABLE',
  'SUBGRAPH_TIMEOUT',
  'SUBGRAPH_HTTP_ERROR',
  'SUBGRAPH_INVALID_RESPONSE',
  'SUBGRAPH_RESPONSE_TOO_LARGE',
  'DOWNSTREAM_SERVICE_ERROR',
]);

export type ErrorKind = 'no-access' | 'subgraph-down' | 'unauthenticated' | 'other';

export function errorCode(error: GraphQLFormattedError): string | undefined {
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

export function errorKind(error: GraphQLFormattedError): ErrorKind {
  const code = errorCode(error);
  if (code && NO_ACCESS_CODES.has(code)) return 'no-access';
  if (code && SUBGRAPH_DOWN_CODES.has(code)) return 'subgraph-down';
  if (code === 'UNAUTHENTICATED') return 'unauthenticated';
  return 'other';
}

/** The GraphQL errors an Apollo result carries (partial data keeps them with errorPolicy 'all'). */
export function graphQLErrors(error: unknown): readonly GraphQLFormattedError[] {
  return CombinedGraphQLErrors.is(error) ? error.errors : [];
}

/** True when `path` starts with `prefix` (list indexes included, so `['dataset']` matches everything below). */
export function pathStartsWith(path: readonly PathKey[] | undefined, prefix: readonly PathKey[]): boolean {
  if (!path || path.length < prefix.length) return false;
  return prefix.every((key, i) => path[i] === key);
}

/**
 * The errors that concern a field: at it, below it, or at one of its parents (a subgraph that is
 * down fails the entity fetch at the parent's path, and the part below it has nothing to show).
 */
export function errorsAt(error: unknown, prefix: readonly PathKey[]): GraphQLFormattedError[] {
  return graphQLErrors(error).filter(
    (e) => pathStartsWith(e.path, prefix) || (!!e.path?.length && pathStartsWith(prefix, e.path)),
  );
}

/** The subgraph a down-error names (the router sets `serviceName`), for the notice. */
export function serviceOf(error: GraphQLFormattedError): string | undefined {
  const name = error.extensions?.serviceName;
  return typeof name === 'string' ? name : undefined;
}

/** A whole-request failure (network, HTTP 5xx, nothing usable): shown as the page's error. */
export function requestFailure(error: unknown): string | undefined {
  if (!error) return undefined;
  if (CombinedGraphQLErrors.is(error)) {
    // Errors with a path belong to parts of the page; only path-less ones fail the request.
    const global = error.errors.filter((e) => !e.path || e.path.length === 0);
    return global.length ? global.map((e) => e.message).join('; ') : undefined;
  }
  if (ServerError.is(error)) return `The router answered HTTP ${error.statusCode}.`;
  return error instanceof Error ? error.message : String(error);
}
