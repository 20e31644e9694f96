import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { errorCodes, graphql, tokenFor, wsClient, type TestWsClient } from '@dataos/testkit';
import {
  createSubgraph,
  kitSettingsFromEnv,
  requirePrincipal,
  type BaseContext,
  type RunningSubgraph,
} from '../src/index.js';

/** A toy subgraph with subscriptions, served by the kit with small limits. */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { me: String! }
  type Tick { n: Int!, context: Int!, requestId: String! }
  type Subscription { ticks(n: Int!): Tick!, forever: Int! }
`);

interface Ctx extends BaseContext {
  serial: number;
}

let contexts = 0;
let running: RunningSubgraph;
const clients: TestWsClient[] = [];
const kit = kitSettingsFromEnv();

async function* count(n: number) {
  for (let i = 1; i <= n; i++) yield i;
}

async function serve() {
  const subgraph = await createSubgraph<Ctx>({
    name: 'kit-subscriptions-test',
    typeDefs,
    settings: {
      ...kit,
      subscriptions: { ...kit.subscriptions, perConnection: 2, perSubject: 3, initTimeoutMs: 300 },
    },
    context: (base) => ({ ...base, serial: ++contexts }),
    resolvers: {
      Query: { me: (_: unknown, __: unknown, ctx: Ctx) => requirePrincipal(ctx).id },
      Subscription: {
        ticks: {
          subscribe: (_: unknown, { n }: { n: number }, ctx: Ctx) => {
            requirePrincipal(ctx);
            return count(n);
          },
          resolve: (n: number, _: unknown, ctx: Ctx) => ({ n, context: ctx.serial, requestId: ctx.requestId }),
        },
        forever: { subscribe: () => new Promise<never>(() => {}).then(() => count(0)), resolve: (n: number) => n },
      },
    },
  });
  return subgraph.listen(0);
}

beforeAll(async () => {
  running = await serve();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await running?.stop();
});

const client = async (user: string, params: Record<string, unknown> = {}) => {
  const c = wsClient(running.url, { token: await tokenFor(user), params });
  clients.push(c);
  return c;
};

describe("the kit's subscriptions over graphql-ws", () => {
  it('runs every event on a context of its own, with the request id sent in connection_init', async () => {
    const c = await client('bob', { 'x-request-id': 'req-123' });
    const sub = c.subscribe<{ ticks: { n: number; context: number; requestId: string } }>(
      'subscription { ticks(n: 3) { n context requestId } }',
    );
    expect(await sub.ended).toEqual({ completed: true });
    const ticks = sub.results.map((r) => r.data!.ticks);
    expect(ticks.map((t) => t.n)).toEqual([1, 2, 3]);
    expect(new Set(ticks.map((t) => t.context)).size).toBe(3);
    expect(ticks.every((t) => t.requestId === 'req-123')).toBe(true);
  });

  it('accepts Authorization as well as authorization', async () => {
    const c = wsClient(running.url, { params: { Authorization: `Bearer ${await tokenFor('bob')}` } });
    clients.push(c);
    expect(await c.subscribe('subscription { ticks(n: 1) { n } }').ended).toEqual({ completed: true });
  });

  it('limits subscriptions per connection and per subject, and gives slots back when they end', async () => {
    const code = async (sub: { ended: Promise<unknown> }) =>
      ((await sub.ended) as { error: { extensions: { code: string } }[] }).error[0]!.extensions.code;
    const one = await client('alice');
    one.subscribe('subscription { forever }');
    one.subscribe('subscription { forever }');
    expect(await code(one.subscribe('subscription { forever }'))).toBe('TOO_MANY_SUBSCRIPTIONS');
    const two = await client('alice');
    two.subscribe('subscription { forever }');
    // alice has 3 open: her 4th is refused on any connection.
    expect(await code(two.subscribe('subscription { forever }'))).toBe('TOO_MANY_SUBSCRIPTIONS');
    // Another subject is not affected; a connection closing frees its slots.
    expect(await (await client('bob')).subscribe('subscription { ticks(n: 1) { n } }').ended).toEqual({
      completed: true,
    });
    await one.dispose();
    await new Promise((r) => setTimeout(r, 100));
    const third = two.subscribe('subscription { ticks(n: 1) { n } }');
    expect(await third.ended).toEqual({ completed: true });
  });

  it('closes a socket that sends no connection_init with 4408, and refuses other paths', async () => {
    const socket = new WebSocket(running.url.replace('http', 'ws'), 'graphql-transport-ws');
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    expect(closed.code).toBe(4408);
    const other = new WebSocket(
      running.url.replace('http', 'ws').replace('/graphql', '/other'),
      'graphql-transport-ws',
    );
    const status = await new Promise<number>((resolve) => {
      other.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      other.on('error', () => {});
    });
    expect(status).toBe(404);
  });

  it('answers a subscription sent over HTTP with 400 SUBSCRIPTION_NOT_SUPPORTED, naming WebSocket', async () => {
    const res = await graphql(running.url, 'subscription { ticks(n: 1) { n } }', { token: await tokenFor('bob') });
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['SUBSCRIPTION_NOT_SUPPORTED']);
    expect(res.errors?.[0]?.message).toMatch(/WebSocket/);
  });

  it('closes open connections with 1001 when the subgraph stops', async () => {
    const extra = await serve();
    const c = wsClient(extra.url, { token: await tokenFor('bob') });
    clients.push(c);
    c.subscribe('subscription { forever }');
    await new Promise((r) => setTimeout(r, 200));
    await extra.stop();
    expect((await c.closed).code).toBe(1001);
  });
});
