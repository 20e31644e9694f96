import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode, formatError as formatServiceError } from '@dataos/errors';
import { LimitCode } from '@dataos/operation-walker';

/** `extensions.code` values the router itself answers with. */
export const RouterErrorCode = {
  UnauthorizedFieldOrType: 'UNAUTHORIZED_FIELD_OR_TYPE',
  /** A presented token (or Authorization header) is not valid: the request is refused with 401. */
  Unauthenticated: 'UNAUTHENTICATED',
  /** The operation limits, the same codes as at every subgraph. */
  ...LimitCode,
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  /** A subscription operation: not served by this router yet. */
  SubscriptionNotSupported: ErrorCode.SubscriptionNotSupported,
  /** An operation type the schema has no root type for (a mutation on a read-only graph). */
  OperationNotSupported: ErrorCode.OperationNotSupported,
  BadRequest: 'BAD_REQUEST',
  PersistedQueryNotInList: 'PERSISTED_QUERY_NOT_IN_LIST',
  SubgraphUnavailable: 'SUBGRAPH_UNAVAILABLE',
  SubgraphTimeout: 'SUBGRAPH_TIMEOUT',
  SubgraphInvalidResponse: 'SUBGRAPH_INVALID_RESPONSE',
  SubgraphHttpError: 'SUBGRAPH_HTTP_ERROR',
  SubgraphResponseTooLarge: 'SUBGRAPH_RESPONSE_TOO_LARGE',
} as const;

/**
 * Codes whose message is meant for the caller, on top of the supergraph's own (packages/errors):
 * the router's, and those `@apollo/gateway` and Apollo Server give to request problems.
 */
const ROUTER_PUBLIC_CODES = new Set<string>([
  ...Object.values(RouterErrorCode),
  'DOWNSTREAM_SERVICE_ERROR',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
]);

/** Apollo Server `formatError`: the router's codes pass; anything else as every service formats it. */
export function formatRouterError(
  formatted: GraphQLFormattedError,
  original: unknown,
  log: (error: unknown) => void,
): GraphQLFormattedError {
  const { stacktrace: _stack, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  if (typeof extensions.code === 'string' && ROUTER_PUBLIC_CODES.has(extensions.code)) {
    return { ...formatted, extensions };
  }
  return formatServiceError(formatted, original, log);
}

/** A request-level refusal: no data, HTTP `status`, one error with a code. */
export function requestError(
  message: string,
  code: string,
  status = 400,
  extra: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extra, code, http: { status } } });
}

/** The body of a refusal answered before GraphQL handling starts (body limit, trusted documents). */
export function errorBody(message: string, code: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { ...extra, code } }] });
}
