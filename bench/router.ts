// npx tsx bench/router.ts: our router (authorization on, real Heimdall; with and without
// sharing identical subgraph fetches in flight) against a stock @apollo/gateway, Hive Gateway
// and Hive Router (Rust, built once into bench/.cache; skipped with the reason when it cannot
// be), on the same three synthetic subgraphs, the same operations, at fixed concurrency, one
// gateway at a time, each in its own process. Two modes (BENCH_MODE: both, identical,
// distinct): every request the same, and every request with its own variables and token.
// Loopback only, bounded in time (BENCH_SECONDS per operation, mode and gateway, default 10)
// and connections (BENCH_CONNECTIONS, 32).
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stripSecurityFeatures } from '@dataos/router';
import { hiveRouterBinary, startHiveRouter } from './lib/hive-router.js';
import { startChild, type Child } from './lib/processes.js';
import { benchRouterWorkers, startRouterCluster } from './lib/router-cluster.js';
import { routerReport, summarize, type Gateway, type Measure, type Mode, type Slice } from './lib/router-report.js';
import { VARIANTS, load, mintTokens, post, type Traffic } from './lib/router-traffic.js';
import { formatNumber } from './lib/stats.js';
import { OPERATIONS, type OperationName } from './lib/synthetic.js';
import { startSyntheticStack } from './lib/synthetic-stack.js';

const GATEWAYS: Gateway[] = [
  { kind: 'router', label: 'ours (authz on)' },
  // The same router without sharing identical fetches in flight (SUBGRAPH_DEDUPLICATION=false).
  { kind: 'router-no-dedup', label: 'ours (authz on, no dedup)' },
  { kind: 'apollo-gateway', label: 'stock @apollo/gateway' },
  { kind: 'hive', label: 'Hive Gateway' },
  { kind: 'hive-router', label: 'Hive Router (Rust)' },
];
const OURS = new Set(['router', 'router-no-dedup']);

function modesFromEnv(): Mode[] {
  const mode = process.env.BENCH_MODE ?? 'both';
  if (mode === 'both') return ['identical', 'distinct'];
  if (mode === 'identical' || mode === 'distinct') return [mode];
  throw new Error(`BENCH_MODE must be both, identical or distinct, not "${mode}"`);
}

interface Lookups {
  hit: number;
  miss: number;
  /** Heimdall calls that failed (timeouts under load): their requests had protected fields denied. */
  heimdallErrors: number;
  /** Fields removed as unauthorized (none when Heimdall answers: alice may read everything). */
  denied: number;
}

/** The router's decision cache lookups so far, from its /metrics (summed over its workers). */
async function decisionLookups(url: string, metricsToken: string): Promise<Lookups> {
  const text = await (
    await fetch(new URL('/metrics', url), { headers: { authorization: `Bearer ${metricsToken}` } })
  ).text();
  const count = (result: string) =>
    Number(new RegExp(`^router_authz_decisions_total\\{result="${result}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  const total = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return {
    hit: count('hit'),
    miss: count('miss'),
    heimdallErrors: total('router_heimdall_errors_total'),
    denied: total('router_unauthorized_fields_total'),
  };
}

export async function runRouterBench(): Promise<string> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const tokenCount = Number(process.env.BENCH_TOKENS ?? 500);
  const modes = modesFromEnv();
  const workers = benchRouterWorkers();
  const hiveRouter = await hiveRouterBinary();
  const gateways = 'path' in hiveRouter ? GATEWAYS : GATEWAYS.filter((g) => g.kind !== 'hive-router');
  const metricsToken = randomBytes(18).toString('base64url');
  const stack = await startSyntheticStack('router');
  const { children, dir, sdl, subgraphs, supergraphPath: withAuthz } = stack;
  try {
    const stripped = join(dir, 'supergraph-stripped.graphql');
    await writeFile(stripped, stripSecurityFeatures(sdl));
    const tokens = await mintTokens(modes.includes('distinct') ? tokenCount : 1);

    const running = new Map<string, Child>();
    for (const gateway of gateways) {
      const child =
        gateway.kind === 'hive-router' && 'path' in hiveRouter
          ? await startHiveRouter(hiveRouter.path, stripped)
          : OURS.has(gateway.kind)
            ? await startRouterCluster(
                {
                  SUPERGRAPH_PATH: withAuthz,
                  HEIMDALL_URL: stack.heimdallUrl,
                  SUBGRAPH_DEDUPLICATION: gateway.kind === 'router' ? 'true' : 'false',
                  METRICS_TOKEN: metricsToken,
                },
                workers,
              )
            : await startChild(new URL('./lib/gateway-child.mjs', import.meta.url), [gateway.kind], {
                SUPERGRAPH_PATH: stripped,
              });
      children.push(child);
      running.set(gateway.kind, child);
    }
    const traffic = (mode: Mode, op: OperationName): Traffic =>
      mode === 'identical'
        ? { mode, query: OPERATIONS[op].query, token: tokens[0]! }
        : { mode, query: OPERATIONS[op].distinct.query, variables: OPERATIONS[op].distinct.variables, tokens };
    // Same answers from every gateway, without errors, before measuring (in the distinct mode,
    // for a few variable values and tokens).
    for (const mode of modes) {
      for (const op of Object.keys(OPERATIONS) as OperationName[]) {
        for (const i of mode === 'identical' ? [0] : [0, 1, 7, VARIANTS - 1]) {
          let reference: string | undefined;
          for (const gateway of gateways) {
            const answer = await post(running.get(gateway.kind)!.url, traffic(mode, op), i);
            if (answer.errors || !answer.data)
              throw new Error(`${gateway.kind} ${mode} ${op}: ${JSON.stringify(answer).slice(0, 500)}`);
            reference ??= JSON.stringify(answer.data);
            if (JSON.stringify(answer.data) !== reference)
              throw new Error(`${gateway.kind} answers ${mode} ${op} #${i} differently from the router`);
          }
        }
      }
    }
    // Each gateway gets `seconds` per operation and mode, in slices taken in turn (the order
    // rotating), so that load from elsewhere on the machine falls on all of them alike.
    const results = new Map<string, Measure>();
    const lookups: Lookups = { hit: 0, miss: 0, heimdallErrors: 0, denied: 0 };
    const sliceCount = Math.max(1, Math.round(seconds / 2));
    const subgraphCpu = async () => (await Promise.all(subgraphs.map((s) => s.cpuMs()))).reduce((a, b) => a + b, 0);
    for (const mode of modes) {
      for (const op of Object.keys(OPERATIONS) as OperationName[]) {
        const slices = new Map<string, Slice[]>(gateways.map((g) => [g.kind, []]));
        for (const gateway of gateways) {
          const url = running.get(gateway.kind)!.url;
          await load(url, traffic(mode, op), 2, connections); // warm-up
          // Our decision caches (one per worker) see every token before measuring: three rounds of
          // the tokens per worker, as steady traffic would have sent them within the decision TTL.
          if (mode === 'distinct' && OURS.has(gateway.kind))
            await load(url, traffic(mode, op), 0, connections, tokens.length * workers * 3);
        }
        for (let i = 0; i < sliceCount; i++) {
          for (let k = 0; k < gateways.length; k++) {
            const kind = gateways[(i + k) % gateways.length]!.kind;
            const child = running.get(kind)!;
            const counted = OURS.has(kind);
            const [cpuBefore, subgraphsBefore, lookupsBefore] = [
              await child.cpuMs(),
              await subgraphCpu(),
              counted ? await decisionLookups(child.url, metricsToken) : undefined,
            ];
            const slice = await load(child.url, traffic(mode, op), seconds / sliceCount, connections);
            const [cpuAfter, subgraphsAfter] = [await child.cpuMs(), await subgraphCpu()];
            if (lookupsBefore) {
              const after = await decisionLookups(child.url, metricsToken);
              // The hit rate of the distinct mode; failures and denials of both.
              if (mode === 'distinct') lookups.hit += after.hit - lookupsBefore.hit;
              if (mode === 'distinct') lookups.miss += after.miss - lookupsBefore.miss;
              lookups.heimdallErrors += after.heimdallErrors - lookupsBefore.heimdallErrors;
              lookups.denied += after.denied - lookupsBefore.denied;
            }
            slices
              .get(kind)!
              .push({ ...slice, cpuMs: cpuAfter - cpuBefore, subgraphCpuMs: subgraphsAfter - subgraphsBefore });
          }
        }
        for (const gateway of gateways)
          results.set(`${mode}/${gateway.kind}/${op}`, summarize(slices.get(gateway.kind)!));
      }
    }

    const notes = [
      `Router vs stock @apollo/gateway vs Hive Gateway vs Hive Router: ${connections} connections, ${seconds} s per gateway, operation and mode (in ${sliceCount} slices taken in turn), loopback, ${availableParallelism()} cores; each gateway and each of the 3 subgraphs in its own process(es); p50/p99: median over slices; CPU ms/req: the gateway's user + system time over requests served`,
      'Only ours authorizes: it asks Heimdall (decisions cached per token) and checks @authenticated/@policy on every request; the others get the supergraph without those directives (Hive Router has no Heimdall authorization).',
      `Ours runs as deployed (router/src/main.ts) with ROUTER_WORKERS=${workers} (BENCH_ROUTER_WORKERS; default: one per core), its CPU summed over its processes; Hive Router uses a thread per core; stock @apollo/gateway and Hive Gateway run in one process each.`,
      'path' in hiveRouter
        ? `Hive Router: ${hiveRouter.path.replace(/.*\/bench\//, 'bench/')}, default settings (it shares identical subgraph fetches in flight too)`
        : `Hive Router: skipped, ${hiveRouter.skipped}`,
    ];
    if (modes.includes('distinct')) {
      const total = lookups.hit + lookups.miss;
      notes.push(
        `distinct mode: request i carries variables #(i mod ${VARIANTS}) (BENCH_VARIANTS) and token #(i mod ${tokens.length}) of ${tokens.length} distinct tokens (BENCH_TOKENS; each its own jti); ` +
          `ours found ${total ? formatNumber((100 * lookups.hit) / total) : 0}% of its decisions in its cache (a token comes back after ${tokens.length} requests; a miss asks Heimdall)`,
      );
    }
    notes.push(
      lookups.heimdallErrors || lookups.denied
        ? `ours while measured: Heimdall could not be asked ${lookups.heimdallErrors} times and ${lookups.denied} fields were denied: those answers lacked data the others gave (HEIMDALL_TIMEOUT_MS under this load)`
        : 'ours while measured: every Heimdall call answered and no field was denied (every answer complete)',
    );
    return [...notes, routerReport(modes, gateways, (mode, kind, op) => results.get(`${mode}/${kind}/${op}`)!)].join(
      '\n',
    );
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await runRouterBench());
  process.exit(0);
}
