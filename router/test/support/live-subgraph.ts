import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { OPERATORS } from './fixture.js';

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@policy"])`;

/** A subgraph owning `Subscription`: ticks that reference the fixture's Product entity (names from catalog). */
export const LIVE_SDL = `${FEDERATION}
  type Query {
    lastTick: Tick
  }
  type Subscription {
    ticks(after: String): Tick! @authenticated
    operatorTicks(after: String): Tick! @policy(policies: [["${OPERATORS}"]])
  }
  type Tick {
    cursor: String!
    n: Int!
    note: String @policy(policies: [["${OPERATORS}"]])
    product: Product
    "Filler of about \`bytes\` characters (at most 1 MB): big events for slow-client tests."
    padding(bytes: Int!): String
  }
  type Product @key(fields: "id", resolvable: false) {
    id: ID!
  }`;

export interface Tick {
  cursor: string;
  n: number;
  note: string;
  product: { id: string };
}

export interface LiveSubgraph {
  url: string;
  port: number;
  /** connection_init payloads received, in order. */
  connections: Record<string, unknown>[];
  /** Subscribe messages received (root field names), in order. */
  subscribes: { field: string; variables: Record<string, unknown> }[];
  /** Subscriptions open now. */
  readonly active: number;
  /** Subscriptions opened so far (listening for ticks). */
  readonly opened: number;
  /** Sends a tick to every open subscriber (and keeps it for `after` replays). */
  publish(n: number): Tick;
  /** Closes every client connection with `code` (a restart, an expired token). */
  dropConnections(code?: number, reason?: string): void;
  stop(): Promise<void>;
}

/**
 * A test subgraph that serves subscriptions over graphql-ws (`graphql-transport-ws`) on its
 * /graphql, as the CONTRACT of the kit says: the caller's headers in connection_init, a missing
 * token closes 4401. Ticks are kept in memory so that `after` resumes after a cursor.
 */
export async function startLiveSubgraph(options: { port?: number } = {}): Promise<LiveSubgraph> {
  const history: Tick[] = [];
  const listeners = new Set<(tick: Tick) => void>();
  const connections: Record<string, unknown>[] = [];
  const subscribes: LiveSubgraph['subscribes'] = [];
  let opened = 0;

  /** Ticks after `after`, then each new one; `return` stops listening at once (not at the next tick). */
  const stream = (after: string | undefined): AsyncIterableIterator<Tick> => {
    const pending: Tick[] = history.filter((t) => after !== undefined && Number(t.cursor) > Number(after));
    let wake: ((result: IteratorResult<Tick>) => void) | undefined;
    const listener = (tick: Tick) => {
      if (wake) {
        const resolve = wake;
        wake = undefined;
        resolve({ value: tick, done: false });
      } else pending.push(tick);
    };
    listeners.add(listener);
    opened++;
    const iterator: AsyncIterableIterator<Tick> = {
      next: () =>
        pending.length
          ? Promise.resolve({ value: pending.shift()!, done: false })
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

  const field = () => ({
    subscribe: (_: unknown, args: { after?: string }) => stream(args.after),
    resolve: (tick: Tick) => tick,
  });
  const schema = buildSubgraphSchema({
    typeDefs: parse(LIVE_SDL),
    resolvers: {
      Query: { lastTick: () => history.at(-1) ?? null },
      Tick: { padding: (_: Tick, args: { bytes: number }) => 'x'.repeat(Math.min(Math.max(args.bytes, 0), 1 << 20)) },
      Subscription: { ticks: field(), operatorTicks: field() },
    } as never,
  });

  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
    res.end('{}');
  });
  const wss = new WebSocketServer({ server, path: '/graphql' });
  useServer(
    {
      schema,
      onConnect: (ctx) => {
        connections.push(ctx.connectionParams ?? {});
        if (typeof ctx.connectionParams?.authorization !== 'string') {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        const document = parse(payload.query);
        const op = document.definitions[0] as unknown as {
          selectionSet: { selections: { name: { value: string } }[] };
        };
        subscribes.push({ field: op.selectionSet.selections[0]!.name.value, variables: payload.variables ?? {} });
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    connections,
    subscribes,
    get active() {
      return listeners.size;
    },
    get opened() {
      return opened;
    },
    publish(n) {
      const tick: Tick = {
        cursor: String(history.length + 1),
        n,
        note: `note ${n}`,
        product: { id: String(n % 3) },
      };
      history.push(tick);
      for (const listener of listeners) listener(tick);
      return tick;
    },
    dropConnections(code = 1012, reason = 'Service Restart') {
      for (const client of wss.clients) client.close(code, reason);
    },
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
