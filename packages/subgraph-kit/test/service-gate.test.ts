import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENTS, fetchDevToken, startIssuer, type RunningIssuer } from '@dataos/devstack';
import { ServiceCaller, UNTRUSTED_CALLER } from '@dataos/service-identity';
import { graphql, wsClient, type TestWsClient } from '@dataos/testkit';
import {
  CloseCode,
  createSubgraph,
  kitSettingsFromEnv,
  requirePrincipal,
  type BaseContext,
  type RunningSubgraph,
} from '../src/index.js';

/**
 * A subgraph named `metis` with SERVICE_IDENTITY=required, trusting the router's client and
 * Odin's, against a dev issuer of this file's own (the shared one may predate the service clients).
 */
const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { me: String! }
  type Subscription { ticks(n: Int!): Int! }
`);

let issuer: RunningIssuer;
let running: RunningSubgraph;
let alice: string;
const clients: TestWsClient[] = [];
const callerFor = (clientId: string, clientSecret: string) =>
  new ServiceCaller({ clientId, clientSecret, issuer: issuer.issuer, log: () => undefined });
const router = () => callerFor(DEV_CLIENTS.services, DEV_CLIENTS.servicesSecret);
const peer = (name: string) =>
  callerFor(DEV_CLIENTS.byService[name]!.clientId, DEV_CLIENTS.byService[name]!.clientSecret);

async function* count(n: number) {
  for (let i = 1; i <= n; i++) yield i;
}

beforeAll(async () => {
  issuer = await startIssuer({ port: 0 });
  process.env.OIDC_ISSUER = issuer.issuer;
  alice = (await fetchDevToken('alice', { issuer: issuer.issuer })).access_token;
  const subgraph = await createSubgraph({
    name: 'metis',
    typeDefs,
    settings: kitSettingsFromEnv({
      ...process.env,
      SERVICE_IDENTITY: 'required',
      SERVICE_TRUSTED_CALLERS: `${DEV_CLIENTS.services}, ${DEV_CLIENTS.byService.odin!.clientId}`,
    }),
    resolvers: {
      Query: { me: (_: unknown, __: unknown, ctx: BaseContext) => requirePrincipal(ctx).id },
      Subscription: { ticks: { subscribe: (_: unknown, { n }: { n: number }) => count(n), resolve: (n: number) => n } },
    },
  });
  running = await subgraph.listen(0);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await running?.stop();
  await issuer?.stop();
});

const ask = (headers: Record<string, string> = {}) => graphql(running.url, '{ me }', { token: alice, headers });

describe('service identity at the subgraph (SERVICE_IDENTITY=required)', () => {
  it("refuses a user's token alone with 401 UNTRUSTED_CALLER, naming the missing header", async () => {
    const res = await ask();
    expect(res.status).toBe(401);
    expect(res.data).toBeUndefined();
    expect(res.errors).toEqual([
      {
        message: expect.stringContaining('no service token was sent in X-Service-Authorization'),
        extensions: { code: UNTRUSTED_CALLER },
      },
    ]);
    expect(res.errors![0]!.message).toContain('dataos-svc:metis');
  });

  it("answers the router's and a trusted peer's calls, the user's token still deciding who is asking", async () => {
    for (const caller of [router(), peer('odin')]) {
      const res = await ask(await caller.headers('metis'));
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ me: 'users:id:alice' });
    }
    // The service token opens the door; it does not stand in for the user.
    const anonymous = await graphql(running.url, '{ me }', { headers: await router().headers('metis') });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a service that is not a trusted caller (403) and a token for another hop (401)', async () => {
    const untrusted = await ask(await peer('caretaker').headers('metis'));
    expect(untrusted.status).toBe(403);
    expect(untrusted.errors?.[0]).toEqual({
      message: 'The service "dataos-svc-caretaker" is not a trusted caller of metis.',
      extensions: { code: UNTRUSTED_CALLER },
    });
    // The router's token for Odin, replayed at Metis: one audience per hop.
    const otherHop = await ask(await router().headers('odin'));
    expect(otherHop.status).toBe(401);
    expect(otherHop.errors?.[0]?.message).toMatch(/was refused: The access token was not issued for this audience/);
  });

  it("refuses a person's token presented as the service credential", async () => {
    const res = await ask({ 'x-service-authorization': `Bearer ${alice}` });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe(UNTRUSTED_CALLER);
  });

  it('keeps /health open', async () => {
    const res = await fetch(running.url.replace(/\/graphql$/, '/health'));
    expect(res.status).toBe(200);
  });

  it('closes a subscription connection without the service credential (4403), serves one with it', async () => {
    const bare = wsClient(running.url, { token: alice });
    clients.push(bare);
    bare.subscribe('subscription { ticks(n: 1) }');
    expect((await bare.closed).code).toBe(CloseCode.UntrustedCaller);

    const service = await router().token('metis');
    const trusted = wsClient(running.url, { token: alice, params: { 'x-service-authorization': `Bearer ${service}` } });
    clients.push(trusted);
    const sub = trusted.subscribe<{ ticks: number }>('subscription { ticks(n: 2) }');
    expect(await sub.ended).toEqual({ completed: true });
    expect(sub.results.map((r) => r.data?.ticks)).toEqual([1, 2]);
  });
});
