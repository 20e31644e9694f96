import { createClient, type Client, type FormattedExecutionResult as ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

/** One subscription of a test client: what it received, in order, and how it ended. */
export interface TestSubscription<T = Record<string, unknown>> {
  /** Results received so far (data or errors). */
  results: ExecutionResult<T, unknown>[];
  /** Waits until `n` results have arrived (or rejects after `timeoutMs`). */
  take(n: number, timeoutMs?: number): Promise<ExecutionResult<T, unknown>[]>;
  /** Settles when the server completes the subscription or ends it with an error. */
  ended: Promise<{ completed: true } | { error: unknown }>;
  unsubscribe(): void;
}

export interface TestWsClient {
  client: Client;
  /** The close event of the socket, once it closed. */
  closed: Promise<{ code: number; reason: string }>;
  subscribe<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): TestSubscription<T>;
  dispose(): Promise<void>;
}

/**
 * A real graphql-ws client (`graphql-transport-ws`) for tests: `ws://` of a `/graphql` URL, the
 * token sent as `authorization` in connection_init, no retries (a close is what the test checks).
 */
export function wsClient(
  httpUrl: string,
  options: { token?: string; params?: Record<string, unknown> } = {},
): TestWsClient {
  let closedWith: (e: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (closedWith = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.params,
    },
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string | Buffer };
        closedWith({ code: e.code, reason: String(e.reason) });
      },
    },
    onNonLazyError: () => {},
  });
  return {
    client,
    closed,
    subscribe<T>(query: string, variables?: Record<string, unknown>): TestSubscription<T> {
      const results: ExecutionResult<T, unknown>[] = [];
      const waiters: (() => void)[] = [];
      let end: (e: { completed: true } | { error: unknown }) => void = () => {};
      const ended = new Promise<{ completed: true } | { error: unknown }>((resolve) => (end = resolve));
      const unsubscribe = client.subscribe<T>(
        { query, ...(variables ? { variables } : {}) },
        {
          next: (result) => {
            results.push(result);
            for (const w of waiters.splice(0)) w();
          },
          error: (error) => {
            end({ error });
            for (const w of waiters.splice(0)) w();
          },
          complete: () => {
            end({ completed: true });
            for (const w of waiters.splice(0)) w();
          },
        },
      );
      return {
        results,
        ended,
        unsubscribe,
        take: (n, timeoutMs = 10_000) =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `expected ${n} results within ${timeoutMs} ms, got ${results.length}: ${JSON.stringify(results)}`,
                  ),
                ),
              timeoutMs,
            );
            const check = () => {
              if (results.length >= n) {
                clearTimeout(timer);
                resolve(results.slice(0, n));
              } else waiters.push(check);
            };
            check();
          }),
      };
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}
