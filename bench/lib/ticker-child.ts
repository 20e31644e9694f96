// The subscriptions bench's subgraphs, each in its own process:
// `ticker-child.ts ticker`: owns Subscription.ticks over graphql-ws (what gateways subscribe to) and
// graphql-sse (what a client subscribed directly reads), publishing a tick per IPC message
// `{ tick: count }` with the wall-clock time it was sent, so clients measure publish->client latency;
// `ticker-child.ts products`: the Product entity a tick references, over plain HTTP (the join).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, parse } from 'graphql';
import { createHandler } from 'graphql-sse/lib/use/http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { PRODUCTS_SDL, TICKER_SDL } from './ticker-schema.js';

interface Tick {
  n: number;
  sentAt: number;
  product: { id: string };
}

const kind = process.argv[2];
const server = http.createServer();

if (kind === 'products') {
  const schema = buildSubgraphSchema({
    typeDefs: parse(PRODUCTS_SDL),
    resolvers: {
      Query: { productsUp: () => true },
      Product: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: `product ${ref.id}` }) },
    } as never,
  });
  const documents = new Map<string, ReturnType<typeof parse>>();
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
          query: string;
          variables?: Record<string, unknown>;
        };
        let document = documents.get(body.query);
        if (!document) documents.set(body.query, (document = parse(body.query)));
        const result = await execute({ schema, document, variableValues: body.variables ?? {} });
        const text = JSON.stringify(result);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      })();
    });
  });
} else {
  const listeners = new Set<(tick: Tick) => void>();
  let n = 0;
  /** Ticks from now on; `return` stops listening at once. */
  const stream = (): AsyncIterableIterator<{ ticks: Tick }> => {
    const pending: Tick[] = [];
    let wake: ((r: IteratorResult<{ ticks: Tick }>) => void) | undefined;
    const listener = (tick: Tick) => {
      if (wake) {
        const w = wake;
        wake = undefined;
        w({ value: { ticks: tick }, done: false });
      } else if (pending.length < 10_000) pending.push(tick);
    };
    listeners.add(listener);
    const iterator: AsyncIterableIterator<{ ticks: Tick }> = {
      next: () =>
        pending.length
          ? Promise.resolve({ value: { ticks: pending.shift()! }, done: false })
          : new Promise((resolve) => {
              if (!listeners.has(listener)) resolve({ value: undefined, done: true });
              else wake = resolve;
            }),
      return: () => {
        listeners.delete(listener);
        wake?.({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  };
  const schema = buildSubgraphSchema({
    typeDefs: parse(TICKER_SDL),
    resolvers: { Query: { tickerUp: () => true }, Subscription: { ticks: { subscribe: () => stream() } } } as never,
  });
  const sse = createHandler({ schema });
  server.on('request', (req, res) => {
    if (req.headers.accept?.includes('text/event-stream')) {
      void sse(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  useServer({ schema }, new WebSocketServer({ server, path: '/graphql' }), 0);
  process.on('message', (message: { tick?: number; active?: boolean }) => {
    if (message.active) process.send?.({ active: listeners.size });
    for (let i = 0; i < (message.tick ?? 0); i++) {
      const tick = { n: ++n, sentAt: performance.timeOrigin + performance.now(), product: { id: String(n % 10) } };
      for (const listener of listeners) listener(tick);
    }
  });
}

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.({ ready: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` });
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
