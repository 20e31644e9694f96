import { pathToFileURL } from 'node:url';
import { startDevstack, fetchDevToken } from '@dataos/devstack';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { mongoFromEnv } from '@dataos/stores';
import { generatePolicies } from '../subgraphs/heimdall/src/engine/generate.js';
import { runEngineBench } from './heimdall-engine.js';
import { closedLoop, table } from './lib/stats.js';
import { collectionsOf } from '../subgraphs/heimdall/src/store/collections.js';
import { PolicyRepository } from '../subgraphs/heimdall/src/store/policies.js';

/**
 * Heimdall over HTTP with 10,000 policies in FerretDB: single decisions and batches of 100,
 * against the baseline of the same server answering `{ __typename }` (HTTP, JSON, GraphQL and
 * token verification, no decision), measured in the same run.
 */
export async function runHeimdallHttpBench(): Promise<string> {
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: 'silent' });
  const dbName = `heimdall_bench_${Date.now()}`;
  const mongo = await mongoFromEnv('HEIMDALL', dbName, { ...process.env, HEIMDALL_MONGO_DB: undefined });
  try {
    await new PolicyRepository(collectionsOf(mongo.db)).insertMany(generatePolicies(10_000), 'bench');
    const heimdall = await createHeimdallSubgraph({ mongo });
    const running = await heimdall.listen(0);
    const token = (await fetchDevToken('alice')).access_token;
    const post = (query: string, variables: Record<string, unknown> = {}) =>
      fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json());
    const objects = Array.from({ length: 1000 }, (_, i) => `dataos://depot${i % 50}:coll${i % 20}/dataset${i}`);
    let n = 0;
    const single = () =>
      post('query ($p: String!) { decide(input: { action: "read", object: { path: $p } }) { allowed } }', {
        p: objects[n++ % objects.length],
      });
    const batchInputs = objects.slice(0, 100).map((path) => ({ action: 'read', object: { path } }));
    const batch = () => post('query ($i: [DecisionInput!]!) { decideBatch(inputs: $i) { allowed } }', { i: batchInputs });
    const baseline = () => post('{ __typename }');
    const load = { concurrency: 16, durationMs: 5000, maxCount: 50_000 };
    for (const warm of [baseline, single, batch]) await closedLoop(warm, { ...load, durationMs: 1000 });
    const b = await closedLoop(baseline, load);
    const s = await closedLoop(single, load);
    const m = await closedLoop(batch, load);
    await running.stop();
    await heimdall.close();
    return [
      'Heimdall over HTTP (10,000 policies, 16 concurrent clients, 5 s each, loopback)',
      table(
        ['operation', 'requests/s', 'decisions/s', 'p50 ms', 'p99 ms', 'vs baseline req/s'],
        [
          ['baseline { __typename }', b.perSecond, 0, b.p50Ms, b.p99Ms, 1],
          ['decide (1 check)', s.perSecond, s.perSecond, s.p50Ms, s.p99Ms, s.perSecond / b.perSecond],
          ['decideBatch (100 checks)', m.perSecond, m.perSecond * 100, m.p50Ms, m.p99Ms, m.perSecond / b.perSecond],
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
