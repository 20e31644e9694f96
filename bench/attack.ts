// npm run bench -- attack (or npx tsx bench/attack.ts): our router under attack. One router
// process (authorization on, real Heimdall, the router bench's three synthetic subgraphs), the
// legitimate `small` and `fan-out` operations at BENCH_CONNECTIONS (32) for BENCH_SECONDS (10)
// each, twice: alone, and while an anonymous attacker in its own process sends issue 12's hostile
// documents round-robin at BENCH_ATTACK_RPS (50) on BENCH_ATTACK_CONNECTIONS (8) connections of
// its own (BENCH_ATTACK_SHAPES: only the shapes whose names contain one of these words). The two
// conditions alternate in short slices so that other load on the machine falls on both alike.
// Loopback only; the attacker is bounded in count and time; a blocked router is reported, not waited for.
import { pathToFileURL } from 'node:url';
import { fetchDevToken } from '@dataos/devstack';
import { hostileAlone } from './lib/attack-alone.js';
import { cpuOf, isDead, load, post, underAttack } from './lib/attack-client.js';
import { attackReport, type Condition, type Slice } from './lib/attack-report.js';
import { attackShapes } from './lib/hostile-documents.js';
import { watchPeak } from './lib/memory.js';
import { startChild, type Child } from './lib/processes.js';
import { OPERATIONS } from './lib/synthetic.js';
import { startSyntheticStack } from './lib/synthetic-stack.js';

interface Settings {
  seconds: number;
  connections: number;
  attackRps: number;
  attackConnections: number;
}

/**
 * Legitimate load per operation in slices, alternating alone / under attack (alone, attack, attack,
 * alone, ...). Stops early when the router dies; `routerDied` then says how.
 */
async function measure(
  router: Child,
  attacker: Child,
  token: string,
  s: Settings,
): Promise<{ slices: Map<string, Slice[]>; routerDied: string }> {
  // Short slices: on a shared machine a burst of other work then falls on both conditions.
  const sliceCount = Math.max(1, Math.round(s.seconds / 2.5));
  const sliceSeconds = s.seconds / sliceCount;
  const slices = new Map<string, Slice[]>();
  let routerDied = '';
  const onExit = (code: number | null, signal: string | null) =>
    (routerDied = `the router exited (${signal ?? `code ${code}`}) during the bench`);
  router.process.once('exit', onExit);
  measuring: for (const [name, op] of Object.entries(OPERATIONS)) {
    for (let i = 0; i < sliceCount; i++) {
      const order: Condition[] = i % 2 === 0 ? ['alone', 'attack'] : ['attack', 'alone'];
      for (const condition of order) {
        if (isDead(router)) break measuring;
        const peak = await watchPeak(router.process.pid!);
        const legitimate = async () => {
          const cpuBefore = await cpuOf(router);
          const result = await load(router.url, op.query, token, sliceSeconds, s.connections);
          return { ...result, routerCpuMs: (await cpuOf(router)) - cpuBefore };
        };
        const [legit, attack] =
          condition === 'attack'
            ? await underAttack(attacker, s.attackRps, sliceSeconds + 5, legitimate)
            : [await legitimate(), undefined];
        const slice: Slice = { ...legit, peakMiB: await peak.stop(), ...(attack ? { attack } : {}) };
        slices.set(`${name}/${condition}`, [...(slices.get(`${name}/${condition}`) ?? []), slice]);
      }
    }
  }
  router.process.off('exit', onExit);
  if (!routerDied && isDead(router)) routerDied = 'the router is not running after the bench';
  if (!routerDied) {
    const alive = await post(router.url, JSON.stringify({ query: OPERATIONS.small.query }), token);
    if (alive.status !== 200) routerDied = `the router no longer answers (${alive.status} ${alive.code})`;
  }
  return { slices, routerDied };
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0) || !Number.isFinite(value))
    throw new Error(`${name} must be a positive number, got "${process.env[name]}"`);
  return value;
}

export async function runAttackBench(): Promise<string> {
  const settings: Settings = {
    seconds: positive('BENCH_SECONDS', 10),
    connections: positive('BENCH_CONNECTIONS', 32),
    attackRps: positive('BENCH_ATTACK_RPS', 50),
    attackConnections: positive('BENCH_ATTACK_CONNECTIONS', 8),
  };
  const shapes = attackShapes(); // a BENCH_ATTACK_SHAPES that names nothing fails here, before anything starts
  // Ctrl-C or a timeout must not leave a router behind (children are killed on 'exit', which a signal skips).
  const onSignal = () => process.exit(130);
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const stack = await startSyntheticStack('attack');
  const { children } = stack;
  try {
    const router = await startChild(new URL('./lib/gateway-child.ts', import.meta.url), [], {
      SUPERGRAPH_PATH: stack.supergraphPath,
      HEIMDALL_URL: stack.heimdallUrl,
      // Introspection on (off by default in production), so that deep introspection meets its depth limit.
      INTROSPECTION: 'true',
    });
    children.push(router);
    const token = (await fetchDevToken('alice')).access_token;
    for (const [name, op] of Object.entries(OPERATIONS)) {
      const answer = await post(router.url, JSON.stringify({ query: op.query }), token);
      if (answer.status !== 200 || answer.code || !answer.data)
        throw new Error(`router ${name}: ${JSON.stringify(answer).slice(0, 500)}`);
    }
    for (const op of Object.values(OPERATIONS)) await load(router.url, op.query, token, 1, settings.connections); // warm-up

    const header =
      `Router under attack: one router process (authorization on, real Heimdall, 3 synthetic subgraphs in their own processes); ` +
      `legitimate traffic as alice at ${settings.connections} connections, ${settings.seconds} s per operation and condition ` +
      `(in slices alternating alone / under attack); attacker: anonymous, ${shapes.length} hostile shapes round-robin at ` +
      `${settings.attackRps} req/s on ${settings.attackConnections} connections of its own process; loopback`;
    const alone = await hostileAlone(router);
    if (!alone.answering) {
      return [
        header,
        alone.text,
        '',
        ...alone.warnings,
        isDead(router) ? '!!! WARNING: the router died' : '!!! WARNING: the router stopped answering',
      ].join('\n');
    }
    const attacker = await startChild(new URL('./lib/attacker-child.ts', import.meta.url), [
      router.url,
      String(settings.attackConnections),
    ]);
    children.push(attacker);
    const { slices, routerDied } = await measure(router, attacker, token, settings);
    return [
      header,
      alone.text,
      '',
      attackReport(slices, [...(routerDied ? [`!!! WARNING: ${routerDied}`] : []), ...alone.warnings]),
    ].join('\n');
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await stack.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await runAttackBench());
  process.exit(0);
}
