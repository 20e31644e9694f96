import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDevToken } from '@dataos/devstack';
import type { Router } from '@dataos/router';
import {
  composeSupergraph,
  errorCodes,
  graphql,
  startTestSubgraph,
  tokenFor,
  writeSupergraphFile,
} from '@dataos/testkit';
import { REFUSAL_TTL_MS } from '../src/authz/decision-cache.js';
import { startFixture, startHeimdall, type Fixture } from './support/fixture.js';

const UNAUTHORIZED = 'UNAUTHORIZED_FIELD_OR_TYPE';

let fx: Fixture;
let router: Router;
let alice: string; // data developer: authenticated, scopes "openid profile email roles", not an operator
let bob: string; // operator: passes the test-operators policy

/** Heimdall lookups the router made, by result (hit, miss, anonymous). */
async function lookups(r: Router): Promise<Record<string, number>> {
  const metric = await r.metrics.decisions.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.result), v.value]));
}

beforeAll(async () => {
  // Heimdall verifies tokens without leeway here, so that a short-lived token really expires.
  process.env.OIDC_CLOCK_TOLERANCE_SEC = '0';
  fx = await startFixture();
  // No delayed forgetting after the fixture's policy change: the cache test counts exact lookups.
  router = await fx.router({ AUTHZ_POLICY_SETTLE_MS: '' });
  [alice, bob] = await Promise.all([tokenFor('alice'), tokenFor('bob')]);
});

afterAll(async () => {
  await fx?.stop();
});

describe('@authenticated', () => {
  it('answers a field to a caller with a valid token', async () => {
    const res = await graphql(router.url, '{ publicInfo me }', { token: alice });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ publicInfo: 'hello', me: 'me' });
  });

  it('gives null and UNAUTHORIZED_FIELD_OR_TYPE at the field to a caller without a token, and the rest', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ publicInfo me }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ publicInfo: 'hello', me: null });
    expect(res.errors).toEqual([
      { message: 'Unauthorized field or type', path: ['me'], extensions: { code: UNAUTHORIZED } },
    ]);
    // The subgraph was asked for what was allowed only.
    expect(fx.catalog.fetches.map((f) => f.query)).toEqual(['{publicInfo}']);
  });

  it('puts the error of a denied aliased field at its alias', async () => {
    const res = await graphql(
      router.url,
      '{ info: publicInfo mine: me again: me products(first: 1) { id cost: price } }',
    );
    expect(res.data).toEqual({ info: 'hello', mine: null, again: null, products: [{ id: '0', cost: null }] });
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['mine'], UNAUTHORIZED],
      [['again'], UNAUTHORIZED],
      [['products', '@', 'cost'], UNAUTHORIZED],
    ]);
  });

  it('asks no subgraph at all when nothing asked for is allowed', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ me }');
    expect(res.data).toEqual({ me: null });
    expect(errorCodes(res)).toEqual([UNAUTHORIZED]);
    expect(fx.catalog.fetches).toHaveLength(0);
  });

  it('propagates null from a removed non-null field to the nearest nullable parent', async () => {
    const res = await graphql(router.url, '{ publicInfo secretNonNull }');
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => e.path)).toEqual([['secretNonNull']]);
  });

  it('protects a type: every field returning it is removed, wherever it is', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ products(first: 2) { id name supplier { name } } }');
    expect(res.data).toEqual({
      products: [
        { id: '0', name: 'product 0', supplier: null },
        { id: '1', name: 'product 1', supplier: null },
      ],
    });
    expect(res.errors).toEqual([
      {
        message: 'Unauthorized field or type',
        path: ['products', '@', 'supplier'],
        extensions: { code: UNAUTHORIZED },
      },
    ]);
    expect(fx.catalog.fetchesMentioning('supplier')).toHaveLength(0);
  });

  it('refuses a token that has expired with 401, and never uses a cached decision past the token expiry', async () => {
    const short = (await fetchDevToken('alice', { ttlSec: 3 })).access_token;
    const before = await lookups(router);
    const first = await graphql(router.url, '{ me }', { token: short });
    expect(first.data).toEqual({ me: 'me' });
    const second = await graphql(router.url, '{ me }', { token: short });
    expect(second.data).toEqual({ me: 'me' });
    const during = await lookups(router);
    expect((during.miss ?? 0) - (before.miss ?? 0)).toBe(1); // one Heimdall call, then the cache
    expect((during.hit ?? 0) - (before.hit ?? 0)).toBe(1);
    const exp = JSON.parse(Buffer.from(short.split('.')[1]!, 'base64url').toString()).exp as number;
    await sleep(exp * 1000 - Date.now() + 1100);
    fx.resetFetches();
    const expired = await graphql(router.url, '{ publicInfo me }', { token: short });
    const at = new Date(exp * 1000).toISOString().replace('.000Z', 'Z');
    expectRefused(expired, 'expired', `it expired at ${at}`);
    // Not detected locally: the cached answer had died with the token, and Heimdall was asked again.
    const after = await lookups(router);
    expect((after.miss ?? 0) - (during.miss ?? 0)).toBe(1);
    expect(fx.catalog.fetches).toHaveLength(0);
  });

  it('refuses a tampered token with 401 invalid_signature: no partial data, no subgraph fetch', async () => {
    const [h, p, s] = alice.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), roles: ['operator'] })).toString('base64url')}.${s}`;
    fx.resetFetches();
    const res = await graphql(router.url, '{ publicInfo me operatorNote }', { token: forged });
    expectRefused(res, 'invalid_signature', 'its signature does not match its content');
    expect(fx.catalog.fetches).toHaveLength(0);
  });
});

/** A whole request refused for its token: 401, the RFC 6750 challenge, one UNAUTHENTICATED error, no data. */
function expectRefused(
  res: Awaited<ReturnType<typeof graphql>>,
  reason: string,
  says: string,
  challenge = 'invalid_token',
) {
  expect(res.status, JSON.stringify(res)).toBe(401);
  expect(res.data).toBeUndefined();
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0]).toEqual({
    message: expect.stringContaining(says),
    extensions: { code: 'UNAUTHENTICATED', reason },
  });
  if (challenge === 'invalid_token') expect(res.errors![0]!.message).toMatch(/^The access token is not valid: /);
  const header = res.headers.get('www-authenticate');
  if (challenge === '') {
    expect(header).toBe('Bearer');
  } else {
    expect(header?.startsWith(`Bearer error="${challenge}", error_description="`)).toBe(true);
    expect(header).toMatch(/^[^"]*"[^"]*", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]+"$/); // RFC 6750 quoted values
    expect(header).toContain(says.replace(/"/g, '?'));
  }
}

describe('a presented token that is not valid: 401 for the whole request', () => {
  it('refuses a token issued for another audience (wrong_audience)', async () => {
    // A Heimdall that trusts the same issuer for another audience: the dev issuer's token is not for it.
    const other = await startHeimdall({ OIDC_AUDIENCE: 'urn:dataos:another-api' });
    try {
      // The router's own token is for the supergraph's audience too, so this router asks as the
      // user (no credentials of its own): the user's token is what Heimdall judges here.
      const r = await fx.router({ ROUTER_CLIENT_ID: '', ROUTER_CLIENT_SECRET: '' }, { heimdallUrl: other.url });
      fx.resetFetches();
      const res = await graphql(r.url, '{ publicInfo me }', { token: alice });
      expectRefused(res, 'wrong_audience', "it was issued for the audience 'urn:dataos:supergraph', not for this API");
      expect(fx.catalog.fetches).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('refuses a token that is not a JWT at all (malformed)', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ publicInfo }', { token: 'garbage' });
    expectRefused(res, 'malformed', 'it is not a well-formed access token');
    expect(fx.catalog.fetches).toHaveLength(0);
  });

  it('refuses an Authorization header that is not "Bearer <token>", without asking Heimdall', async () => {
    const before = await lookups(router);
    fx.resetFetches();
    const basic = await graphql(router.url, '{ publicInfo }', { headers: { authorization: 'Basic x' } });
    // Another scheme gets the plain challenge (RFC 6750 §3: no error code).
    expectRefused(
      basic,
      'unsupported_scheme',
      "The Authorization header must be 'Bearer <access token>'; the 'Basic' scheme is not accepted.",
      '',
    );
    const bare = await graphql(router.url, '{ publicInfo }', { headers: { authorization: 'Bearer' } });
    expectRefused(bare, 'malformed_header', "no token follows 'Bearer'", 'invalid_request');
    const spaced = await graphql(router.url, '{ publicInfo }', { headers: { authorization: `Bearer ${alice} extra` } });
    expectRefused(spaced, 'malformed_header', 'the token has spaces in it', 'invalid_request');
    expect(await lookups(router)).toEqual(before);
    expect(fx.catalog.fetches).toHaveLength(0);
  });

  it('refuses introspection and __typename-only operations with an invalid token; without a token they answer', async () => {
    for (const query of [
      '{ __typename }',
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Product") { name } }',
    ]) {
      expectRefused(
        await graphql(router.url, query, { token: 'garbage' }),
        'malformed',
        'it is not a well-formed access token',
      );
      const open = await graphql(router.url, query);
      expect(open.status).toBe(200);
      expect(open.errors).toBeUndefined();
    }
    expect((await graphql(router.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('keeps a request without an Authorization header anonymous: public fields answer, protected ones are removed', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ publicInfo me }');
    expect(res.status).toBe(200);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(res.data).toEqual({ publicInfo: 'hello', me: null });
    expect(errorCodes(res)).toEqual([UNAUTHORIZED]);
    expect(fx.catalog.fetches.map((f) => f.query)).toEqual(['{publicInfo}']);
  });

  it('asks Heimdall once for a burst with one bad token, and again once the 1 s refusal has passed', async () => {
    const bad = `${alice.slice(0, -4)}AAAA`; // same claims, another signature
    const before = await lookups(router);
    for (let i = 0; i < 5; i++)
      expectRefused(await graphql(router.url, '{ me }', { token: bad }), 'invalid_signature', 'signature');
    const burst = await lookups(router);
    expect((burst.miss ?? 0) - (before.miss ?? 0)).toBe(1);
    expect((burst.hit ?? 0) - (before.hit ?? 0)).toBe(4);
    await sleep(REFUSAL_TTL_MS + 100);
    expectRefused(await graphql(router.url, '{ publicInfo }', { token: bad }), 'invalid_signature', 'signature');
    expect(((await lookups(router)).miss ?? 0) - (burst.miss ?? 0)).toBe(1);
  });

  it('judges credentials only on a supergraph with authorization directives (else a plain federation router)', async () => {
    expectRefused(
      await graphql(router.url, '{ publicInfo }', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      'unsupported_scheme',
      'Basic',
      '',
    );
    const plain = await startTestSubgraph({
      name: 'plain',
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hi' } },
    });
    const file = await writeSupergraphFile(
      composeSupergraph([{ name: 'plain', url: plain.url, typeDefs: 'type Query { hello: String }' }]),
    );
    try {
      const r = await fx.router({}, { supergraphPath: file.path, heimdallUrl: 'http://127.0.0.1:9/graphql' });
      const res = await graphql(r.url, '{ hello }', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ hello: 'hi' });
      expect(plain.fetches[0]?.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    } finally {
      await plain.stop();
      await file.remove();
    }
  });

  it('counts the refusals apart in router_requests_total and by reason', async () => {
    const r = await fx.router();
    await graphql(r.url, 'query Mine { me }', { token: 'garbage' });
    await graphql(r.url, 'query Mine { me }', { headers: { authorization: 'Basic x' } });
    await graphql(r.url, 'query Mine { me }');
    const requests = (await r.metrics.requests.get()).values.map((v) => [
      v.labels.operation,
      v.labels.outcome,
      v.value,
    ]);
    expect(requests).toEqual(
      expect.arrayContaining([
        ['Mine', 'unauthenticated', 2],
        ['Mine', 'partial', 1],
      ]),
    );
    const reasons = Object.fromEntries(
      (await r.metrics.tokenRefusals.get()).values.map((v) => [v.labels.reason, v.value]),
    );
    expect(reasons).toEqual({ malformed: 1, unsupported_scheme: 1 });
  });
});

describe('@requiresScopes', () => {
  it('answers when the token has every scope of one group', async () => {
    const res = await graphql(router.url, '{ emails }', { token: alice });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ emails: ['a@example.com'] });
  });

  it('removes the field for a token without the scope', async () => {
    const narrow = (await fetchDevToken('alice', { scope: 'openid profile' })).access_token;
    fx.resetFetches();
    const res = await graphql(router.url, '{ publicInfo emails }', { token: narrow });
    expect(res.data).toEqual({ publicInfo: 'hello', emails: null });
    expect(res.errors?.[0]).toMatchObject({ path: ['emails'], extensions: { code: UNAUTHORIZED } });
    expect(fx.catalog.fetchesMentioning('emails')).toHaveLength(0);
  });

  it('needs all scopes of a group (AND) and one group (OR)', async () => {
    // adminNote: [["admin:write"], ["email", "no-such-scope"]]: alice has "email" only.
    const res = await graphql(router.url, '{ adminNote }', { token: alice });
    expect(res.data).toEqual({ adminNote: null });
    expect(errorCodes(res)).toEqual([UNAUTHORIZED]);
  });
});

describe('@policy (Heimdall policies)', () => {
  it('answers to a caller the policy allows (bob, operator)', async () => {
    const res = await graphql(router.url, '{ operatorNote }', { token: bob });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ operatorNote: 'for operators' });
  });

  it('removes the field for a caller the policy does not allow (alice)', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ publicInfo operatorNote }', { token: alice });
    expect(res.data).toEqual({ publicInfo: 'hello', operatorNote: null });
    expect(res.errors).toEqual([
      {
        message: 'Unauthorized field or type',
        path: ['operatorNote'],
        // The @policy names Heimdall denied: why alice cannot see it.
        extensions: { code: UNAUTHORIZED, policy: { denied: ['test-operators'], decidedBy: 'heimdall' } },
      },
    ]);
    expect(fx.catalog.fetchesMentioning('operatorNote')).toHaveLength(0);
  });

  it('removes a protected field of another subgraph before planning: that subgraph is never asked', async () => {
    fx.resetFetches();
    const query = '{ products(first: 2) { id price reviews { body } rating } }';
    const denied = await graphql(router.url, query, { token: alice });
    expect(denied.data).toEqual({
      products: [
        { id: '0', price: 10, reviews: null, rating: 4.5 },
        { id: '1', price: 11, reviews: null, rating: 4.5 },
      ],
    });
    expect(denied.errors).toEqual([
      {
        message: 'Unauthorized field or type',
        path: ['products', '@', 'reviews'],
        extensions: { code: UNAUTHORIZED, policy: { denied: ['test-operators'], decidedBy: 'heimdall' } },
      },
    ]);
    expect(fx.reviews.fetches).toHaveLength(1);
    expect(fx.reviews.fetchesMentioning('reviews')).toHaveLength(0);

    fx.resetFetches();
    const allowed = await graphql(router.url, query, { token: bob });
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data).toEqual({
      products: [
        { id: '0', price: 10, reviews: [{ body: 'review of 0' }], rating: 4.5 },
        { id: '1', price: 11, reviews: [{ body: 'review of 1' }], rating: 4.5 },
      ],
    });
    expect(fx.reviews.fetchesMentioning('reviews')).toHaveLength(1);
  });

  it('never runs a mutation the caller may not run', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, 'mutation { setNote(text: "x") }', { token: alice });
    expect(res.data).toEqual({ setNote: null });
    expect(errorCodes(res)).toEqual([UNAUTHORIZED]);
    expect(fx.catalog.fetches).toHaveLength(0);
    const ok = await graphql(router.url, 'mutation { setNote(text: "x") }', { token: bob });
    expect(ok.data).toEqual({ setNote: 'x' });
  });

  it('asks Heimdall once per request for every policy the operation needs, then reuses the answer', async () => {
    const carol = await tokenFor('carol');
    const before = await lookups(router);
    await graphql(router.url, '{ operatorNote products(first: 1) { reviews { body } } items { title } }', {
      token: carol,
    });
    await graphql(router.url, '{ operatorNote }', { token: carol });
    const after = await lookups(router);
    expect((after.miss ?? 0) - (before.miss ?? 0)).toBe(1);
    expect((after.hit ?? 0) - (before.hit ?? 0)).toBe(1);
  });
});

describe('fragments, interfaces and paths', () => {
  it('finds protected fields in named and inline fragments, and answers in the order asked', async () => {
    const res = await graphql(
      router.url,
      'query Q { ...Root products(first: 1) { id ... on Product { price } ...P } } fragment Root on Query { me publicInfo } fragment P on Product { name reviews { body } }',
    );
    expect(res.data).toEqual({
      me: null,
      publicInfo: 'hello',
      products: [{ id: '0', price: null, name: 'product 0', reviews: null }],
    });
    expect(Object.keys(res.data!)).toEqual(['me', 'publicInfo', 'products']);
    expect(Object.keys((res.data!.products as object[])[0]!)).toEqual(['id', 'price', 'name', 'reviews']);
    expect(res.errors?.map((e) => e.path)).toEqual([['me'], ['products', '@', 'price'], ['products', '@', 'reviews']]);
  });

  it('applies a removal inside a type condition only to objects of that type', async () => {
    const res = await graphql(router.url, '{ items { id ... on Video { title } ... on Book { title } } }', {
      token: alice,
    });
    expect(res.data).toEqual({
      items: [
        { id: 'b1', title: 'a book' },
        { id: 'v1', title: null },
      ],
    });
    expect(res.errors?.map((e) => e.path)).toEqual([['items', '@', 'title']]);
  });

  it('protects an interface field when an implementation protects it', async () => {
    const denied = await graphql(router.url, '{ items { id title } }', { token: alice });
    expect(denied.data).toEqual({
      items: [
        { id: 'b1', title: null },
        { id: 'v1', title: null },
      ],
    });
    const allowed = await graphql(router.url, '{ items { id title } }', { token: bob });
    expect(allowed.data).toEqual({
      items: [
        { id: 'b1', title: 'a book' },
        { id: 'v1', title: 'a video' },
      ],
    });
  });

  it('keeps the selection valid when every field of it is removed', async () => {
    fx.resetFetches();
    const res = await graphql(router.url, '{ product(id: "1") { price supplier { id } } }');
    expect(res.data).toEqual({ product: { price: null, supplier: null } });
    expect(res.errors?.map((e) => e.path)).toEqual([
      ['product', 'price'],
      ['product', 'supplier'],
    ]);
    expect(fx.catalog.fetches).toHaveLength(1);
  });

  it('drops variables only removed fields used', async () => {
    fx.resetFetches();
    const res = await graphql(
      router.url,
      'query ($id: ID!) { publicInfo product(id: $id) { supplier { name } } secret: me }',
      {
        token: (await fetchDevToken('dave', { scope: 'openid' })).access_token,
        variables: { id: '1' },
      },
    );
    expect(res.data).toEqual({ publicInfo: 'hello', product: { supplier: { name: 'supplier 1' } }, secret: 'me' });
    const mutation = await graphql(router.url, 'mutation ($text: String!) { setNote(text: $text) }', {
      token: alice,
      variables: { text: 'x' },
    });
    expect(mutation.data).toEqual({ setNote: null });
    expect(mutation.errors?.map((e) => e.path)).toEqual([['setNote']]);
    expect(fx.catalog.fetchesMentioning('setNote')).toHaveLength(0);
  });

  it('gives neither null nor error for a removed field that @skip/@include leave out', async () => {
    const query =
      'query ($withMe: Boolean!, $skipNote: Boolean = true) { publicInfo me @include(if: $withMe) ... @skip(if: $skipNote) { operatorNote } }';
    const without = await graphql(router.url, query, { variables: { withMe: false } });
    expect(without.errors).toBeUndefined();
    expect(without.data).toEqual({ publicInfo: 'hello' });
    const withBoth = await graphql(router.url, query, { variables: { withMe: true, skipNote: false } });
    expect(withBoth.data).toEqual({ publicInfo: 'hello', me: null, operatorNote: null });
    expect(withBoth.errors?.map((e) => e.path)).toEqual([['me'], ['operatorNote']]);
  });

  it('does not filter __typename or introspection', async () => {
    const res = await graphql(router.url, '{ __typename me __type(name: "Product") { name } }');
    expect(res.data).toEqual({ __typename: 'Query', me: null, __type: { name: 'Product' } });
    expect(errorCodes(res)).toEqual([UNAUTHORIZED]);
  });
});

describe('AUTHZ_REJECT_UNAUTHORIZED=true', () => {
  it('refuses the whole operation with an error per unauthorized path and asks no subgraph', async () => {
    const strict = await fx.router({ AUTHZ_REJECT_UNAUTHORIZED: 'true' });
    fx.resetFetches();
    const res = await graphql(strict.url, '{ publicInfo me operatorNote }', { token: alice });
    expect(res.status).toBe(403);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['operatorNote'], UNAUTHORIZED]]);
    expect(fx.catalog.fetches).toHaveLength(0);
    const ok = await graphql(strict.url, '{ publicInfo me }', { token: alice });
    expect(ok.data).toEqual({ publicInfo: 'hello', me: 'me' });
  });
});

describe('Heimdall unreachable', () => {
  it('denies what is protected (fail closed) and answers the rest', async () => {
    const blind = await fx.router({}, { heimdallUrl: 'http://127.0.0.1:9/graphql', heimdallTimeoutMs: 500 });
    const res = await graphql(blind.url, '{ publicInfo me }', { token: alice });
    // Not a 401: the token could not be verified, which is not the caller's fault.
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ publicInfo: 'hello', me: null });
    expect(res.errors?.[0]).toMatchObject({ path: ['me'], extensions: { code: UNAUTHORIZED } });
    const open = await graphql(blind.url, '{ publicInfo }', { token: 'garbage' });
    expect(open.status).toBe(200);
    expect(open.data).toEqual({ publicInfo: 'hello' });
  });
});
