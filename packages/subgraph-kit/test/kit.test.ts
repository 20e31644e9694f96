import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenVerifier } from '@dataos/auth';
import { fetchDevToken, startIssuer, type RunningIssuer } from '@dataos/devstack';
import { badUserInput } from '@dataos/errors';
import { errorCodes, graphql, tokenFor } from '@dataos/testkit';
import { createSubgraph, requirePrincipal, type BaseContext, type RunningSubgraph } from '../src/index.js';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@listSize"])
  type Query { me: String! echo(n: Int!): Int! broken: String things: [Thing!]! manyThings: [Thing!]! @listSize(assumedSize: 6000) }
  type Thing @key(fields: "id") { id: ID! }
`);

let healthy = true;
let running: RunningSubgraph;
let other: RunningIssuer;
beforeAll(async () => {
  // A second trusted issuer that mints tokens for another audience.
  other = await startIssuer({
    port: 0,
    audience: 'urn:other',
    keyFile: join(mkdtempSync(join(tmpdir(), 'oidc-')), 'jwks.json'),
  });
  const audience = process.env.OIDC_AUDIENCE!;
  const verifier = new TokenVerifier(
    [
      { issuer: process.env.OIDC_ISSUER!, audience },
      { issuer: other.issuer, audience },
    ],
    { allowInsecureIssuers: true, clockToleranceSec: 0 },
  );
  const subgraph = await createSubgraph<BaseContext>({
    name: 'kit-test',
    verifier,
    typeDefs,
    resolvers: {
      Query: {
        me: (_: unknown, __: unknown, ctx: BaseContext) => requirePrincipal(ctx).id,
        echo: (_: unknown, { n }: { n: number }) => {
          if (n < 0) throw badUserInput('n must not be negative.', { field: 'n' });
          return n;
        },
        broken: () => {
          throw new Error('connection string with password=hunter2 leaked');
        },
        things: () => [{ id: 't1' }],
        manyThings: () => [{ id: 't1' }],
      },
    },
    health: async () => {
      if (!healthy) throw new Error('store down');
    },
  });
  running = await subgraph.listen(0);
});
afterAll(async () => {
  await running.stop();
  await other.stop();
});

describe('subgraph kit', () => {
  it('answers a caller with a valid token from the dev issuer', async () => {
    const res = await graphql(running.url, '{ me }', { token: await tokenFor('alice') });
    expect(res.data).toEqual({ me: 'users:id:alice' });
  });

  it('refuses data without a token, but keeps introspection and _service open for tools', async () => {
    const res = await graphql(running.url, '{ me }');
    expect(res.data ?? null).toBeNull();
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    const sdl = await graphql<{ _service: { sdl: string } }>(running.url, '{ _service { sdl } }');
    expect(sdl.data?._service.sdl).toContain('type Thing');
    const intro = await graphql(running.url, '{ __schema { queryType { name } } }');
    expect(intro.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses an expired token with 401 and the reason', async () => {
    const { access_token } = await fetchDevToken('alice', { ttlSec: 1 });
    await sleep(2100);
    const res = await graphql(running.url, '{ me }', { token: access_token });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.errors?.[0]?.extensions?.reason).toBe('expired');
  });

  it('refuses a forged token', async () => {
    const [header, payload, signature] = (await tokenFor('dave')).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as object;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url')}.${signature}`;
    const res = await graphql(running.url, '{ me }', { token: forged });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid_signature' });
  });

  it('refuses a token a trusted issuer minted for another audience', async () => {
    const { access_token } = await fetchDevToken('alice', { issuer: other.issuer, audience: 'urn:other' });
    const res = await graphql(running.url, '{ me }', { token: access_token });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'wrong_audience' });
  });

  it('gives validation errors a code and a field, without a stack trace', async () => {
    const res = await graphql(running.url, '{ echo(n: -1) }', { token: await tokenFor('alice') });
    expect(res.errors?.[0]).toMatchObject({
      message: 'n must not be negative.',
      path: ['echo'],
      extensions: { code: 'BAD_USER_INPUT', field: 'n' },
    });
    expect(JSON.stringify(res.errors)).not.toContain('stacktrace');
  });

  it('hides the message of unexpected errors', async () => {
    const res = await graphql(running.url, '{ broken }', { token: await tokenFor('alice') });
    expect(res.errors?.[0]?.message).toBe('Internal server error.');
    expect(errorCodes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(res)).not.toContain('hunter2');
  });

  it('echoes a valid request id and makes one up otherwise', async () => {
    const token = await tokenFor('alice');
    const given = await graphql(running.url, '{ me }', { token, headers: { 'x-request-id': 'req-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-123');
    const made = await graphql(running.url, '{ me }', { token, headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports its store in /health', async () => {
    const healthUrl = running.url.replace('/graphql', '/health');
    expect((await fetch(healthUrl)).status).toBe(200);
    healthy = false;
    const down = await fetch(healthUrl);
    healthy = true;
    expect(down.status).toBe(503);
    const body = await down.text();
    expect(JSON.parse(body)).toEqual({ status: 'unavailable', service: 'kit-test' });
    expect(body).not.toContain('store down');
  });
});

/** Nothing a refusal says may show how the service is built or where it runs. */
function expectNothingInternal(text: string) {
  expect(text).not.toMatch(/<html|<pre|node_modules|\/work\/|\s+at [\w.<>]+ \(|stacktrace/i);
}

describe('each subgraph is its own gate', () => {
  it('a request without a token gets 401 and a Bearer challenge; a bad one says why in the challenge', async () => {
    const res = await graphql(running.url, '{ me }');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const forged = await graphql(running.url, '{ me }', { token: 'not.a.jwt' });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
  });

  it('a body that is not JSON, or too large, gets a JSON GraphQL error, no HTML page or stack trace', async () => {
    const post = (body: string, type = 'application/json') =>
      fetch(running.url, { method: 'POST', headers: { 'content-type': type }, body });
    const malformed = await post('{"query": "{ me }"');
    expect(malformed.status).toBe(400);
    const text = await malformed.text();
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expectNothingInternal(text);
    const big = await post(JSON.stringify({ query: '{ me }', variables: { x: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(big.status).toBe(413);
    const bigText = await big.text();
    expect((JSON.parse(bigText) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expectNothingInternal(bigText);
    const nowhere = await fetch(running.url.replace('/graphql', '/admin'));
    expect(nowhere.status).toBe(404);
    expectNothingInternal(await nowhere.text());
  });

  it('refuses what the router refuses, before the token is looked at', async () => {
    let chain = 'fragment F0 on Query { __typename }\n';
    for (let i = 1; i <= 30; i++) chain += `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }\n`;
    const bomb = await graphql(
      running.url,
      `
        ${chain}
        query {
          ...F30
        }
      `,
    );
    expect(bomb.status).toBe(400);
    expect(errorCodes(bomb)).toEqual(['MAX_SELECTIONS_EXCEEDED']);
    const aliases = await graphql(
      running.url,
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    );
    expect(errorCodes(aliases)).toEqual(['MAX_ALIASES_EXCEEDED']);
    const subscription = await graphql(running.url, 'subscription { me }');
    expect(subscription.status).toBe(400);
    expect(errorCodes(subscription)).toEqual(['SUBSCRIPTION_NOT_SUPPORTED']);
    const directives = await graphql(
      running.url,
      `{ __typename ${Array.from({ length: 1000 }, (_, i) => `@d${i}`).join(' ')} }`,
    );
    expect(directives.status).toBe(400);
    expect(directives.errors!.length).toBeLessThanOrEqual(11);
  });

  it('estimates cost with the @listSize its own schema declares', async () => {
    const token = await tokenFor('alice');
    // 10 × 2 without the directive; 6,000 × 2 with @listSize(assumedSize: 6000).
    const few = await graphql(running.url, '{ things { id } }', { token });
    expect(few.data).toEqual({ things: [{ id: 't1' }] });
    const many = await graphql(running.url, '{ manyThings { id } }', { token });
    expect(many.status).toBe(400);
    expect(errorCodes(many)).toEqual(['MAX_COST_EXCEEDED']);
    expect(many.errors![0]!.extensions).toMatchObject({ actual: 12_000, limit: 10_000 });
  });
});
