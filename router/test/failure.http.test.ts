import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { graphql, tokenFor } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

let fx: Fixture;
let router: Router;

interface Health {
  status: string;
  missing: string[];
  subgraphs: { name: string; ok: boolean; error?: string }[];
  heimdall?: { ok: boolean };
}

async function health(r: Router): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${r.adminUrl}/health`);
  return { status: res.status, body: (await res.json()) as Health };
}

beforeAll(async () => {
  fx = await startFixture();
  router = await fx.router({ SUBGRAPH_TIMEOUT_MS: '5000', ADMIN_PORT: '0', HEALTH_CACHE_MS: '0' });
});

afterEach(() => {
  Object.assign(fx.catalog.behaviour, { delayMs: 0, answer: 'graphql' });
  Object.assign(fx.reviews.behaviour, { delayMs: 0, answer: 'graphql' });
});

afterAll(async () => {
  await fx?.stop();
});

type Json = Record<string, unknown>;

/** A proxy in front of a test subgraph that rewrites its (valid JSON) answers with `rewrite`. */
async function rewritingProxy(target: string, rewrite: { current: (body: Json) => Json }) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        },
        body: Buffer.concat(chunks),
      })
        .then(async (answer) => {
          const body = rewrite.current((await answer.json()) as Json);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('a subgraph that fails', () => {
  it('is ready when Heimdall and every subgraph answer', async () => {
    const { status, body } = await health(router);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', missing: [], heimdall: { ok: true } });
    expect(body.subgraphs.map((s) => s.name).sort()).toEqual(['catalog', 'reviews']);
  });

  it('slow: the fetch gives up after its subgraph timeout; the rest answers', async () => {
    const r = await fx.router({ SUBGRAPH_TIMEOUT_MS: '5000', SUBGRAPH_REVIEWS_TIMEOUT_MS: '300' });
    fx.reviews.behaviour.delayMs = 3000;
    const started = Date.now();
    const res = await graphql(r.url, '{ products(first: 2) { id name rating } }');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(res.data).toEqual({
      products: [
        { id: '0', name: 'product 0', rating: null },
        { id: '1', name: 'product 1', rating: null },
      ],
    });
    expect(res.errors).toEqual([
      {
        message: 'Subgraph "reviews" did not answer within 300 ms.',
        path: ['products', '@'],
        extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'reviews' },
      },
    ]);
  });

  it('slow root fetch: errors at each root field it was to answer', async () => {
    const r = await fx.router({ SUBGRAPH_TIMEOUT_MS: '300' });
    fx.catalog.behaviour.delayMs = 3000;
    const res = await graphql(r.url, '{ publicInfo slow }');
    expect(res.data).toEqual({ publicInfo: null, slow: null });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['publicInfo'], 'SUBGRAPH_TIMEOUT'],
      [['slow'], 'SUBGRAPH_TIMEOUT'],
    ]);
  });

  it('garbage: an answer that is not GraphQL is an error at the affected paths', async () => {
    fx.reviews.behaviour.answer = 'garbage';
    const res = await graphql(router.url, '{ products(first: 1) { id rating } }');
    expect(res.data).toEqual({ products: [{ id: '0', rating: null }] });
    expect(res.errors).toEqual([
      {
        message: 'Subgraph "reviews" answered something that is not a GraphQL response.',
        path: ['products', '@'],
        extensions: { code: 'SUBGRAPH_INVALID_RESPONSE', serviceName: 'reviews' },
      },
    ]);
  });

  it('HTTP error without a GraphQL body', async () => {
    fx.catalog.behaviour.answer = 'http500';
    const res = await graphql(router.url, '{ publicInfo }');
    expect(res.data).toEqual({ publicInfo: null });
    expect(res.errors?.[0]).toMatchObject({
      path: ['publicInfo'],
      extensions: { code: 'SUBGRAPH_HTTP_ERROR', status: 500, serviceName: 'catalog' },
    });
    expect(JSON.stringify(res)).not.toContain('127.0.0.1');
  });

  it('wrong-shaped JSON: null at the affected path with SUBGRAPH_INVALID_RESPONSE, the rest of the data kept', async () => {
    const rewrite = { current: (body: Json) => body };
    const catalogProxy = await rewritingProxy(fx.catalog.url, rewrite);
    const reviewsRewrite = { current: (body: Json) => body };
    const reviewsProxy = await rewritingProxy(fx.reviews.url, reviewsRewrite);
    try {
      const r = await fx.router({ SUBGRAPH_CATALOG_URL: catalogProxy.url, SUBGRAPH_REVIEWS_URL: reviewsProxy.url });
      // A number where an object is expected.
      rewrite.current = (body) => ({ data: { ...(body.data as Json), product: 42 } });
      const object = await graphql(r.url, '{ publicInfo product(id: 1) { id name } }');
      expect(object.data).toEqual({ publicInfo: 'hello', product: null });
      expect(object.errors).toEqual([
        {
          message:
            'Subgraph "catalog" answered a number for field Query.product, where an object of type Product was expected.',
          path: ['product'],
          extensions: { code: 'SUBGRAPH_INVALID_RESPONSE', serviceName: 'catalog' },
        },
      ]);
      rewrite.current = (body) => body;

      // A string where a list is expected, in an entity fetch: only that entity's field is null.
      reviewsRewrite.current = (body) => {
        const entities = (body.data as { _entities: Json[] })._entities;
        entities[1] = { ...entities[1], reviews: 'not a list' };
        return body;
      };
      const list = await graphql(r.url, '{ products(first: 2) { id reviews { body } } }', {
        token: await tokenFor('bob'),
      });
      expect(list.data).toEqual({
        products: [
          { id: '0', reviews: [{ body: 'review of 0' }] },
          { id: '1', reviews: null },
        ],
      });
      expect(list.errors).toMatchObject([
        { path: ['products', 1, 'reviews'], extensions: { code: 'SUBGRAPH_INVALID_RESPONSE', serviceName: 'reviews' } },
      ]);

      // `_entities` that is not a list, or has too few items: the entity fields are null, the rest stays.
      for (const entities of ['nope', [{ __typename: 'Product', rating: 1 }]]) {
        reviewsRewrite.current = () => ({ data: { _entities: entities } });
        const res = await graphql(r.url, '{ products(first: 2) { id name rating } }');
        expect(res.data).toEqual({
          products: [
            { id: '0', name: 'product 0', rating: null },
            { id: '1', name: 'product 1', rating: null },
          ],
        });
        expect(res.errors).toMatchObject([
          { path: ['products', '@'], extensions: { code: 'SUBGRAPH_INVALID_RESPONSE', serviceName: 'reviews' } },
        ]);
      }
    } finally {
      await catalogProxy.stop();
      await reviewsProxy.stop();
    }
  });

  it('too large: an answer over SUBGRAPH_MAX_RESPONSE_BYTES is an error at the paths it was to fill', async () => {
    const r = await fx.router({ SUBGRAPH_MAX_RESPONSE_BYTES: '100' });
    expect((await graphql(r.url, '{ publicInfo }')).data).toEqual({ publicInfo: 'hello' });
    const query = `{ ${[1, 2, 3, 4].map((i) => `p${i}: product(id: ${i}) { id name }`).join(' ')} }`;
    const res = await graphql(r.url, query);
    expect(res.data).toEqual({ p1: null, p2: null, p3: null, p4: null });
    expect(res.errors?.[0]).toEqual({
      message: 'Subgraph "catalog" answered more than 100 bytes.',
      path: ['p1'],
      extensions: { code: 'SUBGRAPH_RESPONSE_TOO_LARGE', limitBytes: 100, serviceName: 'catalog' },
    });
    expect(res.errors).toHaveLength(4);
    // The default router reads it.
    expect((await graphql(router.url, query)).errors).toBeUndefined();
  });

  it('down: partial data and an error at the paths it was to fill; the router stays up and /health names it', async () => {
    await fx.reviews.stop();
    const res = await graphql(router.url, '{ products(first: 2) { id rating } }');
    expect(res.data).toEqual({
      products: [
        { id: '0', rating: null },
        { id: '1', rating: null },
      ],
    });
    expect(res.errors).toEqual([
      {
        message: 'Subgraph "reviews" could not be reached.',
        path: ['products', '@'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', reason: 'ECONNREFUSED', serviceName: 'reviews' },
      },
    ]);
    expect((await graphql(router.url, '{ publicInfo }')).data).toEqual({ publicInfo: 'hello' });
    const { status, body } = await health(router);
    expect(status).toBe(503);
    expect(body.status).toBe('degraded');
    expect(body.missing).toEqual(['reviews']);
    expect(body.subgraphs.find((s) => s.name === 'reviews')).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
  });

  it('/health names Heimdall when it does not answer and the supergraph needs it', async () => {
    const blind = await fx.router({ ADMIN_PORT: '0' }, { heimdallUrl: 'http://127.0.0.1:9/graphql' });
    const { status, body } = await health(blind);
    expect(status).toBe(503);
    expect(body.missing).toContain('heimdall');
  });
});
