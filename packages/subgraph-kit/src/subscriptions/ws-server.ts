import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { type Context as WsContext } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { TokenError, bearerToken, type Principal, type TokenVerifier } from '@dataos/auth';
import { ErrorCode, formatError } from '@dataos/errors';
import type { OperationLimits } from '@dataos/operation-walker';
import type { BaseContext } from '../context.js';
import type { ServiceGate } from '../service-gate.js';
import { operationLimitsChecker } from '../limits-plugin.js';
import type { Logger } from '../logger.js';
import { CloseCode, SlowConsumerError } from './close-codes.js';
import { eventContexts, subscribeWithEventContexts } from './fresh-context.js';
import { SubscriptionQuota } from './quota.js';
import type { SubscriptionSettings } from './settings.js';

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  /** Served at the same path as queries. */
  path: string;
  schema: GraphQLSchema;
  verifier: TokenVerifier;
  /** Who may connect at all: connection_init's `x-service-authorization` (null: anyone with a user token). */
  serviceGate?: ServiceGate | null;
  /** The subgraph's context function, called once at subscribe and again for every event. */
  context: (base: BaseContext) => unknown;
  limits: OperationLimits;
  settings: SubscriptionSettings;
  /** Largest WebSocket message accepted (the HTTP body limit). */
  maxMessageBytes: number;
  logger: Logger;
}

export interface SubscriptionServer {
  /** Open WebSocket connections. */
  readonly connections: number;
  /** Closes every connection with 1001 (clients resume elsewhere with `after`). */
  close(): Promise<void>;
}

/** What a connection knows once its connection_init passed. */
interface Connection {
  principal: Principal;
  token: string;
  requestId: string;
  traceparent?: string;
  expiry?: NodeJS.Timeout;
  /** Subscription ids holding a slot of the subject's quota. */
  counted: Set<string>;
}

type WsCtx = WsContext<Record<string, unknown>, Extra>;

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;
/** Node timers fire at once beyond this: longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const refusal = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];
const header = (params: Record<string, unknown>, name: string) => {
  const value = params[name] ?? params[name.replace(/^./, (c) => c.toUpperCase())];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Subscriptions over WebSocket (graphql-ws, protocol `graphql-transport-ws`) on the subgraph's
 * own HTTP server, at the path of its queries. The token comes in connection_init's payload
 * (`{ authorization: "Bearer ..." }`) and is verified by the same verifier as HTTP requests; each
 * subscribe is parsed, validated and measured against the same limits as a query; the
 * resolvers' own checks (Heimdall) run at subscribe. The connection ends when its token expires.
 */
export function serveSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const { settings, schema, logger } = options;
  const checkLimits = operationLimitsChecker(options.limits);
  const perSubject = new SubscriptionQuota(settings.perSubject);
  const connections = new WeakMap<WsContext, Connection>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });

  options.httpServer.on('upgrade', (request: http.IncomingMessage, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (wss.clients.size >= settings.maxConnections) {
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  const close = (ctx: WsCtx, code: number, reason: string) => ctx.extra.socket.close(code, reason);

  const contextFor = (connection: Connection) => () =>
    options.context({
      requestId: connection.requestId,
      principal: connection.principal,
      token: connection.token,
      logger: logger.child({ requestId: connection.requestId }),
    });

  /** Ends every subscription of the connection with UNAUTHENTICATED, then the connection (4401). */
  const expire = (ctx: WsCtx) => {
    const payload = [{ message: 'The token expired.', extensions: { code: ErrorCode.Unauthenticated } }];
    for (const id of Object.keys(ctx.subscriptions)) {
      ctx.extra.socket.send(JSON.stringify({ id, type: 'error', payload }));
    }
    close(ctx, CloseCode.Unauthorized, 'The token expired.');
  };
  const armExpiry = (ctx: WsCtx, connection: Connection) => {
    const wait = connection.principal.expiresAt.getTime() - Date.now();
    if (wait <= 0) return expire(ctx);
    connection.expiry = setTimeout(
      () => (wait > MAX_TIMER_MS ? armExpiry(ctx, connection) : expire(ctx)),
      Math.min(wait, MAX_TIMER_MS),
    );
    connection.expiry.unref();
  };

  const release = (connection: Connection | undefined, id: string) => {
    if (connection?.counted.delete(id)) perSubject.release(connection.principal.id);
  };

  const format = (errors: readonly GraphQLError[] | readonly GraphQLFormattedError[]) =>
    errors.map((e) =>
      formatError(e instanceof GraphQLError ? e.toJSON() : e, e, (err) => logger.error({ err }, 'unexpected error')),
    );

  const server = useServer<Record<string, unknown>>(
    {
      schema,
      connectionInitWaitTimeout: settings.initTimeoutMs,
      subscribe: subscribeWithEventContexts,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        if (options.serviceGate) {
          const { refusal } = await options.serviceGate.check(header(params, 'x-service-authorization'));
          if (refusal) {
            logger.warn({ reason: refusal.reason }, `subscription caller refused: ${refusal.message}`);
            // A close reason holds at most 123 bytes: the code says which refusal, the log says why.
            close(ctx, refusal.status === 503 ? CloseCode.GoingAway : CloseCode.UntrustedCaller, 'Untrusted caller');
            return false;
          }
        }
        const token = bearerToken(header(params, 'authorization'));
        let principal: Principal | null = null;
        if (token) {
          try {
            principal = await options.verifier.verify(token);
          } catch (error) {
            if (!(error instanceof TokenError)) throw error;
            logger.debug({ reason: error.reason }, 'subscription token refused');
          }
        }
        if (!token || !principal) {
          close(ctx, CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        const requestId = header(params, 'x-request-id');
        const traceparent = header(params, 'traceparent');
        const connection: Connection = {
          principal,
          token,
          requestId: requestId && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
          ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
          counted: new Set(),
        };
        connections.set(ctx, connection);
        armExpiry(ctx, connection);
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx)!;
        // The id being subscribed is listed already: more than the limit means one too many.
        if (Object.keys(ctx.subscriptions).length > settings.perConnection) {
          return refusal(
            `Too many subscriptions on this connection (at most ${settings.perConnection}).`,
            ErrorCode.TooManySubscriptions,
          );
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: options.limits.maxTokens || undefined });
        } catch (error) {
          return refusal((error as Error).message, 'GRAPHQL_PARSE_FAILED');
        }
        const invalid = validate(schema, document, undefined, { maxErrors: 10 });
        if (invalid.length) {
          return invalid.map(
            (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return refusal('The operation to run is not named or not found.', ErrorCode.BadUserInput);
        if (operation.operation !== 'subscription') {
          return refusal(
            'Only subscriptions are served over WebSocket: send queries and mutations over HTTP.',
            ErrorCode.OperationNotSupported,
          );
        }
        const tooBig = checkLimits(schema, document, operation, payload.variables ?? undefined);
        if (tooBig) return [tooBig];
        if (!perSubject.acquire(connection.principal.id)) {
          return refusal(
            `Too many subscriptions for this subject (at most ${settings.perSubject}).`,
            ErrorCode.TooManySubscriptions,
          );
        }
        connection.counted.add(id);
        const contextOf = contextFor(connection);
        const contextValue = (await contextOf()) as object;
        eventContexts.set(contextValue, async () => contextOf());
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue,
        };
      },
      onNext: (ctx, _id, _payload, _args, result: ExecutionResult) => {
        if (ctx.extra.socket.bufferedAmount > settings.maxBufferedBytes) {
          close(ctx, CloseCode.SlowConsumer, 'Slow consumer: too much unsent data.');
        }
        return result.errors ? { ...result, errors: format(result.errors) } : undefined;
      },
      onError: (ctx, _id, _payload, errors) => {
        const slow = errors.find((e) => e instanceof GraphQLError && e.originalError instanceof SlowConsumerError);
        if (slow) {
          // After the error message is written (graphql-ws sends it once this returns).
          setImmediate(() => close(ctx, CloseCode.SlowConsumer, 'Slow consumer: events were not read in time.'));
          return [{ message: slow.message, extensions: { code: ErrorCode.SlowConsumer } }];
        }
        return format(errors);
      },
      onComplete: (ctx, id) => release(connections.get(ctx), id),
      onClose: (ctx) => {
        const connection = connections.get(ctx);
        if (!connection) return;
        clearTimeout(connection.expiry);
        for (const id of [...connection.counted]) release(connection, id);
      },
    },
    wss,
    settings.keepAliveMs,
  );

  return {
    get connections() {
      return wss.clients.size;
    },
    close: async () => {
      await server.dispose();
    },
  };
}
