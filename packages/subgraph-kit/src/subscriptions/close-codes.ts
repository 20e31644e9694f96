/**
 * WebSocket close codes of the kit's subscription server (graphql-transport-ws keeps 4400-4499
 * for the application). The router maps them to its own clients' transports.
 */
export const CloseCode = {
  /** No valid token at connection_init, or the token expired: authenticate again. */
  Unauthorized: 4401,
  /** connection_init carried no trusted service token (SERVICE_IDENTITY=required): only the router and peers may subscribe. */
  UntrustedCaller: 4403,
  /** connection_init did not arrive in time. */
  InitTimeout: 4408,
  /** The client read too slowly: its buffer of events filled up. Retry with `after` the last cursor. */
  SlowConsumer: 4429,
  /** The server is going away (restart, deploy): retry on another replica, with `after`. */
  GoingAway: 1001,
} as const;

/** Thrown by a subscriber's event source when its bounded buffer is full. */
export class SlowConsumerError extends Error {
  constructor(readonly limit: number) {
    super(`The client read too slowly: more than ${limit} events were waiting. Subscribe again with \`after\`.`);
    this.name = 'SlowConsumerError';
  }
}
