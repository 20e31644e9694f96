import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { graphql } from '@dataos/testkit';
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
  const res = await fetch(r.url.replace('/graphql', '/health'));
  return { status: res.status, body: (await res.json()) as Health };
}

beforeAll(async () => {
  fx = await startFixture();
  router = await fx.router({ SUBGRAPH_TIMEOUT_MS: '5000' });
});

afterEach(() => {
  Object.assign(fx.catalog.behaviour, { delayMs: 0, answer: 'graphql' });
  Object.assign(fx.reviews.behaviour, { delayMs: 0, answer: 'graphql' });
});

afterAll(async () => {
  await fx?.stop();
});

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
    expect(res.data).toEqual({ products: [{ id: '0', name: 'product 0', rating: null }, { id: '1', name: 'product 1', rating: null }] });
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
    expect(res.errors?.[0]).toMatchObject({ path: ['publicInfo'], extensions: { code: 'SUBGRAPH_HTTP_ERROR', status: 500, serviceName: 'catalog' } });
    expect(JSON.stringify(res)).not.toContain('127.0.0.1');
  });

  it('down: partial data and an error at the paths it was to fill; the router stays up and /health names it', async () => {
    await fx.reviews.stop();
    const res = await graphql(router.url, '{ products(first: 2) { id rating } }');
    expect(res.data).toEqual({ products: [{ id: '0', rating: null }, { id: '1', rating: null }] });
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
    const blind = await fx.router({}, { heimdallUrl: 'http://127.0.0.1:9/graphql' });
    const { status, body } = await health(blind);
    expect(status).toBe(503);
    expect(body.missing).toContain('heimdall');
  });
});
