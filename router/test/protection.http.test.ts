import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { errorCodes, graphql } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

let fx: Fixture;
let router: Router;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

beforeAll(async () => {
  fx = await startFixture({ heimdall: false });
  router = await fx.router();
});

afterAll(async () => {
  await fx?.stop();
});

async function refused(r: Router, query: string, code: string, variables?: Record<string, unknown>) {
  fx.resetFetches();
  const res = await graphql(r.url, query, variables ? { variables } : {});
  expect(res.status).toBe(400);
  expect(res.data ?? null).toBeNull();
  expect(errorCodes(res)).toEqual([code]);
  expect(fx.catalog.fetches).toHaveLength(0);
  return res;
}

describe('operation limits: refused with a code, before any subgraph is asked', () => {
  it('MAX_DEPTH', async () => {
    const r = await fx.router({ MAX_DEPTH: '2' });
    expect((await graphql(r.url, '{ products { name } }')).errors).toBeUndefined();
    const res = await refused(r, '{ products { supplier { name } } }', 'MAX_DEPTH_EXCEEDED');
    expect(res.errors?.[0]?.extensions).toMatchObject({ limit: 2, actual: 3 });
    // Fragments count where they are spread.
    await refused(r, '{ products { ...S } } fragment S on Product { supplier { id } }', 'MAX_DEPTH_EXCEEDED');
  });

  it('MAX_ALIASES', async () => {
    const r = await fx.router({ MAX_ALIASES: '2' });
    expect((await graphql(r.url, '{ a: publicInfo b: publicInfo }')).errors).toBeUndefined();
    await refused(r, '{ a: publicInfo b: publicInfo c: publicInfo }', 'MAX_ALIASES_EXCEEDED');
  });

  it('MAX_ROOT_FIELDS', async () => {
    const r = await fx.router({ MAX_ROOT_FIELDS: '2' });
    expect((await graphql(r.url, '{ publicInfo slow }')).errors).toBeUndefined();
    await refused(r, '{ publicInfo slow items { id } }', 'MAX_ROOT_FIELDS_EXCEEDED');
  });

  it('MAX_COST, with list sizes from arguments, variables and argument defaults', async () => {
    const r = await fx.router({ MAX_COST: '50' });
    // products(first: Int = 3) { id name }: (1 + 2) x 3 = 9
    expect((await graphql(r.url, '{ products { id name } }')).errors).toBeUndefined();
    const res = await refused(r, '{ products(first: 100) { id } }', 'MAX_COST_EXCEEDED');
    expect(res.errors?.[0]?.extensions).toMatchObject({ limit: 50, actual: 200 });
    const query = 'query ($n: Int) { products(first: $n) { id } }';
    expect((await graphql(r.url, query, { variables: { n: 5 } })).errors).toBeUndefined();
    await refused(r, query, 'MAX_COST_EXCEEDED', { n: 30 });
  });

  it('has the documented defaults', async () => {
    // 16 levels deep through a self-nesting type does not exist here; the defaults come from config.
    const { configFromEnv } = await import('@dataos/router');
    const { limits } = configFromEnv({});
    expect(limits).toMatchObject({
      maxDepth: 15,
      maxAliases: 30,
      maxRootFields: 20,
      maxCost: 10_000,
      defaultListSize: 10,
      maxIntrospectionDepth: 20,
      maxTokens: 15_000,
    });
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: publicInfo`).join(' ');
    await refused(router, `{ ${aliases} }`, 'MAX_ALIASES_EXCEEDED');
    const roots = Array.from({ length: 21 }, (_, i) => `r${i}: publicInfo`).join(' ');
    const r = await fx.router({ MAX_ALIASES: '100' });
    await refused(r, `{ ${roots} }`, 'MAX_ROOT_FIELDS_EXCEEDED');
  });
});

describe('introspection counts toward the limits', () => {
  it('aliases and root fields of __schema / __type count; the standard introspection query runs', async () => {
    const full = await graphql(router.url, getIntrospectionQuery());
    expect(full.errors).toBeUndefined();
    expect((full.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(5);
    const copies = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: __schema { types { name } }`).join(' ');
    const res = await refused(router, `{ ${copies(31)} }`, 'MAX_ALIASES_EXCEEDED');
    expect(res.errors?.[0]?.extensions).toMatchObject({ limit: 30, actual: 31 });
    const r = await fx.router({ MAX_ALIASES: '100' });
    await refused(r, `{ ${copies(21)} }`, 'MAX_ROOT_FIELDS_EXCEEDED');
  });

  it('MAX_INTROSPECTION_DEPTH, and at most 3 list fields nested', async () => {
    const ofTypes = (n: number) => `${'ofType { '.repeat(n)}name${' }'.repeat(n)}`;
    const r = await fx.router({ MAX_INTROSPECTION_DEPTH: '6' });
    expect((await graphql(r.url, `{ __type(name: "Product") { ${ofTypes(4)} } }`)).errors).toBeUndefined();
    const deep = await refused(r, `{ __type(name: "Product") { ${ofTypes(5)} } }`, 'MAX_INTROSPECTION_DEPTH_EXCEEDED');
    expect(deep.errors?.[0]?.extensions).toMatchObject({ limit: 6, actual: 7 });
    // graphql-js's own rule counts fields, interfaces, possibleTypes and inputFields only; the router every list.
    const lists = await refused(
      router,
      '{ __schema { types { possibleTypes { interfaces { enumValues { name } } } } } }',
      'MAX_INTROSPECTION_DEPTH_EXCEEDED',
    );
    expect(lists.errors?.[0]?.extensions).toMatchObject({ limit: 3, actual: 4 });
  });

  it('MAX_TOKENS: a huge document is refused while parsing', async () => {
    const r = await fx.router({ MAX_TOKENS: '200' });
    expect((await graphql(r.url, '{ publicInfo }')).errors).toBeUndefined();
    fx.resetFetches();
    const res = await graphql(r.url, `{ ${Array.from({ length: 300 }, () => 'publicInfo').join(' ')} }`);
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(res.errors?.[0]?.message).toMatch(/200 tokens/);
    expect(fx.catalog.fetches).toHaveLength(0);
  });
});

describe('request body size', () => {
  it('answers 413 with a GraphQL error when the body is over MAX_BODY_SIZE', async () => {
    const r = await fx.router({ MAX_BODY_SIZE: '1kb' });
    fx.resetFetches();
    const res = await post(r.url, { query: `{ publicInfo } # ${'x'.repeat(2000)}` });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'The request body is larger than the limit of 1kb.',
          extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 1024 },
        },
      ],
    });
    expect(fx.catalog.fetches).toHaveLength(0);
    expect((await post(r.url, { query: '{ publicInfo }' })).body).toEqual({ data: { publicInfo: 'hello' } });
  });

  it('answers 400 with a GraphQL error for a body that is not JSON', async () => {
    const res = await post(router.url, '{ "query": ');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});

describe('automatic persisted queries (Apollo Server APQ)', () => {
  it('asks for the query once, then runs it by hash', async () => {
    const query = '{ publicInfo apq: publicInfo }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const miss = await post(router.url, { extensions });
    expect(miss.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await post(router.url, { query, extensions });
    expect(register.body).toEqual({ data: { publicInfo: 'hello', apq: 'hello' } });
    const hit = await post(router.url, { extensions });
    expect(hit.body).toEqual({ data: { publicInfo: 'hello', apq: 'hello' } });
  });
});

describe('trusted documents (TRUSTED_DOCUMENTS)', () => {
  it('runs listed operations only, by query or by hash, and refuses others without asking a subgraph', async () => {
    const listed = 'query Listed { publicInfo }';
    const manifest = join(fx.supergraph.dir, 'trusted.json');
    await writeFile(manifest, JSON.stringify({ [sha256(listed)]: listed }));
    const r = await fx.router({ TRUSTED_DOCUMENTS: manifest });
    expect((await post(r.url, { query: listed })).body).toEqual({ data: { publicInfo: 'hello' } });
    const byHash = await post(r.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(listed) } } });
    expect(byHash.body).toEqual({ data: { publicInfo: 'hello' } });
    fx.resetFetches();
    const other = await post(r.url, { query: '{ publicInfo slow }' });
    expect(other.status).toBe(400);
    expect(other.body).toEqual({
      errors: [
        {
          message: 'This operation is not in the list of trusted documents.',
          extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' },
        },
      ],
    });
    const unknownHash = await post(r.url, {
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ slow }') } },
    });
    expect(unknownHash.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const get = await fetch(`${r.url}?query=${encodeURIComponent('{ slow }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(400);
    expect(fx.catalog.fetches).toHaveLength(0);
  });

  it('runs a listed operation by hash alone with APQ=false (GET and POST)', async () => {
    const listed = 'query ListedNoApq { publicInfo }';
    const manifest = join(fx.supergraph.dir, 'trusted-no-apq.json');
    await writeFile(manifest, JSON.stringify({ [sha256(listed)]: listed }));
    const r = await fx.router({ TRUSTED_DOCUMENTS: manifest, APQ: 'false' });
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(listed) } };
    const byHash = await post(r.url, { extensions });
    expect(byHash.body).toEqual({ data: { publicInfo: 'hello' } });
    const get = await fetch(`${r.url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await get.json()).toEqual({ data: { publicInfo: 'hello' } });
    // The query sent with its hash runs too; an unlisted one is still refused.
    expect((await post(r.url, { query: listed, extensions })).body).toEqual({ data: { publicInfo: 'hello' } });
    const other = await post(r.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ slow }') } } });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('refuses to start on a manifest whose hashes do not match their queries', async () => {
    const manifest = join(fx.supergraph.dir, 'bad-trusted.json');
    await writeFile(manifest, JSON.stringify({ [sha256('{ a }')]: '{ b }' }));
    await expect(fx.router({ TRUSTED_DOCUMENTS: manifest })).rejects.toThrow(/does not match/);
  });
});

describe('exploration and browsers', () => {
  it('serves Apollo Sandbox on GET /graphql with Accept: text/html', async () => {
    const res = await fetch(router.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/sandbox/i);
  });

  it('answers introspection unless INTROSPECTION=false', async () => {
    const open = await graphql(router.url, '{ __schema { queryType { name } } }');
    expect(open.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const closed = await fx.router({ INTROSPECTION: 'false' });
    const res = await graphql(closed.url, '{ __schema { queryType { name } } }');
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await graphql(closed.url, '{ publicInfo }')).data).toEqual({ publicInfo: 'hello' });
  });

  it('lets Sandbox call it (CORS)', async () => {
    const res = await fetch(router.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://studio.apollographql.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://studio.apollographql.com');
    const other = await fetch(router.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses requests a browser could send cross-site without a preflight (CSRF prevention)', async () => {
    fx.resetFetches();
    const get = await fetch(`${router.url}?query=${encodeURIComponent('{ publicInfo }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/);
    const simplePost = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ publicInfo }' }),
    });
    expect(simplePost.status).toBe(400);
    expect(fx.catalog.fetches).toHaveLength(0);
    const preflighted = await fetch(`${router.url}?query=${encodeURIComponent('{ publicInfo }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await preflighted.json()).toEqual({ data: { publicInfo: 'hello' } });
  });
});
