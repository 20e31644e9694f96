import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';

/** Why the subgraph's side of a subscription ended. */
export type UpstreamEnd =
  | { kind: 'complete' }
  /** The subgraph answered the subscribe (or later) with errors. */
  | { kind: 'errors'; errors: readonly GraphQLFormattedError[] }
  /** The connection closed (a restart: 1001/1006/1012; a refused token: 4401; ...) or never opened. */
  | { kind: 'closed'; code: number; reason: string };

export interface UpstreamOptions {
  /** The subgraph's /graphql (http:// or https://; the WebSocket URL is derived from it). */
  url: string;
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  /** The CONTRACT's connection_init payload: the caller's headers, lowercase (a function: read at connect). */
  connectionParams: Record<string, string> | (() => Promise<Record<string, string>>);
  /** Largest event accepted from the subgraph, in bytes (0: no limit). */
  maxPayloadBytes: number;
  connectTimeoutMs: number;
  onEvent(result: FormattedExecutionResult): void;
  onEnd(end: UpstreamEnd): void;
  /** The subgraph acknowledged the connection (the subscribe goes out right after). */
  onConnected?(): void;
}

/** `http://host/graphql` as the WebSocket URL the subgraph serves subscriptions at. */
export function webSocketUrl(url: string): string {
  return url.replace(/^http(s?):/i, 'ws$1:');
}

const isCloseEvent = (value: unknown): value is { code: number; reason: string } =>
  typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number';

/**
 * One subscription at the subgraph that owns the root field, over its own graphql-ws connection:
 * connection_init carries the caller's token, so connections are not shared between callers.
 * No retry here: the subscription decides (resume with `after`, or end with a retryable error).
 */
/**
 * Closes the client's socket. graphql-ws's `dispose` awaits the connection attempt under way, so
 * it rejects when that attempt fails (a subgraph or Heimdall that is down): disposing while
 * connecting must not surface that failure again as an unhandled rejection.
 */
function disposeQuietly(client: Client): void {
  Promise.resolve(client.dispose()).catch(() => undefined);
}

export function subscribeUpstream(options: UpstreamOptions): { dispose(): void } {
  let ended = false;
  const end = (reason: UpstreamEnd) => {
    if (ended) return;
    ended = true;
    options.onEnd(reason);
    disposeQuietly(client);
  };
  const client: Client = createClient({
    url: webSocketUrl(options.url),
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, {
          handshakeTimeout: options.connectTimeoutMs,
          ...(options.maxPayloadBytes > 0 ? { maxPayload: options.maxPayloadBytes } : {}),
        });
      }
    },
    connectionParams: options.connectionParams,
    connectionAckWaitTimeout: options.connectTimeoutMs,
    lazy: true,
    retryAttempts: 0,
    on: {
      connected: () => options.onConnected?.(),
      closed: (event) => {
        if (isCloseEvent(event)) end({ kind: 'closed', code: event.code, reason: event.reason });
      },
    },
  });
  const unsubscribe = client.subscribe(
    {
      query: options.query,
      variables: options.variables,
      ...(options.operationName ? { operationName: options.operationName } : {}),
    },
    {
      next: (result) => {
        if (!ended) options.onEvent(result as FormattedExecutionResult);
      },
      error: (error) => {
        if (Array.isArray(error)) end({ kind: 'errors', errors: error as GraphQLFormattedError[] });
        else if (isCloseEvent(error)) end({ kind: 'closed', code: error.code, reason: error.reason });
        else end({ kind: 'closed', code: 1006, reason: (error as Error)?.message ?? 'connection failed' });
      },
      complete: () => end({ kind: 'complete' }),
    },
  );
  return {
    dispose() {
      ended = true;
      unsubscribe();
      disposeQuietly(client);
    },
  };
}
