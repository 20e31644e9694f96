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
import type { AttackReport } from './lib/attacker-child.js';
import { HOSTILE_SHAPES, fragmentChain } from './lib/hostile-documents.js';
import { residentMiB, watchPeak } from './lib/memory.js';
import { startChild, type Child } from './lib/processes.js';
import { formatNumber, percentile, table } from './lib/stats.js';
import { BENCH_POLICY, OPERATIONS, SUBGRAPHS, SUBGRAPH_NAMES, type OperationName } from './lib/synthetic.js';

type Condition = 'alone' | 'attack';

const SHAPE_REPEATS = 20;

interface Slice {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failed: number;
  peakMiB: number;
  /** CPU time of the router process during the slice, in ms. */
  routerCpuMs: number;
  attack?: AttackReport;
}

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

async function post(url: string, body: string, token?: string): Promise<{ status: number; code: string; ms: number; bytes: number; data?: unknown }> {
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
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
    const chain = await post(router.url, chainBody);
    const chainPeak = await peak.stop();
    const after = await residentMiB(pid);
    const again: number[] = [];
    for (let i = 0; i < 10; i++) again.push((await post(router.url, chainBody)).ms);
    const afterTen = await residentMiB(pid);
    const signed = (n: number) => `${n >= 0 ? '+' : ''}${mib(n)}`;
    const chainLine =
      `30-level fragment chain (${count(chainBody.length)} bytes), anonymous, alone: ${chain.status} ${chain.code} in ${formatNumber(chain.ms)} ms ` +
      `(10 more: median ${formatNumber(percentile(again.sort((a, b) => a - b), 50))} ms); router RSS ${mib(before.rss)} before, ${mib(after.rss)} after ` +
      `(${signed(after.rss - before.rss)}; peak while answering ${mib(chainPeak)}), ${mib(afterTen.rss)} after 10 more (${signed(afterTen.rss - before.rss)})`;

    // Each shape alone, one request at a time: what the router answers, and what refusing it costs
    // the router (its CPU per request tells which shape an attacker would pick).
    const shapeRows: (string | number)[][] = [];
    for (const shape of HOSTILE_SHAPES) {
      const answer = await post(router.url, shape.body);
      const [cpuBefore, started] = [await router.cpuMs(), performance.now()];
      for (let i = 0; i < SHAPE_REPEATS; i++) await post(router.url, shape.body);
      const [cpuMs, ms] = [((await router.cpuMs()) - cpuBefore) / SHAPE_REPEATS, (performance.now() - started) / SHAPE_REPEATS];
      shapeRows.push([shape.name, count(shape.body.length), `${answer.status} ${answer.code}`, count(answer.bytes), answer.ms, ms, cpuMs, shape.expected]);
    }

    const attacker = await startChild(new URL('./lib/attacker-child.ts', import.meta.url), [router.url, String(attackConnections)]);
    children.push(attacker);
    const sliceCount = Math.max(1, Math.round(seconds / 5));
    const sliceSeconds = seconds / sliceCount;
    const slices = new Map<string, Slice[]>();
    let routerDied = '';
    const onExit = (code: number | null, signal: string | null) => (routerDied = `the router exited (${signal ?? `code ${code}`}) during the bench`);
    router.process.once('exit', onExit);
    measuring: for (const [name, op] of Object.entries(OPERATIONS) as [OperationName, (typeof OPERATIONS)[OperationName]][]) {
      for (let i = 0; i < sliceCount; i++) {
        const order: Condition[] = i % 2 === 0 ? ['alone', 'attack'] : ['attack', 'alone'];
        for (const condition of order) {
          if (isDead(router)) break measuring;
          const peak = await watchPeak(pid);
          const cpuBefore = await router.cpuMs();
          const measure = () => load(router.url, op.query, token, sliceSeconds, connections);
          const [legit, attack] =
            condition === 'attack' ? await underAttack(attacker, attackRps, sliceSeconds + 5, measure) : [await measure(), undefined];
          const slice: Slice = { ...legit, peakMiB: await peak.stop(), routerCpuMs: (await router.cpuMs()) - cpuBefore, ...(attack ? { attack } : {}) };
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

    const rows: (string | number)[][] = [];
    const ratios: string[] = [];
    const attackAnswers = new Map<string, Record<string, number>>();
    const warnings: string[] = [];
    for (const op of Object.keys(OPERATIONS) as OperationName[]) {
      const summary = new Map<Condition, { rps: number; p99: number; peak: number }>();
      for (const condition of ['alone', 'attack'] as const) {
        const taken = slices.get(`${op}/${condition}`) ?? [];
        if (!taken.length) continue;
        const requests = taken.reduce((n, s) => n + s.requests, 0);
        const rps = requests / taken.reduce((n, s) => n + s.seconds, 0);
        // The worst slice: conservative, and the same rule for both conditions.
        const p50 = Math.max(...taken.map((s) => s.p50));
        const p99 = Math.max(...taken.map((s) => s.p99));
        const peakMiB = Math.max(...taken.map((s) => s.peakMiB));
        const failed = taken.reduce((n, s) => n + s.failed, 0);
        // Of one core: how busy the router was, to tell its own limit from the machine's.
        const routerCpu = (100 * taken.reduce((n, s) => n + s.routerCpuMs, 0)) / (1000 * taken.reduce((n, s) => n + s.seconds, 0));
        summary.set(condition, { rps, p99, peak: peakMiB });
        const reports = taken.flatMap((s) => (s.attack ? [s.attack] : []));
        let attackCells: (string | number)[] = ['', '', '', '', '', ''];
        if (reports.length) {
          let [ok400, other4xx, not4xx] = [0, 0, 0];
          for (const report of reports) {
            for (const [shape, answers] of Object.entries(report.answers)) {
              const merged = attackAnswers.get(shape) ?? {};
              for (const [answer, n] of Object.entries(answers)) {
                merged[answer] = (merged[answer] ?? 0) + n;
                const status = Number(answer.split(' ')[0]);
                if (status === 400) ok400 += n;
                else if (status >= 400 && status < 500) other4xx += n;
                else {
                  not4xx += n;
                  warnings.push(`!!! WARNING: ${OPERATIONS[op].label}: ${n} attack request(s) "${shape}" got "${answer}", not a 4xx`);
                }
              }
              attackAnswers.set(shape, merged);
            }
          }
          const sent = reports.reduce((n, r) => n + r.sent, 0);
          const skipped = reports.reduce((n, r) => n + r.skipped, 0);
          if (skipped) warnings.push(`!!! WARNING: ${OPERATIONS[op].label}: the attacker skipped ${skipped} sends: the router fell so far behind that its in-flight bound was reached`);
          const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
          const rate = sent / reports.reduce((n, r) => n + r.seconds, 0);
          const attackerCpu = (100 * reports.reduce((n, r) => n + r.cpuMs, 0)) / (1000 * reports.reduce((n, r) => n + r.seconds, 0));
          attackCells = [`${sent} (${formatNumber(rate)}/s)`, count(ok400), count(other4xx), count(not4xx), percentile(latencies, 99), attackerCpu];
        }
        rows.push([OPERATIONS[op].label, condition === 'alone' ? 'alone' : 'under attack', rps, p50, p99, count(failed), routerCpu, peakMiB, ...attackCells]);
      }
      const [alone, attacked] = [summary.get('alone'), summary.get('attack')];
      if (alone && attacked) {
        ratios.push(
          `${OPERATIONS[op].label}: requests/s under attack / alone ${formatNumber(attacked.rps / alone.rps)}x, ` +
            `p99 ${formatNumber(attacked.p99 / alone.p99)}x, router peak RSS ${formatNumber(attacked.peak / alone.peak)}x`,
        );
      }
    }
    if (routerDied) warnings.unshift(`!!! WARNING: ${routerDied}`);
    const answerRows = HOSTILE_SHAPES.map((shape) => [
      shape.name,
      Object.entries(attackAnswers.get(shape.name) ?? {})
        .map(([answer, n]) => `${answer} x${n}`)
        .join(', '),
    ]);
    return [
      `Router under attack: one router process (authorization on, real Heimdall, 3 synthetic subgraphs in their own processes); ` +
        `legitimate traffic as alice at ${connections} connections, ${seconds} s per operation and condition (in ${sliceCount} slices alternating alone / under attack); ` +
        `attacker: anonymous, ${HOSTILE_SHAPES.length} hostile shapes round-robin at ${attackRps} req/s on ${attackConnections} connections of its own process; loopback`,
      chainLine,
      '',
      `Hostile shapes, each sent alone: once, then ${SHAPE_REPEATS} times one after the other:`,
      table(['shape', 'bytes', 'answer', 'answer bytes', 'ms (first)', `ms/req (${SHAPE_REPEATS})`, 'router CPU ms/req', 'expected'], shapeRows),
      '',
      'Legitimate traffic (p50/p99: worst slice; peak RSS: the router process, kernel VmHWM per slice) and the attacker:',
      table(
        ['operation', 'condition', 'requests/s', 'p50 ms', 'p99 ms', 'failed', 'router CPU %', 'router peak RSS MiB', 'attack sent', '400', 'other 4xx', 'not 4xx', 'attack p99 ms', 'attacker CPU %'],
        rows,
      ),
      '',
      ...ratios,
      '',
      'What the attacker got, per shape:',
      table(['shape', 'answers (status code x count)'], answerRows),
      ...(warnings.length ? ['', ...warnings] : ['', 'Every attack request got a 4xx, and the router kept running.']),
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
