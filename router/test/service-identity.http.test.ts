import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENTS, startIssuer, type RunningIssuer } from '@dataos/devstack';
import type { Router } from '@dataos/router';
import { graphql, tokenFor } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

// The router's own identity on every hop: a token per subgraph (audience dataos-svc:<name>) in
// X-Service-Authorization, beside the caller's Authorization. An issuer of this file's own: the
// shared one may predate the service audiences.
let issuer: RunningIssuer;
let fx: Fixture;
let router: Router;

beforeAll(async () => {
  issuer = await startIssuer({ port: 0 });
  process.env.OIDC_ISSUER = issuer.issuer;
  fx = await startFixture({ heimdall: false });
  router = await fx.router({
    OIDC_ISSUER: issuer.issuer,
    SERVICE_IDENTITY: 'required',
    SERVICE_CLIENT_ID: DEV_CLIENTS.services,
    SERVICE_CLIENT_SECRET: DEV_CLIENTS.servicesSecret,
    // Even when an operator forwards a header of that name, the client's never reaches a subgraph.
    FORWARD_HEADERS: 'x-service-authorization',
  });
});
afterAll(async () => {
  await fx?.stop();
  await issuer?.stop();
});

describe("the router's service identity", () => {
  it("sends its own token for each subgraph, never the client's header of that name", async () => {
    const token = await tokenFor('bob');
    fx.resetFetches();
    const res = await graphql(router.url, '{ products(first: 1) { id rating } }', {
      token,
      headers: { 'x-service-authorization': 'Bearer forged-by-the-client' },
    });
    expect(res.errors).toBeUndefined();
    for (const [name, subgraph] of [
      ['catalog', fx.catalog],
      ['reviews', fx.reviews],
    ] as const) {
      expect(subgraph.fetches.length, name).toBeGreaterThan(0);
      for (const { headers } of subgraph.fetches) {
        expect(headers.authorization).toBe(`Bearer ${token}`);
        const service = /^Bearer (\S+)$/.exec(String(headers['x-service-authorization'] ?? ''))?.[1];
        expect(service).toBeDefined();
        const claims = decodeJwt(service!);
        expect(claims).toMatchObject({
          aud: `dataos-svc:${name}`,
          client_id: DEV_CLIENTS.services,
          iss: issuer.issuer,
        });
      }
    }
  });

  it('refuses to start with SERVICE_IDENTITY=required and no client', async () => {
    await expect(
      fx.router({
        SERVICE_IDENTITY: 'required',
        ROUTER_CLIENT_ID: '',
        ROUTER_CLIENT_SECRET: '',
        SERVICE_CLIENT_ID: '',
      }),
    ).rejects.toThrow(/SERVICE_IDENTITY=required but the router has no client/);
  });
});
