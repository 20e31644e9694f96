import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { graphql, tokenFor } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

let fx: Fixture;
let router: Router;

const CLIENT_TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const NOISE = {
  cookie: 'session=secret',
  'x-custom': 'custom value',
  'x-forwarded-for': '10.0.0.1',
  'user-agent': 'test-client/1.0',
  'accept-language': 'fr',
};
/** What any HTTP request to a subgraph carries on its own. */
const TRANSPORT = ['host', 'connection', 'content-type', 'content-length', 'accept'];

beforeAll(async () => {
  fx = await startFixture();
  router = await fx.router();
});

afterAll(async () => {
  await fx?.stop();
});

describe('what a subgraph receives', () => {
  it('the Authorization header, the request id and W3C trace context, and no other client header', async () => {
    const token = await tokenFor('bob');
    fx.resetFetches();
    const res = await graphql(router.url, '{ products(first: 1) { id rating } }', {
      token,
      headers: { 'x-request-id': 'req-123', traceparent: CLIENT_TRACE, tracestate: 'vendor=abc,other=1', ...NOISE },
    });
    expect(res.errors).toBeUndefined();
    expect(res.headers.get('x-request-id')).toBe('req-123');
    const fetches = [...fx.catalog.fetches, ...fx.reviews.fetches];
    expect(fetches).toHaveLength(2);
    for (const { headers } of fetches) {
      expect(headers.authorization).toBe(`Bearer ${token}`);
      expect(headers['x-request-id']).toBe('req-123');
      // Same trace, a span of the router's own.
      expect(headers.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
      expect(headers.traceparent).not.toBe(CLIENT_TRACE);
      expect(headers.tracestate).toBe('vendor=abc,other=1');
      expect(Object.keys(headers).sort()).toEqual(
        [...TRANSPORT, 'authorization', 'traceparent', 'tracestate', 'x-request-id'].sort(),
      );
    }
    // Each fetch is a span of its own.
    expect(new Set(fetches.map((f) => f.headers.traceparent)).size).toBe(2);
  });

  it('starts a new trace for an all-zero trace id', async () => {
    fx.resetFetches();
    await graphql(router.url, '{ publicInfo }', {
      headers: { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` },
    });
    const [fetch] = fx.catalog.fetches;
    expect(fetch!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(fetch!.headers.traceparent!.slice(3, 35)).not.toBe('0'.repeat(32));
  });

  it('a new request id and trace when the client sends none (or a malformed one)', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ publicInfo }', {
      headers: { 'x-request-id': 'bad id with spaces', traceparent: 'garbage' },
    });
    const [fetch] = fx.catalog.fetches;
    expect(fetch!.headers.authorization).toBeUndefined();
    expect(fetch!.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-request-id')).toBe(fetch!.headers['x-request-id']);
    expect(fetch!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('the headers FORWARD_HEADERS lists, too', async () => {
    const r = await fx.router({ FORWARD_HEADERS: 'X-Custom, accept-language' });
    fx.resetFetches();
    await graphql(r.url, '{ publicInfo }', { headers: NOISE });
    const [fetch] = fx.catalog.fetches;
    expect(fetch!.headers['x-custom']).toBe('custom value');
    expect(fetch!.headers['accept-language']).toBe('fr');
    expect(fetch!.headers.cookie).toBeUndefined();
    expect(fetch!.headers['user-agent']).toBeUndefined();
  });

  it('one kept-alive connection per subgraph for sequential requests', async () => {
    fx.resetFetches();
    for (let i = 0; i < 5; i++) await graphql(router.url, '{ publicInfo }');
    expect(fx.catalog.fetches.map((f) => f.headers.connection)).toEqual(Array(5).fill('keep-alive'));
    expect(new Set(fx.catalog.fetches.map((f) => f.remotePort)).size).toBe(1);
  });
});

describe('identical fetches in flight', () => {
  const burst = (url: string, query: string, tokens: (string | undefined)[]) =>
    Promise.all(tokens.map((token) => graphql(url, query, token ? { token } : {})));

  it('share one subgraph fetch when they are the same query for the same token', async () => {
    const [alice, bob] = await Promise.all([tokenFor('alice'), tokenFor('bob')]);
    fx.catalog.behaviour.delayMs = 300;
    try {
      fx.resetFetches();
      const same = await burst(router.url, '{ slow }', [alice, alice, alice, alice, alice]);
      expect(same.map((r) => r.data)).toEqual(Array(5).fill({ slow: 'slow' }));
      expect(fx.catalog.fetches).toHaveLength(1);

      fx.resetFetches();
      await burst(router.url, '{ slow }', [alice, bob, undefined, alice, bob]);
      expect(fx.catalog.fetches.map((f) => f.headers.authorization ?? '').sort()).toEqual(
        ['', `Bearer ${alice}`, `Bearer ${bob}`].sort(),
      );

      fx.resetFetches();
      const writes = await burst(router.url, 'mutation { setNote(text: "x") }', [bob, bob, bob]);
      expect(writes.map((r) => r.data)).toEqual(Array(3).fill({ setNote: 'x' }));
      expect(fx.catalog.fetches).toHaveLength(3); // mutations are never shared

      const separate = await fx.router({ SUBGRAPH_DEDUPLICATION: 'false' });
      fx.resetFetches();
      await burst(separate.url, '{ slow }', [alice, alice, alice]);
      expect(fx.catalog.fetches).toHaveLength(3);
    } finally {
      fx.catalog.behaviour.delayMs = 0;
    }
  });
});
