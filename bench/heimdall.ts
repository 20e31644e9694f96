import { pathToFileURL } from 'node:url';
import { fetchDevToken, fetchServiceToken, startDevstack } from '@dataos/devstack';
import { SUBJECT_TOKEN_HEADER } from '@dataos/heimdall-client';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { mongoFromEnv } from '@dataos/stores';
import { generatePolicies } from '../subgraphs/heimdall/src/engine/generate.js';
import type { PolicyDefinition } from '../subgraphs/heimdall/src/engine/types.js';
import { runEngineBench } from './heimdall-engine.js';
import { closedLoop, table } from './lib/stats.js';
import { collectionsOf } from '../subgraphs/heimdall/src/store/collections.js';
import { PolicyRepository } from '../subgraphs/heimdall/src/store/policies.js';

/** Data developers (alice's role) read the even depots, except each fourth depot's `coll0`. */
function benchSubjectPolicies(): PolicyDefinition[] {
  const policies: PolicyDefinition[] = [];
  for (let d = 0; d < 50; d += 2) {
    policies.push({
      name: `bench-alice-depot${d}`,
      effect: 'allow',
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { paths: [`dataos://depot${d}:*/**`], tags: [] },
    });
    if (d % 4 === 0) {
      policies.push({
        name: `bench-alice-no-coll0-depot${d}`,
        effect: 'deny',
        subjects: [['roles:id:data-dev']],
        actions: ['read'],
        objects: { paths: [`dataos://depot${d}:coll0/**`], tags: [] },
      });
    }
  }
  return policies;
}

/** `@policy` names a router asks about: two apply to alice, the generated ones do not. */
const ROUTER_POLICIES = ['bench-alice-depot0', 'bench-alice-depot2', 'p1', 'p2', 'p3'];

/**
 * Heimdall over HTTP with 10,000 generated policies plus alice's in FerretDB: single decisions,
 * batches of 100 (allowed, denied by policy and denied by default, as the checks fall) and the
 * router's `routerAuthorization`, against the baseline of the same server answering
 * `{ __typename }` (HTTP, JSON, GraphQL and token verification, no decision), measured in the same run.
 */
export async function runHeimdallHttpBench(): Promise<string> {
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: 'silent' });
  const dbName = `heimdall_bench_${Date.now()}`;
  const mongo = await mongoFromEnv('HEIMDALL', dbName, { ...process.env, HEIMDALL_MONGO_DB: undefined });
  try {
    const policies = [...generatePolicies(10_000), ...benchSubjectPolicies()];
    await new PolicyRepository(collectionsOf(mongo.db)).insertMany(policies, 'bench');
    const heimdall = await createHeimdallSubgraph({ mongo });
    const running = await heimdall.listen(0);
    const token = (await fetchDevToken('alice')).access_token;
    // routerAuthorization answers only the router's own identity, about the user's token beside it.
    const routerToken = (await fetchServiceToken()).access_token;
    const post = (query: string, variables: Record<string, unknown> = {}, asRouter = false) =>
      fetch(running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(asRouter
            ? { authorization: `Bearer ${routerToken}`, [SUBJECT_TOKEN_HEADER]: token }
            : { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json());
    const objects = Array.from({ length: 1000 }, (_, i) => `dataos://depot${i % 50}:coll${i % 20}/dataset${i}`);
    let n = 0;
    const single = () =>
      post('query ($p: String!) { decide(input: { action: "read", object: { path: $p } }) { allowed } }', {
        p: objects[n++ % objects.length],
      });
    const batchInputs = objects.slice(0, 100).map((path) => ({ action: 'read', object: { path } }));
    const BATCH = 'query ($i: [DecisionInput!]!) { decideBatch(inputs: $i) { allowed } }';
    const batch = () => post(BATCH, { i: batchInputs });
    const router = () =>
      post(
        'query ($p: [String!]!) { routerAuthorization(policies: $p) { authenticated policies { allowed } } }',
        { p: ROUTER_POLICIES },
        true,
      );
    const baseline = () => post('{ __typename }');
    // Measure the real evaluation, not the neutral answer a caller who is not the router gets.
    const asked = (await router()) as { data?: { routerAuthorization: { policies: { allowed: boolean }[] } } };
    const passing = asked.data?.routerAuthorization.policies.filter((p) => p.allowed).length;
    if (passing !== 2)
      throw new Error(`routerAuthorization as the router: expected 2 of alice's policies to pass, got ${passing}`);
    // Both outcomes must be measured: how many of the 1,000 objects alice may read.
    const outcomes = (await post(BATCH, { i: objects.map((path) => ({ action: 'read', object: { path } })) })) as {
      data: { decideBatch: { allowed: boolean }[] };
    };
    const allowed = outcomes.data.decideBatch.filter((d) => d.allowed).length;
    const load = { concurrency: 16, durationMs: 5000, maxCount: 50_000 };
    for (const warm of [baseline, single, batch, router]) await closedLoop(warm, { ...load, durationMs: 1000 });
    const b = await closedLoop(baseline, load);
    const s = await closedLoop(single, load);
    const m = await closedLoop(batch, load);
    const r = await closedLoop(router, load);
    await running.stop();
    await heimdall.close();
    return [
      `Heimdall over HTTP (${policies.length.toLocaleString('en')} policies, 16 concurrent clients, 5 s each, loopback; ` +
        `alice may read ${allowed} of the ${objects.length} objects)`,
      table(
        ['operation', 'requests/s', 'decisions/s', 'p50 ms', 'p99 ms', 'vs baseline req/s'],
        [
          ['baseline { __typename }', b.perSecond, 0, b.p50Ms, b.p99Ms, 1],
          ['decide (1 check)', s.perSecond, s.perSecond, s.p50Ms, s.p99Ms, s.perSecond / b.perSecond],
          ['decideBatch (100 checks)', m.perSecond, m.perSecond * 100, m.p50Ms, m.p99Ms, m.perSecond / b.perSecond],
          [
            `routerAuthorization (${ROUTER_POLICIES.length} @policy names)`,
            r.perSecond,
            r.perSecond * ROUTER_POLICIES.length,
            r.p50Ms,
            r.p99Ms,
            r.perSecond / b.perSecond,
          ],
        ],
      ),
    ].join('\n');
  } finally {
    await mongo.db.dropDatabase();
    await mongo.close();
    await devstack.stop();
  }
}

export async function runHeimdallBench(): Promise<string> {
  return [await runEngineBench(), await runHeimdallHttpBench()].join('\n\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  console.log(await runHeimdallBench());
}
