import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, parse, type ExecutionArgs, type FormattedExecutionResult, type GraphQLSchema } from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RouterContext } from '../context.js';
import { traceparentFor, tracestateFor } from '../trace.js';
import { CloseCodes, SubscriptionCode, connectionCloseCode, ending } from './ending.js';
import type { Started, SubscriptionService } from './service.js';
import type { SubscriptionSettings } from './settings.js';
import type { LiveEvent } from './live.js';

export interface WebSocketOptions {
  service: SubscriptionService;
  settings: SubscriptionSettings;
  corsOrigins: readonly string[];
  forwardHeaders: readonly string[];
  /** Largest message a client may send (MAX_BODY_SIZE). */
  maxMessageBytes: number;
  /** Whether a presented token is valid (Heimdall through the decision cache): refused at connection_init. */
  checkToken(authorization: string, requestId: string): Promise<{ message: string } | undefined>;
  /** The API schema now (graphql-ws wants one for its own bookkeeping). */
  schema(): GraphQLSchema | undefined;
}

interface Extra extends Record<PropertyKey, unknown> {
  socket: WebSocket;
  request: IncomingMessage;
  /** Filled at connection_init. */
  context?: RouterContext;
  /** Operations running on the connection. */
  open?: number;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** What graphql-ws executes: a placeholder document; the real work is in `Started`, passed as contextValue. */
const SUBSCRIPTION_DOCUMENT = parse('subscription Router { __typename }');
const QUERY_DOCUMENT = parse('query Router { __typename }');

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};
const param = (params: Record<string, unknown> | undefined, name: string) => {
  const value =
    params?.[name] ?? params?.[name.replace(/(^|-)(\w)/g, (_, d: string, c: string) => d + c.toUpperCase())];
  return typeof value === 'string' ? value : undefined;
};

/** The connection's caller: connection_init's payload (the CONTRACT's lowercase keys), else the upgrade request's headers. */
function contextOf(
  params: Record<string, unknown> | undefined,
  req: IncomingMessage,
  forwardHeaders: readonly string[],
): RouterContext {
  const requestId = [param(params, 'x-request-id'), header(req, 'x-request-id')].find(
    (v) => v !== undefined && REQUEST_ID.test(v),
  );
  const authorization =
    param(params, 'authorization') ?? param(params, 'Authorization') ?? header(req, 'authorization');
  const tracestate = tracestateFor(param(params, 'tracestate') ?? header(req, 'tracestate'));
  const clientHeaders: Record<string, string | undefined> = {};
  for (const name of forwardHeaders) clientHeaders[name] = param(params, name) ?? header(req, name);
  return {
    requestId: requestId ?? randomUUID(),
    traceparent: traceparentFor(param(params, 'traceparent') ?? header(req, 'traceparent')),
    ...(tracestate ? { tracestate } : {}),
    clientHeaders,
    ...(authorization ? { authorization } : {}),
  };
}

/** Iterates a live subscription as graphql-ws wants it: formatted results; `return` ends it at once. */
function resultsOf(service: SubscriptionService, events: AsyncIterableIterator<LiveEvent>) {
  const iterator: AsyncIterableIterator<FormattedExecutionResult> = {
    next: async () => {
      const next = await events.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: service.format(next.value.result) };
    },
    return: async () => {
      await events.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/**
 * `graphql-transport-ws` on the router's port at /graphql (the graphql-ws library). A browser's
 * upgrade from an Origin not in CORS_ORIGINS is refused (403) before any frame; the token in
 * connection_init is checked then (4401 if not valid); subscriptions per connection are limited,
 * and an error that is the connection's (token expired, slow client) closes it with its code.
 */
export function attachWebSocket(httpServer: Server, options: WebSocketOptions) {
  const { service, settings } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const refuse = (status: string, text: string) => {
      socket.end(
        `HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
      );
    };
    if (path !== '/graphql' && path !== '/graphql/') return refuse('404 Not Found', 'GraphQL is at /graphql.');
    const origin = req.headers.origin;
    if (origin !== undefined && !options.corsOrigins.includes(origin))
      return refuse('403 Forbidden', `The origin ${origin.slice(0, 200)} may not open subscriptions (CORS_ORIGINS).`);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);

  const server = useServer<Record<string, unknown>, Extra>(
    {
      connectionInitWaitTimeout: settings.initTimeoutMs,
      schema: () => options.schema() as GraphQLSchema,
      onConnect: async (ctx: Context<Record<string, unknown>, Extra>) => {
        const context = contextOf(ctx.connectionParams, ctx.extra.request, options.forwardHeaders);
        if (context.authorization) {
          const refused = await options.checkToken(context.authorization, context.requestId);
          if (refused) {
            ctx.extra.socket.close(CloseCodes.Unauthorized, refused.message.slice(0, 120));
            return false;
          }
        }
        ctx.extra.context = context;
        ctx.extra.open = 0;
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const extra = ctx.extra;
        if (!extra.context) return [new GraphQLError('Unauthorized', { extensions: { code: 'UNAUTHENTICATED' } })];
        if ((extra.open ?? 0) >= settings.perConnection)
          return [
            ending(
              `A connection may hold at most ${settings.perConnection} subscriptions at once; complete one first.`,
              SubscriptionCode.TooMany,
              { limit: settings.perConnection },
            ),
          ];
        // Counted before the (asynchronous) start, so that a burst of subscribes cannot pass the limit.
        extra.open = (extra.open ?? 0) + 1;
        // Each operation its own request id, under the connection's.
        const context: RouterContext = {
          ...extra.context,
          requestId: `${extra.context.requestId}:${id}`.slice(0, 128),
        };
        const started = await service.start(
          {
            query: payload.query,
            ...(payload.variables ? { variables: payload.variables } : {}),
            ...(payload.operationName ? { operationName: payload.operationName } : {}),
          },
          context,
        );
        if (started.kind === 'single' && started.result.data === undefined) {
          extra.open--; // refused: graphql-ws calls no onComplete
          return (started.result.errors ?? []).map(
            (e) => new GraphQLError(e.message, { ...(e.path ? { path: e.path } : {}), extensions: e.extensions ?? {} }),
          );
        }
        return {
          schema: options.schema() as GraphQLSchema,
          document: started.kind === 'stream' ? SUBSCRIPTION_DOCUMENT : QUERY_DOCUMENT,
          contextValue: started,
        } as ExecutionArgs;
      },
      subscribe: (args) => {
        const started = args.contextValue as Started;
        return (started.kind === 'stream' ? resultsOf(service, started.events) : started.result) as never;
      },
      execute: (args) => (args.contextValue as Started & { kind: 'single' }).result as never,
      // Results are formatted already (service.format); errors are formatted here.
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
      onError: (ctx, _id, _payload, errors) => {
        const formatted = errors.map((e) => service.format({ errors: [e] }).errors![0]!);
        const code = errors.map((e) => connectionCloseCode(e)).find((c) => c !== undefined);
        if (code !== undefined) {
          const reason = formatted[0]!.message.slice(0, 120);
          const socket = ctx.extra.socket;
          setImmediate(() => socket.close(code, reason));
          // A client that does not read does not answer the close either.
          setTimeout(() => socket.terminate(), 2000).unref();
        }
        return formatted as never;
      },
      onComplete: (ctx, _id, _payload) => {
        ctx.extra.open = Math.max(0, (ctx.extra.open ?? 0) - 1);
      },
    },
    wss,
    settings.keepAliveMs,
  );

  // A client whose socket keeps more than the buffer limit unsent is not reading: close it.
  const watch = setInterval(() => {
    for (const client of wss.clients) {
      if (client.bufferedAmount <= settings.bufferBytes) continue;
      client.close(CloseCodes.SlowConsumer, 'The client reads too slowly.');
      setTimeout(() => client.terminate(), 2000).unref(); // it does not read the close either
    }
  }, 1000);
  watch.unref();

  return {
    close: async () => {
      clearInterval(watch);
      httpServer.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.close(CloseCodes.GoingAway, 'The router is shutting down.');
      await server.dispose();
    },
  };
}
