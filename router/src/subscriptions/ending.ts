import { GraphQLError } from 'graphql';
import { RouterErrorCode } from '../errors.js';

/**
 * Why a running subscription ended, as the error its client receives. `closeCode` is what a
 * WebSocket connection is closed with when the cause is the connection's (its token, its pace);
 * SSE and multipart HTTP end the response after the error.
 */
export const SubscriptionCode = {
  SlowConsumer: 'SUBSCRIPTION_SLOW_CONSUMER',
  Backlog: 'SUBSCRIPTION_BACKLOG',
  Revoked: 'FORBIDDEN',
  TooMany: 'SUBSCRIPTION_LIMIT_EXCEEDED',
  ShuttingDown: 'SHUTTING_DOWN',
} as const;

/** WebSocket close codes (4xxx: the application's, as graphql-ws uses 4400-4499). */
export const CloseCodes = {
  Unauthorized: 4401,
  Forbidden: 4403,
  SlowConsumer: 4429,
  /** A restart of the subgraph or the router: reconnect and resume with `after`. */
  TryAgain: 1013,
  GoingAway: 1001,
} as const;

export const ending = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra } });

export const tokenExpired = () =>
  ending('The token expired.', RouterErrorCode.Unauthenticated, { closeCode: CloseCodes.Unauthorized });

export const tokenRefused = (message: string, reason: string) =>
  ending(message, RouterErrorCode.Unauthenticated, { reason, closeCode: CloseCodes.Unauthorized });

export const accessRevoked = (paths: string[]) =>
  ending(
    `Access to ${paths.length ? paths.join(', ') : 'this subscription'} was revoked (a policy changed); the subscription ended.`,
    SubscriptionCode.Revoked,
    { closeCode: CloseCodes.Forbidden },
  );

export const slowConsumer = (events: number) =>
  ending(
    `The client read events slower than they came: more than ${events} were waiting, so the subscription ended. Resubscribe with the last cursor as \`after\`.`,
    SubscriptionCode.SlowConsumer,
    { closeCode: CloseCodes.SlowConsumer },
  );

export const backlog = (events: number) =>
  ending(
    `Events came faster than their other fields could be fetched: more than ${events} were waiting, so the subscription ended. Resubscribe with the last cursor as \`after\`.`,
    SubscriptionCode.Backlog,
    { retryable: true },
  );

export const subgraphGone = (serviceName: string, detail: string, after: string | undefined) =>
  ending(
    `The subscription at subgraph "${serviceName}" ended (${detail}); subscribe again${after ? ' with `after` set to the last cursor' : ''}.`,
    RouterErrorCode.SubgraphUnavailable,
    { serviceName, retryable: true, ...(after ? { after } : {}), closeCode: CloseCodes.TryAgain },
  );

export const shuttingDown = () =>
  ending('The router is shutting down; subscribe again to another replica.', SubscriptionCode.ShuttingDown, {
    retryable: true,
    closeCode: CloseCodes.GoingAway,
  });

/** The close code a WebSocket connection ends with for this error, when the error is the connection's. */
export function connectionCloseCode(
  error: GraphQLError | { extensions?: Record<string, unknown> },
): number | undefined {
  const code = error.extensions?.closeCode;
  return code === CloseCodes.Unauthorized || code === CloseCodes.SlowConsumer || code === CloseCodes.GoingAway
    ? code
    : undefined;
}
