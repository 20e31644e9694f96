import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDevToken } from '@dataos/devstack';
import type { Router } from '@dataos/router';
import { graphql, tokenFor } from '@dataos/testkit';
import { OPERATORS } from './support/fixture.js';
import { startLiveFixture, type LiveFixture } from './support/live-fixture.js';
import { httpSubscribe, wsClient } from './support/live-clients.js';

// The life of a subscription after subscribe: token expiry, policy revocation, slow clients,
// limits, a subgraph that restarts. The test subgraph never ends anything itself, so what ends
// here is the router's doing.

let fixture: LiveFixture;
let router: Router;
let bob: string;

beforeAll(async () => {
  fixture = await startLiveFixture();
  router = await fixture.router({
    SUBSCRIPTION_RECHECK_MS: '300',
    SUBSCRIPTIONS_PER_CONNECTION: '2',
    SUBSCRIPTIONS_PER_TOKEN: '3',
    SUBSCRIPTION_BUFFER_EVENTS: '5',
    SUBSCRIPTION_BUFFER_BYTES: '65536',
    MAX_DEPTH: '3',
  });
  bob = await tokenFor('bob');
}, 60_000);

afterAll(async () => {
  await fixture?.stop();
});

const mark = () => fixture.live.opened;
async function whenSubscribed(since: number) {
  for (let i = 0; i < 400 && fixture.live.opened <= since; i++) await new Promise((r) => setTimeout(r, 25));
  expect(fixture.live.opened).toBeGreaterThan(since);
}
async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check(), what).toBe(true);
}

describe('the life of a subscription', () => {
  it("ends when the token expires, on the router's own timer: UNAUTHENTICATED, close 4401, the subgraph's side closed", async () => {
    const short = (await fetchDevToken('bob', { ttlSec: 3 })).access_token;
    const m = mark();
    const client = wsClient(router.url, short);
    const received = client.subscribe('subscription { ticks { n } }');
    await whenSubscribed(m);
    fixture.live.publish(1);
    await received.take(1);
    const ended = await received.ended;
    expect((ended as { error: unknown[] }).error).toEqual([
      { message: 'The token expired.', extensions: { code: 'UNAUTHENTICATED', closeCode: 4401 } },
    ]);
    expect((await client.closed).code).toBe(4401);
    await until(() => router.openSubscriptions === 0, 'no subscription left open at the router');
  }, 20_000);

  it('ends an SSE stream on expiry the same way: the error as a last event, then complete', async () => {
    const short = (await fetchDevToken('bob', { ttlSec: 2 })).access_token;
    const stream = await httpSubscribe(
      router.url,
      'sse',
      { query: 'subscription { ticks { n } }' },
      { authorization: `Bearer ${short}` },
    );
    expect(await stream.ended).toEqual({ completed: true });
    expect(stream.raw()).toMatch(/event: complete\n/);
    expect(stream.results.at(-1)!.errors![0]).toMatchObject({
      message: 'The token expired.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }, 20_000);

  it('ends the subscriptions of too slow a client, its memory bounded', async () => {
    const m = mark();
    const stream = await httpSubscribe(
      router.url,
      'sse',
      { query: 'subscription { ticks { n padding(bytes: 200000) } }' },
      { authorization: `Bearer ${bob}` },
    );
    expect(stream.status).toBe(200);
    await whenSubscribed(m);
    stream.pause();
    const heap = process.memoryUsage().heapUsed;
    // 300 events of 200 KB: 60 MB if they were all kept.
    for (let n = 0; n < 300; n++) {
      fixture.live.publish(n);
      if (n % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => router.openSubscriptions === 0, 'the slow subscription ended');
    await until(() => fixture.live.active === 0, "the subgraph's side closed");
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(40 * 1024 * 1024);
    stream.cancel();
  }, 30_000);

  it('limits subscriptions per connection and per token', async () => {
    const first = wsClient(router.url, bob);
    const a = first.subscribe('subscription { ticks { n } }');
    const b = first.subscribe('subscription { ticks { n } }');
    const c = first.subscribe('subscription { ticks { n } }');
    const third = await c.ended;
    expect((third as { error: { extensions: { code: string; limit: number } }[] }).error[0]!.extensions).toMatchObject({
      code: 'SUBSCRIPTION_LIMIT_EXCEEDED',
      limit: 2,
    });
    await until(() => router.openSubscriptions === 2, 'two open');
    const second = wsClient(router.url, bob);
    const d = second.subscribe('subscription { ticks { n } }');
    const e = second.subscribe('subscription { ticks { n } }');
    const fifth = await e.ended.then((x) => x);
    expect((fifth as { error: { extensions: { limit: number } }[] }).error[0]!.extensions.limit).toBe(3);
    for (const s of [a, b, d]) s.cancel();
    await Promise.all([first.dispose(), second.dispose()]);
    await until(() => router.openSubscriptions === 0, 'all closed');
  });

  it('applies the operation limits of queries (the operation walker)', async () => {
    const client = wsClient(router.url, bob);
    const ended = await client.subscribe('subscription { ticks { product { supplier { name } } } }').ended;
    expect((ended as { error: { extensions: { code: string } }[] }).error[0]!.extensions.code).toBe(
      'MAX_DEPTH_EXCEEDED',
    );
    await client.dispose();
  });

  it("resumes after the subgraph's connection drops, from the last cursor", async () => {
    const m = mark();
    const client = wsClient(router.url, bob);
    const received = client.subscribe('subscription ($after: String) { ticks(after: $after) { cursor n } }');
    await whenSubscribed(m);
    const last = fixture.live.publish(41);
    await received.take(1);
    const again = mark();
    fixture.live.dropConnections(1012, 'Service Restart');
    await whenSubscribed(again);
    expect(fixture.live.subscribes.at(-1)!.variables).toEqual({ after: last.cursor });
    fixture.live.publish(42);
    const results = await received.take(2);
    expect(results.map((r) => (r.data?.ticks as { n: number }).n)).toEqual([41, 42]);
    received.cancel();
    await client.dispose();
  });

  it('lets a client resume on another router after a router restart, from its Last-Event-ID', async () => {
    const query = 'subscription ($after: String) { ticks(after: $after) { cursor n } }';
    const first = await fixture.router();
    const m = mark();
    const stream = await httpSubscribe(first.url, 'sse', { query }, { authorization: `Bearer ${bob}` });
    await whenSubscribed(m);
    fixture.live.publish(61);
    await stream.take(1);
    const lastEventId = stream.ids.at(-1)!;
    await first.stop();
    await stream.ended;
    // The router said why it ended, and that it may be retried.
    expect(stream.results.at(-1)!.errors![0]!.extensions).toMatchObject({ code: 'SHUTTING_DOWN', retryable: true });
    fixture.live.publish(62);
    fixture.live.publish(63);
    const resumed = await httpSubscribe(
      router.url,
      'sse',
      { query },
      {
        authorization: `Bearer ${bob}`,
        'last-event-id': lastEventId,
      },
    );
    const results = await resumed.take(2);
    expect(results.map((r) => (r.data?.ticks as { n: number }).n)).toEqual([62, 63]);
    resumed.cancel();
  });

  it("ends when a policy change revokes access: on Heimdall's policyChanges, or the re-check timer", async () => {
    // This router has no re-check timer: only Heimdall's policyChanges can tell it.
    const watching = await fixture.router({ SUBSCRIPTION_RECHECK_MS: '0' });
    const m = mark();
    const client = wsClient(router.url, bob);
    const received = client.subscribe('subscription { operatorTicks { n } }');
    const other = wsClient(watching.url, bob);
    const watched = other.subscribe('subscription { operatorTicks { n } }');
    await whenSubscribed(m + 1);
    fixture.live.publish(51);
    await received.take(1);
    await watched.take(1);
    const carol = await tokenFor('carol');
    const deleted = await graphql(fixture.heimdall.url, `mutation { deletePolicy(name: "${OPERATORS}") { name } }`, {
      token: carol,
    });
    expect(deleted.errors).toBeUndefined();
    for (const ended of await Promise.all([received.ended, watched.ended])) {
      expect((ended as { error: { message: string; extensions: { code: string } }[] }).error[0]).toMatchObject({
        message: expect.stringContaining('operatorTicks was revoked'),
        extensions: { code: 'FORBIDDEN', closeCode: 4403 },
      });
    }
    // The connections stay for their other subscriptions; the subgraph's side is closed.
    await until(() => fixture.live.active === 0, "the subgraph's side closed");
    await Promise.all([client.dispose(), other.dispose()]);
  }, 20_000);
});
