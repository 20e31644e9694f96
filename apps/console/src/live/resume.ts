import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';

/**
 * The pure rules of a resumable subscription: where the resume cursor is in an event, which
 * endings are worth a new attempt, and how long to wait before it.
 */

/** The `cursor` of the root field of an event (`podChanges.cursor`, `policyChanges.cursor`, ...), if any. */
export function cursorOf(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  for (const value of Object.values(data as Record<string, unknown>)) {
    if (value && typeof value === 'object') {
      const cursor = (value as { cursor?: unknown }).cursor;
      if (typeof cursor === 'string' && cursor !== '') return cursor;
    }
  }
  return undefined;
}

/**
 * The router ends a subscription it cannot continue (a subgraph restarted, a replica shuts down,
 * events came faster than it could fetch their fields) with an error marked `retryable`: the
 * client subscribes again from its last cursor.
 */
export function retryableErrors(result: FormattedExecutionResult): GraphQLFormattedError[] {
  return (result.errors ?? []).filter((e) => e.extensions?.retryable === true);
}

/** Codes after which subscribing again cannot help: the same request would be refused again. */
const FATAL_CODES = new Set([
  'FORBIDDEN',
  'UNAUTHORIZED_FIELD_OR_TYPE',
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'SUBSCRIPTION_REVOKED',
]);

export type Ending = 'retry' | 'fatal';

/**
 * What to do when the socket or the operation failed. A closed socket (network drop, router
 * restart 1001/1006/1013, slow consumer 4429, token expired 4401: the next connection sends a
 * fresh token) is retried; a revoked access (4403) or an operation the router refused is not.
 */
export function endingOf(error: unknown): Ending {
  if (isCloseLike(error)) return error.code === 4403 || error.code === 4400 ? 'fatal' : 'retry';
  const errors = Array.isArray(error) ? (error as GraphQLFormattedError[]) : [];
  if (errors.length) {
    if (errors.every((e) => e.extensions?.retryable === true)) return 'retry';
    const fatal = errors.some((e) => FATAL_CODES.has(String(e.extensions?.code ?? '')));
    return fatal ? 'fatal' : 'retry';
  }
  // A WebSocket error event or a network failure: the server may be back soon.
  return 'retry';
}

export function isCloseLike(value: unknown): value is { code: number; reason: string } {
  return (
    !!value && typeof value === 'object' && typeof (value as { code?: unknown }).code === 'number' && 'reason' in value
  );
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s ... at most 15 s, so a restarted router is not stampeded. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(15_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The router's WebSocket endpoint is its GraphQL URL with a ws(s) scheme. */
export function webSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
