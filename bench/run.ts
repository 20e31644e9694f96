// npm run bench [-- heimdall router metis ...]: every benchmark, or the named ones, in one run.
// Each prints ratios against a baseline measured in the same run; machines here are shared.
import { startDevstack } from '@dataos/devstack';

const BENCHES: Record<string, { file: string; fn: string }> = {
  heimdall: { file: './heimdall.js', fn: 'runHeimdallBench' },
  router: { file: './router.js', fn: 'runRouterBench' },
  metis: { file: './metis.js', fn: 'runMetisBench' },
  odin: { file: './odin.js', fn: 'runOdinBench' },
  gateway: { file: './gateway.js', fn: 'runGatewayBench' },
  engines: { file: './engines.js', fn: 'runEnginesBench' },
  caretaker: { file: './caretaker.js', fn: 'runCaretakerBench' },
  attack: { file: './attack.js', fn: 'runAttackBench' },
  subscriptions: { file: './subscriptions.js', fn: 'runSubscriptionsBench' },
  'pdp-peers': { file: './pdp-peers.js', fn: 'runPdpPeersBench' },
  'service-identity': { file: './service-identity.js', fn: 'runServiceIdentityBench' },
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(BENCHES);
const unknown = names.filter((n) => !BENCHES[n]);
if (unknown.length) {
  console.error(`unknown bench "${unknown.join('", "')}": ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
// One devstack for the whole run: each bench's own startDevstack() then finds it in the
// environment and leaves it alone, instead of stopping it under the next bench.
const devstack = await startDevstack();
Object.assign(process.env, devstack.env);
try {
  for (const name of names) {
    const bench = BENCHES[name]!;
    let module: Record<string, () => Promise<string>>;
    try {
      module = (await import(bench.file)) as typeof module;
    } catch (error) {
      console.log(`\n## ${name}\n(not available: ${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const started = Date.now();
    console.log(`\n## ${name}`);
    console.log(await module[bench.fn]!());
    console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
} finally {
  await devstack.stop();
}
