// npx tsx bench/router.ts: our router (authorization on, real Heimdall; with and without
// sharing identical subgraph fetches in flight) against a stock @apollo/gateway and Hive
// Gateway, on the same three synthetic subgraphs, the same operations, at fixed concurrency,
// one gateway at a time, each in its own process. Loopback only, bounded in time (BENCH_SECONDS
// per operation and gateway, default 10) and connections (BENCH_CONNECTIONS, 32).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { fetchDevToken, startDevstack } from '@dataos/devstack';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { stripSecurityFeatures } from '@dataos/router';
import { mongoFromEnv } from '@dataos/stores';
import { composeSupergraph } from '../packages/testkit/src/compose.js';
import { createPolicies } from '../packages/testkit/src/policies.js';
import { startChild, type Child } from './lib/processes.js';
import { formatNumber, table } from './lib/stats.js';
import { BENCH_POLICY, OPERATIONS, SUBGRAPHS, SUBGRAPH_NAMES, type OperationName } from './lib/synthetic.js';

const GATEWAYS = [
  { kind: 'router', label: 'ours (authz on)' },
  // The same router without sharing identical fetches in flight (SUBGRAPH_DEDUPLICATION=false):
  // what it costs when no two requests are alike.
  { kind: 'router-no-dedup', label: 'ours (authz on, no dedup)' },
  { kind: 'apollo-gateway', label: 'stock @apollo/gateway' },
  { kind: 'hive', label: 'Hive Gateway' },
] as const;
type GatewayKind = (typeof GATEWAYS)[number]['kind'];

interface Slice {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
  cpuMs: number;
  subgraphCpuMs: number;
}

interface Measure {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU time of the gateway process per request, in ms. */
  cpuPerRequest: number;
  /** CPU time of the three subgraph processes per request, in ms. */
  subgraphCpuPerRequest: number;
}

async function post(url: string, query: string, token: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: unknown; errors?: unknown[] };
}

function load(url: string, query: string, token: string, seconds: number, connections: number): Promise<Omit<Slice, 'cpuMs' | 'subgraphCpuMs'>> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        connections,
        duration: seconds,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          requests: result.requests.total,
          seconds: result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          failed: result.non2xx + result.errors + result.timeouts,
        });
      },
    );
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function summarize(slices: Slice[]): Measure {
  const requests = slices.reduce((n, s) => n + s.requests, 0);
  return {
    rps: requests / slices.reduce((n, s) => n + s.seconds, 0),
    p50: median(slices.map((s) => s.p50)),
    p99: median(slices.map((s) => s.p99)),
    failed: slices.reduce((n, s) => n + s.failed, 0),
    cpuPerRequest: slices.reduce((n, s) => n + s.cpuMs, 0) / Math.max(1, requests),
    subgraphCpuPerRequest: slices.reduce((n, s) => n + s.subgraphCpuMs, 0) / Math.max(1, requests),
  };
}

export async function runRouterBench(): Promise<string> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  const dir = await mkdtemp(join(tmpdir(), 'router-bench-'));
  const mongo = await mongoFromEnv('HEIMDALL', `heimdall_bench_router_${Date.now()}`, { ...process.env, HEIMDALL_MONGO_DB: undefined });
  const children: Child[] = [];
  let heimdall: Awaited<ReturnType<typeof createHeimdallSubgraph>> | undefined;
  let heimdallRunning: { url: string; stop(): Promise<void> } | undefined;
  try {
    heimdall = await createHeimdallSubgraph({ mongo });
    heimdallRunning = await heimdall.listen(0);
    await createPolicies(heimdallRunning.url, [
      { name: BENCH_POLICY, subjects: [['roles:id:data-dev']], actions: ['read'], objects: { paths: ['/bench/**'] } },
    ]);

    const subgraphs = await Promise.all(
      SUBGRAPH_NAMES.map((name) => startChild(new URL('./lib/subgraph-child.ts', import.meta.url), [name])),
    );
    children.push(...subgraphs);
    const sdl = composeSupergraph(SUBGRAPH_NAMES.map((name, i) => ({ name, url: subgraphs[i]!.url, typeDefs: SUBGRAPHS[name].typeDefs })));
    const withAuthz = join(dir, 'supergraph.graphql');
    const stripped = join(dir, 'supergraph-stripped.graphql');
    await writeFile(withAuthz, sdl);
    await writeFile(stripped, stripSecurityFeatures(sdl));
    const token = (await fetchDevToken('alice')).access_token;

    const gateways = new Map<GatewayKind, Child>();
    for (const gateway of GATEWAYS) {
      const child =
        gateway.kind === 'router' || gateway.kind === 'router-no-dedup'
          ? await startChild(new URL('./lib/gateway-child.ts', import.meta.url), [], {
              SUPERGRAPH_PATH: withAuthz,
              HEIMDALL_URL: heimdallRunning.url,
              SUBGRAPH_DEDUPLICATION: gateway.kind === 'router' ? 'true' : 'false',
            })
          : await startChild(new URL('./lib/gateway-child.mjs', import.meta.url), [gateway.kind], { SUPERGRAPH_PATH: stripped });
      children.push(child);
      gateways.set(gateway.kind, child);
    }
    // Same answers from every gateway, without errors, before measuring.
    for (const [name, op] of Object.entries(OPERATIONS)) {
      let reference: string | undefined;
      for (const gateway of GATEWAYS) {
        const answer = await post(gateways.get(gateway.kind)!.url, op.query, token);
        if (answer.errors || !answer.data) throw new Error(`${gateway.kind} ${name}: ${JSON.stringify(answer).slice(0, 500)}`);
        reference ??= JSON.stringify(answer.data);
        if (JSON.stringify(answer.data) !== reference) throw new Error(`${gateway.kind} answers ${name} differently from the router`);
      }
    }
    // Each gateway gets `seconds` per operation, in slices taken in turn (the order rotating),
    // so that load from elsewhere on the machine falls on all of them alike.
    const results = new Map<string, Measure>();
    const sliceCount = Math.max(1, Math.round(seconds / 2));
    for (const [name, op] of Object.entries(OPERATIONS)) {
      const slices = new Map<GatewayKind, Slice[]>(GATEWAYS.map((g) => [g.kind, []]));
      for (const gateway of GATEWAYS) await load(gateways.get(gateway.kind)!.url, op.query, token, 2, connections); // warm-up
      for (let i = 0; i < sliceCount; i++) {
        for (let k = 0; k < GATEWAYS.length; k++) {
          const kind = GATEWAYS[(i + k) % GATEWAYS.length]!.kind;
          const child = gateways.get(kind)!;
          const subgraphCpu = async () => (await Promise.all(subgraphs.map((s) => s.cpuMs()))).reduce((a, b) => a + b, 0);
          const [cpuBefore, subgraphsBefore] = [await child.cpuMs(), await subgraphCpu()];
          const slice = await load(child.url, op.query, token, seconds / sliceCount, connections);
          const [cpuAfter, subgraphsAfter] = [await child.cpuMs(), await subgraphCpu()];
          slices.get(kind)!.push({ ...slice, cpuMs: cpuAfter - cpuBefore, subgraphCpuMs: subgraphsAfter - subgraphsBefore });
        }
      }
      for (const gateway of GATEWAYS) results.set(`${gateway.kind}/${name}`, summarize(slices.get(gateway.kind)!));
    }

    const get = (kind: GatewayKind, op: OperationName) => results.get(`${kind}/${op}`)!;
    const rows: (string | number)[][] = [];
    for (const op of Object.keys(OPERATIONS) as OperationName[]) {
      for (const gateway of GATEWAYS) {
        const m = get(gateway.kind, op);
        rows.push([OPERATIONS[op].label, gateway.label, m.rps, m.p50, m.p99, m.cpuPerRequest, m.subgraphCpuPerRequest, m.failed]);
      }
    }
    const ratios = (Object.keys(OPERATIONS) as OperationName[]).flatMap((op) =>
      (['router', 'router-no-dedup'] as const).map((kind) => {
        const ours = get(kind, op).rps;
        const label = kind === 'router' ? 'ours' : 'ours without dedup';
        return `${OPERATIONS[op].label}, ${label}: /stock ${formatNumber(ours / get('apollo-gateway', op).rps)}x, /hive ${formatNumber(ours / get('hive', op).rps)}x`;
      }),
    );
    return [
      `Router vs stock @apollo/gateway vs Hive Gateway: ${connections} connections, ${seconds} s per gateway and operation (in ${sliceCount} slices taken in turn), loopback; each gateway and each of the 3 subgraphs in its own process; p50/p99: median over slices`,
      table(['operation', 'gateway', 'requests/s', 'p50 ms', 'p99 ms', 'gateway CPU ms/req', 'subgraphs CPU ms/req', 'failed'], rows),
      '',
      ...ratios,
    ].join('\n');
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await heimdallRunning?.stop();
    await heimdall?.close();
    await mongo.db.dropDatabase().catch(() => undefined);
    await mongo.close();
    await rm(dir, { recursive: true, force: true });
    await devstack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await runRouterBench());
  process.exit(0);
}
