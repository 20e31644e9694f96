// npm run bench -- service-identity: what the service gate adds to a subgraph request. One toy
// subgraph served twice by the kit, without and with SERVICE_IDENTITY=required, asked in
// alternating rounds with the same user token (and, for the gated one, a service token).
import { parse } from 'graphql';
import { DEV_CLIENTS, fetchDevToken, startIssuer } from '@dataos/devstack';
import { ServiceCaller } from '@dataos/service-identity';
import {
  ServiceGate,
  createSubgraph,
  kitSettingsFromEnv,
  requirePrincipal,
  type BaseContext,
} from '@dataos/subgraph-kit';
import { closedLoop, table, type LoopResult } from './lib/stats.js';

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])
  type Query { me: String! }
`);
const ROUNDS = 3;
const LOAD = { concurrency: 8, durationMs: 4000, maxCount: 20_000 };

export async function runServiceIdentityBench(): Promise<string> {
  const issuer = await startIssuer({ port: 0 });
  process.env.OIDC_ISSUER = issuer.issuer;
  const serve = async (gated: boolean) => {
    const subgraph = await createSubgraph({
      name: 'metis',
      typeDefs,
      settings: kitSettingsFromEnv({
        ...process.env,
        LOG_LEVEL: 'silent',
        ...(gated ? { SERVICE_IDENTITY: 'required', SERVICE_TRUSTED_CALLERS: DEV_CLIENTS.services } : {}),
      }),
      resolvers: { Query: { me: (_: unknown, __: unknown, ctx: BaseContext) => requirePrincipal(ctx).id } },
    });
    return subgraph.listen(0);
  };
  const open = await serve(false);
  const gated = await serve(true);
  try {
    const user = (await fetchDevToken('alice', { issuer: issuer.issuer })).access_token;
    const caller = new ServiceCaller({
      clientId: DEV_CLIENTS.services,
      clientSecret: DEV_CLIENTS.servicesSecret,
      issuer: issuer.issuer,
    });
    const body = JSON.stringify({ query: '{ me }' });
    const ask = async (url: string, extra: Record<string, string>) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user}`, ...extra },
        body,
      });
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      await res.arrayBuffer();
    };
    const service = await caller.headers('metis');
    await ask(open.url, {});
    await ask(gated.url, service);
    const results: Record<'off' | 'required', LoopResult[]> = { off: [], required: [] };
    for (let round = 0; round < ROUNDS; round++) {
      results.off.push(await closedLoop(() => ask(open.url, {}), LOAD));
      // The caller's cached token, as a service sends it on every call.
      results.required.push(await closedLoop(async () => ask(gated.url, await caller.headers('metis')), LOAD));
    }
    // The gate alone: a check of a token it has verified before (its cache), as on every hop.
    const gate = new ServiceGate({
      service: 'metis',
      trustedCallers: [DEV_CLIENTS.services],
      issuer: { issuer: issuer.issuer, audience: 'unused' },
      verifierOptions: { allowInsecureIssuers: true },
    });
    const header = `Bearer ${await caller.token('metis')}`;
    if ((await gate.check(header)).refusal) throw new Error('the gate refused the service token');
    const checks = 50_000;
    const t0 = performance.now();
    for (let i = 0; i < checks; i++) await gate.check(header);
    const perCheckUs = ((performance.now() - t0) * 1000) / checks;
    const best = (rs: LoopResult[]) => rs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
    const off = best(results.off);
    const on = best(results.required);
    return [
      `best of ${ROUNDS} alternating rounds, ${LOAD.concurrency} concurrent, ${LOAD.durationMs / 1000} s each`,
      table(
        ['SERVICE_IDENTITY', 'requests/s', 'p50 ms', 'p99 ms'],
        [
          ['off', off.perSecond, off.p50Ms, off.p99Ms],
          ['required', on.perSecond, on.p50Ms, on.p99Ms],
        ],
      ),
      `the gate's check of a cached token: ${perCheckUs.toFixed(2)} µs (${checks} checks)`,
      `added per request: p50 ${(on.p50Ms - off.p50Ms).toFixed(3)} ms, throughput ${((on.perSecond / off.perSecond - 1) * 100).toFixed(1)} %`,
    ].join('\n');
  } finally {
    await open.stop();
    await gated.stop();
    await issuer.stop();
  }
}
