import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Router } from '@dataos/router';
import { tokenFor } from '@dataos/testkit';
import { startLiveFixture, type LiveFixture } from './support/live-fixture.js';
import { httpSubscribe, wsClient } from './support/live-clients.js';

const TICKS = 'subscription Ticks { ticks { n product { id name reviews { body } } } }';

let fixture: LiveFixture;
let router: Router;
let bob: string;
let alice: string;

beforeAll(async () => {
  fixture = await startLiveFixture();
  router = await fixture.router();
  bob = await tokenFor('bob');
  alice = await tokenFor('alice');
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
});

/** Resolves once the subgraph opened one more subscription than when `mark` was taken. */
const mark = () => fixture.live.opened;
async function whenSubscribed(since: number) {
  const until = Date.now() + 10_000;
  while (fixture.live.opened <= since) {
    if (Date.now() > until) throw new Error('the router did not subscribe at the subgraph');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('subscriptions over WebSocket (graphql-transport-ws)', () => {
  it("delivers bob's events in order, with the other subgraphs' fields joined per event", async () => {
    const m = mark();
    const client = wsClient(router.url, bob);
    const received = client.subscribe(TICKS);
    await whenSubscribed(m);
    const connection = fixture.live.connections.at(-1)!;
    for (const n of [1, 2, 3]) fixture.live.publish(n);
    const results = await received.take(3);
    expect(results.map((r) => (r.data?.ticks as { n: number }).n)).toEqual([1, 2, 3]);
    expect(results[1]).toEqual({
      data: { ticks: { n: 2, product: { id: '2', name: 'product 2', reviews: [{ body: 'review of 2' }] } } },
    });
    // The CONTRACT's connection_init: the caller's token, a request id and trace context.
    expect(connection.authorization).toBe(`Bearer ${bob}`);
    expect(connection['x-request-id']).toEqual(expect.any(String));
    expect(connection.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    // Each event's entities are fetched from catalog once (batched), with bob's token.
    const fetches = fixture.catalog.fetchesMentioning('_entities');
    expect(fetches.at(-1)!.headers.authorization).toBe(`Bearer ${bob}`);
    const metrics = await router.metrics.registry.metrics();
    expect(metrics).toMatch(/router_subscription_events_total\{subgraph="live"\} [3-9]/);
    expect(metrics).toMatch(/router_subscriptions_open 1\b/);
    received.cancel();
    await client.dispose();
  });

  it("refuses alice's subscribe at the protected root field and opens nothing at the subgraph", async () => {
    const before = fixture.live.subscribes.length;
    const client = wsClient(router.url, alice);
    const received = client.subscribe('subscription { operatorTicks { n } }');
    const ended = await received.ended;
    expect(ended).toHaveProperty('error');
    const errors = (ended as { error: { message: string; extensions: { code: string } }[] }).error;
    expect(errors[0]!.extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    expect(fixture.live.subscribes.length).toBe(before);
    await client.dispose();
  });

  it('removes a protected field of each event for alice, with the same error as queries', async () => {
    const m = mark();
    const client = wsClient(router.url, alice);
    const received = client.subscribe('subscription { ticks { n note } }');
    await whenSubscribed(m);
    fixture.live.publish(7);
    const [result] = await received.take(1);
    expect(result!.data).toEqual({ ticks: { n: 7, note: null } });
    expect(result!.errors).toEqual([
      expect.objectContaining({
        path: ['ticks', 'note'],
        extensions: {
          code: 'UNAUTHORIZED_FIELD_OR_TYPE',
          policy: { denied: ['test-operators'], decidedBy: 'heimdall' },
        },
      }),
    ]);
    // The subgraph was never asked for the removed field.
    expect(fixture.live.subscribes.at(-1)!.field).toBe('ticks');
    received.cancel();
    await client.dispose();
  });

  it('answers a query sent over the socket through the normal pipeline', async () => {
    const client = wsClient(router.url, bob);
    const received = client.subscribe('{ product(id: "1") { name } }');
    expect(await received.take(1)).toEqual([{ data: { product: { name: 'product 1' } } }]);
    expect(await received.ended).toEqual({ completed: true });
    await client.dispose();
  });

  it('refuses an upgrade from a browser origin not in CORS_ORIGINS', async () => {
    const socket = new WebSocket(router.url.replace('http', 'ws'), 'graphql-transport-ws', {
      origin: 'https://evil.example',
    });
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(403);
    const allowed = wsClient(router.url, bob, { origin: 'http://localhost:3000' });
    const received = allowed.subscribe('{ publicInfo }');
    expect(await received.take(1)).toEqual([{ data: { publicInfo: 'hello' } }]);
    await allowed.dispose();
  });

  it('closes a connection with an invalid token with 4401', async () => {
    const client = wsClient(router.url, `${bob.slice(0, -4)}AAAA`);
    expect((await client.closed).code).toBe(4401);
  });

  it('closes a connection that sends no connection_init in time with 4408', async () => {
    const slow = await fixture.router({ SUBSCRIPTION_INIT_TIMEOUT_MS: '300' });
    const socket = new WebSocket(slow.url.replace('http', 'ws'), 'graphql-transport-ws');
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(4408);
  });
});

describe('subscriptions over HTTP', () => {
  it('streams Server-Sent Events (distinct connections), each with its cursor as id', async () => {
    const m = mark();
    const stream = await httpSubscribe(
      router.url,
      'sse',
      { query: 'subscription { ticks { cursor n product { name } } }' },
      { authorization: `Bearer ${bob}` },
    );
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    await whenSubscribed(m);
    const a = fixture.live.publish(11);
    const b = fixture.live.publish(12);
    const results = await stream.take(2);
    expect(results).toEqual([
      { data: { ticks: { cursor: a.cursor, n: 11, product: { name: 'product 2' } } } },
      { data: { ticks: { cursor: b.cursor, n: 12, product: { name: 'product 0' } } } },
    ]);
    expect(stream.ids).toEqual([a.cursor, b.cursor]);
    stream.cancel();
  });

  it('resumes after Last-Event-ID through the `after` variable', async () => {
    const first = fixture.live.publish(21);
    fixture.live.publish(22);
    fixture.live.publish(23);
    const stream = await httpSubscribe(
      router.url,
      'sse',
      { query: 'subscription ($after: String) { ticks(after: $after) { cursor n } }' },
      { authorization: `Bearer ${bob}`, 'last-event-id': first.cursor },
    );
    const results = await stream.take(2);
    expect(results.map((r) => (r.data?.ticks as { n: number }).n)).toEqual([22, 23]);
    expect(fixture.live.subscribes.at(-1)!.variables).toEqual({ after: first.cursor });
    stream.cancel();
  });

  it("streams Apollo's multipart subscription protocol", async () => {
    const m = mark();
    const stream = await httpSubscribe(router.url, 'multipart', { query: TICKS }, { authorization: `Bearer ${bob}` });
    expect(stream.headers['content-type']).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    await whenSubscribed(m);
    fixture.live.publish(31);
    const [result] = await stream.take(1);
    expect(result).toEqual({
      data: { ticks: { n: 31, product: { id: '1', name: 'product 1', reviews: [{ body: 'review of 1' }] } } },
    });
    stream.cancel();
  });

  it('answers a refused subscribe with a plain JSON error and its status', async () => {
    const before = fixture.live.subscribes.length;
    const stream = await httpSubscribe(
      router.url,
      'sse',
      { query: 'subscription { operatorTicks { n } }' },
      {
        authorization: `Bearer ${alice}`,
      },
    );
    expect(stream.status).toBe(403);
    const [result] = await stream.take(1);
    expect(result!.errors![0]!.extensions!.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    expect(fixture.live.subscribes.length).toBe(before);
  });

  it('applies CSRF prevention: a simple-content-type request is refused', async () => {
    const stream = await httpSubscribe(
      router.url,
      'sse',
      { query: TICKS },
      {
        authorization: `Bearer ${bob}`,
        'content-type': 'text/plain',
      },
    );
    expect(stream.status).toBe(400);
    const [result] = await stream.take(1);
    expect(result!.errors![0]!.message).toMatch(/Cross-Site Request Forgery/);
  });

  it('still refuses a subscription over plain JSON POST, naming the transports to use', async () => {
    const res = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bob}` },
      body: JSON.stringify({ query: TICKS }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toMatch(/WebSocket.*text\/event-stream.*multipart/s);
  });
});
