import http from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

type Result = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/** What a test client received on one subscription, and how it ended. */
export interface Received {
  results: Result[];
  /** Resolves with the first `n` results (rejects after `timeoutMs`). */
  take(n: number, timeoutMs?: number): Promise<Result[]>;
  ended: Promise<{ completed: true } | { error: unknown }>;
  cancel(): void;
}

function collector(): Received & { push(r: Result): void; end(e: { completed: true } | { error: unknown }): void } {
  const results: Result[] = [];
  let waiters: (() => void)[] = [];
  let finish!: (e: { completed: true } | { error: unknown }) => void;
  const ended = new Promise<{ completed: true } | { error: unknown }>((r) => (finish = r));
  let done = false;
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  return {
    results,
    ended,
    cancel: () => undefined,
    push(r) {
      results.push(r);
      wake();
    },
    end(e) {
      done = true;
      finish(e);
      wake();
    },
    take(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${n} results in ${timeoutMs} ms, got ${JSON.stringify(results)}`)),
          timeoutMs,
        );
        const check = () => {
          if (results.length >= n) {
            clearTimeout(timer);
            resolve(results.slice(0, n));
          } else if (done) {
            clearTimeout(timer);
            reject(new Error(`ended after ${JSON.stringify(results)}`));
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

export interface WsTestClient {
  client: Client;
  closed: Promise<{ code: number; reason: string }>;
  subscribe(query: string, variables?: Record<string, unknown>): Received;
  dispose(): Promise<void>;
}

/** A graphql-ws client to a router (token in connection_init), no retries. */
export function wsClient(url: string, token?: string, extra: { origin?: string } = {}): WsTestClient {
  let close!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (close = r));
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: class extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, extra.origin ? { origin: extra.origin } : {});
      }
    },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: {
      closed: (e) => {
        const event = e as { code: number; reason: unknown };
        close({ code: event.code, reason: String(event.reason) });
      },
    },
  });
  return {
    client,
    closed,
    subscribe(query, variables) {
      const c = collector();
      const stop = client.subscribe(
        { query, ...(variables ? { variables } : {}) },
        {
          next: (r) => c.push(r as Result),
          error: (error) => c.end({ error }),
          complete: () => c.end({ completed: true }),
        },
      );
      c.cancel = stop;
      return c;
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

export interface HttpStream extends Received {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The raw body received so far. */
  raw: () => string;
  /** SSE ids of the events received. */
  ids: string[];
  /** Stops reading the response (a client that does not keep up). */
  pause(): void;
}

/**
 * A subscription over SSE or multipart HTTP, read with node:http as curl would: POST JSON,
 * events parsed as they arrive. A non-stream answer (a refusal) is one result.
 */
export function httpSubscribe(
  url: string,
  accept: 'sse' | 'multipart',
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<HttpStream> {
  return new Promise((resolve, reject) => {
    const c = collector();
    const ids: string[] = [];
    let raw = '';
    const req = http.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: accept === 'sse' ? 'text/event-stream' : 'multipart/mixed;subscriptionSpec="1.0",application/json',
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.setEncoding('utf8');
      const type = res.headers['content-type'] ?? '';
      let buffer = '';
      res.on('data', (chunk: string) => {
        raw += chunk;
        if (type.startsWith('application/json')) return;
        buffer += chunk;
        if (accept === 'sse') {
          let at: number;
          while ((at = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            const lines = block.split('\n');
            const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
            const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
            const data = lines
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trim())
              .join('\n');
            if (event === 'next') {
              if (id) ids.push(id);
              c.push(JSON.parse(data) as Result);
            } else if (event === 'complete') c.end({ completed: true });
          }
        } else {
          const parts = buffer.split('\r\n--graphql');
          buffer = parts.pop() ?? '';
          for (const part of parts) {
            const at = part.indexOf('\r\n\r\n');
            if (at < 0) continue;
            const json = JSON.parse(part.slice(at + 4)) as { payload?: Result | null; errors?: Result['errors'] };
            if (json.payload) c.push(json.payload);
            else if (json.errors) c.push({ errors: json.errors });
          }
          if (buffer.startsWith('--')) c.end({ completed: true });
        }
      });
      res.on('end', () => {
        if (type.startsWith('application/json')) c.push(JSON.parse(raw) as Result);
        c.end({ completed: true });
      });
      res.on('error', (error) => c.end({ error }));
      c.cancel = () => req.destroy();
      resolve(
        Object.assign(c, {
          status: res.statusCode ?? 0,
          headers: res.headers,
          raw: () => raw,
          ids,
          pause: () => res.pause(),
        }),
      );
    });
    req.end(JSON.stringify(body));
  });
}
