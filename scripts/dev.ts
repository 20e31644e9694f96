import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDevstack } from '@dataos/devstack';
import { describeCounts, seedDemo } from './lib/seed.js';
import { REPO_ROOT, SUBGRAPHS, SUPERGRAPH_FILE } from './lib/subgraphs.js';

// npm run dev: devstack + demo data + every subgraph + the router, until Ctrl-C.
const ROUTER_PORT = Number(process.env.PORT ?? 4000);
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

const devstack = await startDevstack({ log: (line) => console.log(`[devstack] ${line}`) });
const env: NodeJS.ProcessEnv = { ...process.env, ...devstack.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };

function start(name: string, entry: string, port: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: REPO_ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited with code ${code}; stopping everything`);
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitHealthy(name: string, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

async function shutdown(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n[dev] stopping...');
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await devstack.stop();
  process.exit(code);
}
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

try {
  console.log(`[seed] demo data in place: ${describeCounts(await seedDemo(env))}`);
  for (const { name, port } of SUBGRAPHS) start(name, `subgraphs/${name}/src/main.ts`, port);
  await Promise.all(SUBGRAPHS.map(({ name, port }) => waitHealthy(name, `http://127.0.0.1:${port}/health`)));
  env.SUPERGRAPH_PATH ??= SUPERGRAPH_FILE;
  start('router', 'router/src/main.ts', ROUTER_PORT);
  await waitHealthy('router', `http://127.0.0.1:${ROUTER_PORT}/health`);
} catch (error) {
  console.error(`[dev] ${(error as Error).message}`);
  await shutdown(1);
}

console.log(`
DataOS supergraph is running
  router (Sandbox in a browser)  http://localhost:${ROUTER_PORT}/graphql
${SUBGRAPHS.map(({ name, port }) => `  ${name.padEnd(30)} http://localhost:${port}/graphql`).join('\n')}
${devstack.services.map((s) => `  ${s.name.padEnd(30)} ${s.url} (${s.origin})`).join('\n')}

  a token:  npm run token -- alice     (users: alice, bob, carol, dave)
  then in Sandbox, Headers: Authorization: Bearer <token>
Ctrl-C stops everything.`);
