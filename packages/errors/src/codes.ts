/** `extensions.code` values used across the supergraph (Apollo's names where Apollo has one). */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  UnauthorizedFieldOrType: 'UNAUTHORIZED_FIELD_OR_TYPE',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Internal: 'INTERNAL_SERVER_ERROR',
  /** A query engine answered something the service will not pass on (e.g. not the query's shape); the message says what. */
  EngineError: 'ENGINE_ERROR',
  // Operation limits, the same at the router and every subgraph (packages/operation-walker).
  MaxSelectionsExceeded: 'MAX_SELECTIONS_EXCEEDED',
  MaxDepthExceeded: 'MAX_DEPTH_EXCEEDED',
  MaxAliasesExceeded: 'MAX_ALIASES_EXCEEDED',
  MaxRootFieldsExceeded: 'MAX_ROOT_FIELDS_EXCEEDED',
  MaxCostExceeded: 'MAX_COST_EXCEEDED',
  MaxIntrospectionDepthExceeded: 'MAX_INTROSPECTION_DEPTH_EXCEEDED',
  /** An operation type the service has no root type for (a subscription, for now). */
  SubscriptionNotSupported: 'SUBSCRIPTION_NOT_SUPPORTED',
  OperationNotSupported: 'OPERATION_NOT_SUPPORTED',
  // Subscriptions (packages/subgraph-kit/src/subscriptions, the router's transports).
  TooManySubscriptions: 'TOO_MANY_SUBSCRIPTIONS',
  /** The client read too slowly: its subscription was ended (WebSocket close 4429). */
  SlowConsumer: 'SLOW_CONSUMER',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
