import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { errorCodes, graphql } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

// Documents an anonymous caller can send to stop a router that expands before it measures.
// Each is refused with its own code, nothing is fetched, and the router keeps answering.

let fx: Fixture;
let router: Router;

beforeAll(async () => {
  fx = await startFixture({ heimdall: false });
  router = await fx.router();
});

afterAll(async () => {
  await fx?.stop();
});

/** `fragment F<i> on Query { ...F<i-1> ...F<i-1> }`: 2^levels selections from a document of a few hundred bytes. */
function fragmentChain(levels: number, leaf = '__typename'): string {
  let doc = `fragment F0 on Query { ${leaf} }\n`;
  for (let i = 1; i <= levels; i++) doc += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
  return `${doc}query { ...F${levels} }`;
}

async function refusedWith(query: string, code: string, variables?: Record<string, unknown>) {
  fx.resetFetches();
  const heapBefore = process.memoryUsage().heapUsed;
  const res = await graphql(router.url, query, variables ? { variables } : {});
  expect(res.status).toBe(400);
  expect(res.data ?? null).toBeNull();
  expect(errorCodes(res)).toEqual([code]);
  expect(fx.catalog.fetches).toHaveLength(0);
  // The router runs in this process: its heap must not have taken in an expansion.
  expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  return res;
}

describe('hostile documents are refused before anything expands them', () => {
  it.each([20, 30, 64])(
    'a chain of %i fragments, each spreading the previous twice: MAX_SELECTIONS_EXCEEDED',
    async (levels) => {
      const res = await refusedWith(fragmentChain(levels), 'MAX_SELECTIONS_EXCEEDED');
      expect(res.errors?.[0]?.message).toMatch(
        /expands to \d.* selections once its fragments are spread; at most 10000/,
      );
      expect(res.errors?.[0]?.extensions).toMatchObject({ limit: 10_000 });
      expect((await graphql(router.url, '{ publicInfo }')).data).toEqual({ publicInfo: 'hello' });
    },
  );

  it('a chain of fields under list fields is refused by its cost, also without a token', async () => {
    await refusedWith(fragmentChain(14, 'products { name }'), 'MAX_SELECTIONS_EXCEEDED');
    await refusedWith(fragmentChain(11, 'products { name }'), 'MAX_COST_EXCEEDED');
  });

  it('a fragment cycle fails validation', async () => {
    const res = await graphql(router.url, 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }');
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('10,000 aliases: MAX_TOKENS refuses it while parsing, a smaller one MAX_ALIASES', async () => {
    const many = `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const res = await graphql(router.url, many);
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(res.errors?.[0]?.message).toMatch(/more tha[nt] 15000 tokens/);
    await refusedWith(
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
      'MAX_ALIASES_EXCEEDED',
    );
  });

  it('deep nesting: MAX_INTROSPECTION_DEPTH_EXCEEDED for introspection, MAX_DEPTH_EXCEEDED for data', async () => {
    const deep = `{ __type(name: "Query") { fields { type { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } } } }`;
    await refusedWith(deep, 'MAX_INTROSPECTION_DEPTH_EXCEEDED');
    const shallow = await fx.router({ MAX_DEPTH: '2' });
    fx.resetFetches();
    const res = await graphql(shallow.url, '{ product(id: 1) { supplier { name } } }');
    expect(errorCodes(res)).toEqual(['MAX_DEPTH_EXCEEDED']);
    expect(fx.catalog.fetches).toHaveLength(0);
  });

  it('huge variable lists: what the operation does not declare is ignored, and the body limit bounds the rest', async () => {
    const variables = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`v${i}`, i]));
    const res = await graphql(router.url, '{ publicInfo }', { variables });
    expect(res.data).toEqual({ publicInfo: 'hello' });
    const big = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ publicInfo }',
        variables: { list: Array.from({ length: 300_000 }, (_, i) => i) },
      }),
    });
    expect(big.status).toBe(413);
  });

  it('1,000 directives on one field fail validation without reaching a subgraph', async () => {
    fx.resetFetches();
    const res = await graphql(
      router.url,
      `{ publicInfo ${Array.from({ length: 1000 }, (_, i) => `@d${i}`).join(' ')} }`,
    );
    expect(res.status).toBe(400);
    expect(errorCodes(res)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
    // Validation stops at ten errors (and says so) instead of building a thousand.
    expect(res.errors!.length).toBeLessThanOrEqual(11);
    expect(res.errors!.at(-1)?.message).toMatch(/error limit reached/i);
    expect(fx.catalog.fetches).toHaveLength(0);
  });

  it('a subscription gets 400 SUBSCRIPTION_NOT_SUPPORTED, not a 500', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, 'subscription { publicInfo }');
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['SUBSCRIPTION_NOT_SUPPORTED']);
    expect(res.errors?.[0]?.message).toMatch(/subscriptions/);
    expect(fx.catalog.fetches).toHaveLength(0);
  });
});
