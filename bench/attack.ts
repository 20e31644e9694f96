// npm run bench -- attack (or npx tsx bench/attack.ts): our router under attack. One router
// process (authorization on, real Heimdall, the router bench's three synthetic subgraphs), the
// legitimate `small` and `fan-out` operations at BENCH_CONNECTIONS (32) for BENCH_SECONDS (10)
// each, twice: alone, and while an anonymous attacker in its own process sends issue 12's hostile
// documents round-robin at BENCH_ATTACK_RPS (50) on BENCH_ATTACK_CONNECTIONS (8) connections of
// its own. The two conditions alternate in slices (alone, attack, attack, alone, ...) so that other
// load on the machine falls on both alike. Loopback only; the attacker is bounded in count and time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { fetchDevToken, startDevstack } from '@dataos/devstack';
import { createHeimdallSubgraph } from '@dataos/heimdall';
import { mongoFromEnv } from '@dataos/stores';
import { composeSupergraph } from '../packages/testkit/src/compose.js';
import { createPolicies } from '../packages/testkit/src/policies.js';
import { attackReport, type Condition, type Slice } from './lib/attack-report.js';
import type { AttackReport } from './lib/attacker-child.js';
import { HOSTILE_SHAPES, attackShapes, fragmentChain } from './lib/hostile-documents.js';
import { residentMiB, watchPeak } from './lib/memory.js';
import { startChild, type Child } from './lib/processes.js';
import { formatNumber, percentile, table } from './lib/stats.js';
import { BENCH_POLICY, OPERATIONS, SUBGRAPHS, SUBGRAPH_NAMES, type OperationName } from './lib/synthetic.js';

const SHAPE_REPEATS = 20;

type Answer = { status: number; code: string; ms: number; bytes: number; data?: unknown };

function load(url: string, query: string, token: string, seconds: number, connections: number): Promise<Omit<Slice, 'peakMiB' | 'routerCpuMs'>> {
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

async function post(url: string, body: string, token?: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
    // A router that blocks on a document must not block the bench: it reports the timeout instead.
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  const answer = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  const code = answer.errors?.[0]?.extensions?.code ?? '';
  return { status: res.status, code, ms: performance.now() - started, bytes: Buffer.byteLength(text), data: answer.data };
}

/** Runs the attacker for the duration of `during`, and returns what it saw. */
async function underAttack<T>(attacker: Child, rps: number, maxSeconds: number, during: () => Promise<T>): Promise<[T, AttackReport]> {
  const report = new Promise<AttackReport>((resolve) => {
    const onMessage = (message: { attacked?: AttackReport }) => {
      if (!message?.attacked) return;
      attacker.process.off('message', onMessage);
      resolve(message.attacked);
    };
    attacker.process.on('message', onMessage);
  });
  attacker.process.send({ attack: { rps, maxSeconds } });
  // A moment for the first hostile requests to be in the router before measuring.
  await new Promise((r) => setTimeout(r, 250));
  let result: T;
  try {
    result = await during();
  } finally {
    attacker.process.send('stop');
  }
  return [result, await report];
}

/** A hostile request: no answer at all (the router died, or cut the connection) is a result too. */
const probe = (url: string, body: string): Promise<Answer> =>
  post(url, body).catch((error: Error & { cause?: { code?: string } }) => ({ status: 0, code: error.cause?.code ?? error.name, ms: NaN, bytes: 0 }));
const isDead = (child: Child) => child.process.exitCode !== null || child.process.signalCode !== null;
const mib = (n: number) => `${n.toFixed(1)} MiB`;
const count = (n: number) => n.toLocaleString('en-US');

export async function runAttackBench(): Promise<string> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
  const attackRps = Number(process.env.BENCH_ATTACK_RPS ?? 50);
  const attackConnections = Number(process.env.BENCH_ATTACK_CONNECTIONS ?? 8);
  const devstack = await startDevstack();
  Object.assign(process.env, devstack.env, { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
  const dir = await mkdtemp(join(tmpdir(), 'attack-bench-'));
  const mongo = await mongoFromEnv('HEIMDALL', `heimdall_bench_attack_${Date.now()}`, { ...process.env, HEIMDALL_MONGO_DB: undefined });
  const children: Child[] = [];
  let heimdall: Awaited<ReturnType<typeof createHeimdallSubgraph>> | undefined;
  let heimdallRunning: { url: string; stop(): Promise<void> } | undefined;
  try {
    // The router bench's set-up: real Heimdall with a policy alice passes, three synthetic subgraphs.
    heimdall = await createHeimdallSubgraph({ mongo });
    heimdallRunning = await heimdall.listen(0);
    await createPolicies(heimdallRunning.url, [
      { name: BENCH_POLICY, subjects: [['roles:id:data-dev']], actions: ['read'], objects: { paths: ['/bench/**'] } },
    ]);
    const subgraphs = await Promise.all(
      SUBGRAPH_NAMES.map((name) => startChild(new URL('./lib/subgraph-child.ts', import.meta.url), [name])),
    );
    children.push(...subgraphs);
    const supergraphPath = join(dir, 'supergraph.graphql');
    await writeFile(
      supergraphPath,
      composeSupergraph(SUBGRAPH_NAMES.map((name, i) => ({ name, url: subgraphs[i]!.url, typeDefs: SUBGRAPHS[name].typeDefs }))),
    );
    const router = await startChild(new URL('./lib/gateway-child.ts', import.meta.url), [], {
      SUPERGRAPH_PATH: supergraphPath,
      HEIMDALL_URL: heimdallRunning.url,
      // Introspection on (off by default in production), so that deep introspection meets its depth limit.
      INTROSPECTION: 'true',
    });
    children.push(router);
    const pid = router.process.pid!;
    const token = (await fetchDevToken('alice')).access_token;
    for (const [name, op] of Object.entries(OPERATIONS)) {
      const answer = await post(router.url, JSON.stringify({ query: op.query }), token);
      if (answer.status !== 200 || answer.code || !answer.data) throw new Error(`router ${name}: ${JSON.stringify(answer).slice(0, 500)}`);
    }
    for (const op of Object.values(OPERATIONS)) await load(router.url, op.query, token, 1, connections); // warm-up

    // Issue 12's "done when": the 30-level chain, anonymous, on a router that has seen no attack yet
    // (the first answer includes code that runs for the first time), then again to see it settled.
    const chainBody = JSON.stringify({ query: fragmentChain(30) });
    const before = await residentMiB(pid);
    const peak = await watchPeak(pid);
    const chain = await probe(router.url, chainBody);
    const chainPeak = await peak.stop();
    const after = await residentMiB(pid);
    const again: number[] = [];
    for (let i = 0; i < 10; i++) again.push((await probe(router.url, chainBody)).ms);
    const afterTen = await residentMiB(pid);
    const signed = (n: number) => `${n >= 0 ? '+' : ''}${mib(n)}`;
    const chainLine =
      `30-level fragment chain (${count(chainBody.length)} bytes), anonymous, alone: ${chain.status} ${chain.code} in ${formatNumber(chain.ms)} ms ` +
      `(10 more: median ${formatNumber(percentile(again.sort((a, b) => a - b), 50))} ms); router RSS ${mib(before.rss)} before, ${mib(after.rss)} after ` +
      `(${signed(after.rss - before.rss)}; peak while answering ${mib(chainPeak)}), ${mib(afterTen.rss)} after 10 more (${signed(afterTen.rss - before.rss)})`;

    // Each shape alone, one request at a time: what the router answers, and what refusing it costs
    // the router (its CPU per request tells which shape an attacker would pick).
    const shapeRows: (string | number)[][] = [];
    const warnings: string[] = [];
    for (const shape of HOSTILE_SHAPES) {
      if (isDead(router)) break;
      const answer = await probe(router.url, shape.body);
      if (!(answer.status >= 400 && answer.status < 500)) warnings.push(`!!! WARNING: "${shape.name}" sent alone got "${answer.status} ${answer.code}", not a 4xx`);
      if (answer.status === 0) {
        shapeRows.push([shape.name, count(shape.body.length), `no answer: ${answer.code}`, '', '', '', '', shape.expected]);
        continue;
      }
      const [cpuBefore, started] = [await router.cpuMs(), performance.now()];
      for (let i = 0; i < SHAPE_REPEATS; i++) await probe(router.url, shape.body);
      const [cpuMs, ms] = [((await router.cpuMs()) - cpuBefore) / SHAPE_REPEATS, (performance.now() - started) / SHAPE_REPEATS];
      shapeRows.push([shape.name, count(shape.body.length), `${answer.status} ${answer.code}`, count(answer.bytes), answer.ms, ms, cpuMs, shape.expected]);
    }

    const attacker = await startChild(new URL('./lib/attacker-child.ts', import.meta.url), [router.url, String(attackConnections)]);
    children.push(attacker);
    // Short slices, alternating: on a shared machine a burst of other work then falls on both conditions.
    const sliceCount = Math.max(1, Math.round(seconds / 2.5));
    const sliceSeconds = seconds / sliceCount;
    const slices = new Map<string, Slice[]>();
    let routerDied = '';
    const onExit = (code: number | null, signal: string | null) => (routerDied = `the router exited (${signal ?? `code ${code}`}) during the bench`);
    if (isDead(router)) routerDied = 'the router died while the hostile shapes were sent alone';
    router.process.once('exit', onExit);
    measuring: for (const [name, op] of Object.entries(OPERATIONS) as [OperationName, (typeof OPERATIONS)[OperationName]][]) {
      for (let i = 0; i < sliceCount; i++) {
        const order: Condition[] = i % 2 === 0 ? ['alone', 'attack'] : ['attack', 'alone'];
        for (const condition of order) {
          if (isDead(router)) break measuring;
          const peak = await watchPeak(pid);
          const measure = async () => {
            const cpuBefore = await router.cpuMs();
            const legit = await load(router.url, op.query, token, sliceSeconds, connections);
            return { ...legit, routerCpuMs: (await router.cpuMs()) - cpuBefore };
          };
          const [legit, attack] =
            condition === 'attack' ? await underAttack(attacker, attackRps, sliceSeconds + 5, measure) : [await measure(), undefined];
          const slice: Slice = { ...legit, peakMiB: await peak.stop(), ...(attack ? { attack } : {}) };
          slices.set(`${name}/${condition}`, [...(slices.get(`${name}/${condition}`) ?? []), slice]);
        }
      }
    }
    router.process.off('exit', onExit);
    if (!routerDied && isDead(router)) routerDied = 'the router is not running after the bench';
    if (!routerDied) {
      const alive = await post(router.url, JSON.stringify({ query: OPERATIONS.small.query }), token).catch((e: Error) => ({ status: 0, code: e.message }));
      if (alive.status !== 200) routerDied = `the router no longer answers (${alive.status} ${alive.code})`;
    }

    return [
      `Router under attack: one router process (authorization on, real Heimdall, 3 synthetic subgraphs in their own processes); ` +
        `legitimate traffic as alice at ${connections} connections, ${seconds} s per operation and condition (in ${sliceCount} slices alternating alone / under attack); ` +
        `attacker: anonymous, ${attackShapes().length} hostile shapes round-robin at ${attackRps} req/s on ${attackConnections} connections of its own process; loopback`,
      chainLine,
      '',
      `Hostile shapes, each sent alone: once, then ${SHAPE_REPEATS} times one after the other:`,
      table(['shape', 'bytes', 'answer', 'answer bytes', 'ms (first)', `ms/req (${SHAPE_REPEATS})`, 'router CPU ms/req', 'expected'], shapeRows),
      '',
      attackReport(slices, [...(routerDied ? [`!!! WARNING: ${routerDied}`] : []), ...warnings]),
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
  console.log(await runAttackBench());
  process.exit(0);
}
