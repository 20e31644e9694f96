import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql, tokenFor } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

/**
 * The router asks Heimdall as itself (client_credentials from the dev issuer), the caller's token
 * as the subject: `@policy` holds end to end; without its own identity the router learns no
 * policy and denies every `@policy` field, whoever the caller.
 */
let fx: Fixture;
let alice: string; // data-dev: not an operator
let bob: string; // operator: passes test-operators
let carol: string;
let tokenProxy: http.Server;
let tokenUrl: string;
let tokenRequests = 0;

beforeAll(async () => {
  fx = await startFixture();
  [alice, bob, carol] = await Promise.all([tokenFor('alice'), tokenFor('bob'), tokenFor('carol')]);
  // Counts the router's token requests on their way to the real issuer.
  const issuer = new URL(process.env.OIDC_ISSUER ?? 'http://localhost:4400');
  tokenProxy = http.createServer((req, res) => {
    tokenRequests++;
    const upstream = http.request(
      {
        host: issuer.hostname,
        port: issuer.port,
        path: '/token',
        method: req.method,
        headers: { ...req.headers, host: issuer.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => tokenProxy.listen(0, '127.0.0.1', r));
  tokenUrl = `http://127.0.0.1:${(tokenProxy.address() as AddressInfo).port}/token`;
});

afterAll(async () => {
  await fx.stop();
  await new Promise((r) => tokenProxy.close(r));
});

describe("the router's own identity at Heimdall", () => {
  it('enforces @policy with its credentials, and fetches its token once for many callers', async () => {
    tokenRequests = 0;
    const router = await fx.router({ ROUTER_TOKEN_URL: tokenUrl, AUTHZ_DECISION_TTL_MS: '0' });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        graphql(router.url, '{ operatorNote }', { token: [alice, bob, carol][i % 3] }),
      ),
    );
    expect(answers.map((a) => a.data?.operatorNote ?? null)).toEqual(
      Array.from({ length: 30 }, (_, i) => (i % 3 === 1 ? 'for operators' : null)),
    );
    expect(answers[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    // At start (warm-up) and never per request, though each request asked Heimdall (TTL 0).
    expect(tokenRequests).toBe(1);
  });

  it('without credentials learns no policy: every @policy field is denied, even to an operator', async () => {
    const router = await fx.router({ ROUTER_CLIENT_ID: '', ROUTER_CLIENT_SECRET: '' });
    const res = await graphql(router.url, '{ me operatorNote }', { token: bob });
    expect(res.data).toEqual({ me: 'me', operatorNote: null });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
  });

  it('with a wrong secret fails closed: protected fields denied, public ones answer, no server error', async () => {
    const router = await fx.router({ ROUTER_CLIENT_SECRET: 'not-the-secret' });
    const res = await graphql(router.url, '{ publicInfo operatorNote }', { token: bob });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ publicInfo: 'hello', operatorNote: null });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHORIZED_FIELD_OR_TYPE',
      reason: 'The authorization service (Heimdall) could not be asked.',
    });
  });
});
