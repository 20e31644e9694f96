// npx tsx bench/router-profile.ts: our router alone under the router bench's distinct traffic,
// with node --cpu-prof, to see where its CPU goes (BENCH_PROFILE_DIR, BENCH_SECONDS per
// operation, BENCH_OPS, BENCH_ROUTER_WORKERS: 1). Prints the top self-time functions of each
// process's profile (samples are wall-clock: a process descheduled inside a syscall counts there).
import { readdir, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startRouterCluster } from './lib/router-cluster.js';
import { load, mintTokens, type Traffic } from './lib/router-traffic.js';
import { OPERATIONS, type OperationName } from './lib/synthetic.js';
import { startSyntheticStack } from './lib/synthetic-stack.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time by function (name, file, line), in percent of the samples. */
export function topSelfTime(profile: { nodes: ProfileNode[] }, count = 30): string[] {
  const byFrame = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '');
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFrame.set(key, (byFrame.get(key) ?? 0) + hits);
  }
  return [...byFrame.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, hits]) => `${((100 * hits) / Math.max(1, total)).toFixed(1).padStart(5)}%  ${key}`);
}

export async function runRouterProfile(): Promise<string> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 8);
  const dir = process.env.BENCH_PROFILE_DIR ?? '/tmp/router-profile';
  await mkdir(dir, { recursive: true });
  const stack = await startSyntheticStack('router-profile');
  try {
    const tokens = await mintTokens(Number(process.env.BENCH_TOKENS ?? 500));
    process.env.BENCH_NODE_ARGS = `--cpu-prof --cpu-prof-dir=${dir} ${process.env.BENCH_NODE_ARGS ?? ''}`;
    const router = await startRouterCluster(
      {
        SUPERGRAPH_PATH: stack.supergraphPath,
        HEIMDALL_URL: stack.heimdallUrl,
        METRICS_TOKEN: randomBytes(18).toString('base64url'),
      },
      Number(process.env.BENCH_ROUTER_WORKERS ?? 1),
    );
    stack.children.push(router);
    const out: string[] = [];
    const ops = (process.env.BENCH_OPS?.split(',') ?? Object.keys(OPERATIONS)) as OperationName[];
    for (const op of ops) {
      const traffic: Traffic = {
        mode: 'distinct',
        query: OPERATIONS[op].distinct.query,
        variables: OPERATIONS[op].distinct.variables,
        tokens,
      };
      await load(router.url, traffic, 2, 32);
      const cpuBefore = await router.cpuMs();
      const result = await load(router.url, traffic, seconds, 32);
      const cpu = (await router.cpuMs()) - cpuBefore;
      out.push(
        `${op}: ${(result.requests / result.seconds).toFixed(0)} req/s, CPU ${(cpu / result.requests).toFixed(3)} ms/req`,
      );
    }
    const before = new Set(await readdir(dir));
    await router.stop();
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'))) {
      if (before.has(file) && !process.env.BENCH_PROFILE_ALL) continue;
      out.push(`\n${join(dir, file)}`, ...topSelfTime(JSON.parse(await readFile(join(dir, file), 'utf8'))));
    }
    return out.join('\n');
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await runRouterProfile());
  process.exit(0);
}
