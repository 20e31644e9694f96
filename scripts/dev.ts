import { setTimeout as sleep } from 'node:timers/promises';
import { DEV_CLIENTS, startDevstack } from '@dataos/devstack';
import { caretakerArchiveEnv } from './lib/caretaker-archive.js';
import { caretakerMetisEnv } from './lib/caretaker-metis.js';
import { devProfileSchedules } from './lib/metis-profiles.js';
import { describeCounts, seedDemo } from './lib/seed.js';
import { registerTrinoCluster, seedTrinoLakehouse } from './lib/seed-trino.js';
import { Supervisor } from './lib/supervisor.js';
import { REPO_ROOT, SUBGRAPHS, SUPERGRAPH_FILE } from './lib/subgraphs.js';
import { devRouterIdentityEnv, devServiceIdentityEnv, issuerHasServiceClients } from './lib/service-identity.js';

// npm run dev: devstack + demo data + every subgraph + the router, until Ctrl-C.
const ROUTER_PORT = Number(process.env.PORT ?? 4000);

const devstack = await startDevstack({ log: (line) => console.log(`[devstack] ${line}`) });
const env: NodeJS.ProcessEnv = { ...process.env, ...devstack.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
// Caretaker archives history to the devstack's S3 server (bucket caretaker-archive).
Object.assign(env, await caretakerArchiveEnv(env));
// ... and pushes the resources owning its pods to Metis as a service principal.
Object.assign(env, caretakerMetisEnv(env));
// Metis scans the demo depots on start and every 5 minutes: crmdb in the devstack's PostgreSQL
// (the password stays in CRMDB_PASSWORD) and icebase in its Trino (whose table comments are the
// lakehouse seed's fingerprints, not descriptions).
env.METIS_SCANS ??= JSON.stringify([
  ...(env.CRMDB_URL
    ? [{ depot: 'crmdb', type: 'postgres', url: env.CRMDB_URL, passwordEnv: 'CRMDB_PASSWORD', everySeconds: 300 }]
    : []),
  ...(env.TRINO_URL
    ? [{ depot: 'icebase', type: 'trino', url: env.TRINO_URL, catalog: 'icebase', comments: false, everySeconds: 300 }]
    : []),
]);
// ... and profiles the demo lakehouse through the Gateway (its first runs retry until the Gateway is up).
env.METIS_GATEWAY_URL ??= `http://127.0.0.1:${SUBGRAPHS.find((s) => s.name === 'gateway')!.port}/graphql`;
env.METIS_PROFILES ??= devProfileSchedules(Boolean(env.TRINO_URL));

const supervisor = new Supervisor({ graceMs: 5000 });

function start(name: string, entry: string, port: number, extra: NodeJS.ProcessEnv = {}): void {
  supervisor.start({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', entry],
    options: { cwd: REPO_ROOT, env: { ...env, ...extra, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] },
  });
}

// Service identity on every hop, as in production: each service calls as its own dev client and
// accepts only its callers (SERVICE_IDENTITY=off to turn it off; an issuer started before the
// service clients existed turns it off with a warning).
const identity =
  process.env.SERVICE_IDENTITY !== 'off' &&
  (await issuerHasServiceClients(env.OIDC_ISSUER ?? 'http://localhost:4400').then((ok) => {
    if (!ok) console.warn('[dev] the dev issuer has no per-service clients (restart it): service identity is off');
    return ok;
  }));

async function waitHealthy(name: string, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

// The console: Vite's dev server, a client of the router only (the router's CORS allows :3000).
const CONSOLE_PORT = 3000;
function startConsole(): void {
  supervisor.start({
    name: 'console',
    command: process.execPath,
    args: [`${REPO_ROOT}node_modules/vite/bin/vite.js`, '--port', String(CONSOLE_PORT), '--strictPort'],
    options: {
      cwd: `${REPO_ROOT}apps/console`,
      env: {
        ...env,
        VITE_ROUTER_URL: `http://localhost:${ROUTER_PORT}/graphql`,
        VITE_OIDC_AUTHORITY: env.OIDC_ISSUER ?? 'http://localhost:4400',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  });
}

let stopping = false;
/** Stops everything; a second signal while stopping kills what is left, a third exits at once. */
async function shutdown(code = 0): Promise<void> {
  if (stopping) {
    console.log('[dev] stopping now');
    void supervisor.stop();
    return;
  }
  stopping = true;
  console.log('\n[dev] stopping...');
  const hardExit = setTimeout(() => process.exit(code || 1), 15_000);
  hardExit.unref();
  await supervisor.stop();
  await devstack.stop().catch((error: unknown) => console.error(`[dev] devstack: ${(error as Error).message}`));
  process.exit(code);
}
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (++signals >= 3) process.exit(130);
    void shutdown(0);
  });
}

try {
  console.log(`[seed] demo data in place: ${describeCounts(await seedDemo(env))}`);
  // The lakehouse in the devstack's Trino (never an external one), and its Minerva cluster.
  const trino = devstack.services.find((s) => s.name === 'trino');
  if (trino && trino.origin !== 'external')
    console.log(`[seed] lakehouse in Trino: ${await seedTrinoLakehouse(trino.url)} tables written`);
  if (env.TRINO_URL) await registerTrinoCluster(env.TRINO_URL, env);
  for (const { name, port } of SUBGRAPHS)
    start(name, `subgraphs/${name}/src/main.ts`, port, identity ? devServiceIdentityEnv(name) : {});
  await Promise.all(SUBGRAPHS.map(({ name, port }) => waitHealthy(name, `http://127.0.0.1:${port}/health`)));
  env.SUPERGRAPH_PATH ??= SUPERGRAPH_FILE;
  // The router asks Heimdall as itself: the dev issuer's services client is its identity here.
  env.ROUTER_CLIENT_ID ??= DEV_CLIENTS.services;
  env.ROUTER_CLIENT_SECRET ??= DEV_CLIENTS.servicesSecret;
  start('router', 'router/src/main.ts', ROUTER_PORT, identity ? devRouterIdentityEnv() : {});
  await waitHealthy('router', `http://127.0.0.1:${ROUTER_PORT}/health`);
  startConsole();
  await waitHealthy('console', `http://localhost:${CONSOLE_PORT}/`);
} catch (error) {
  console.error(`[dev] ${(error as Error).message}`);
  await shutdown(1);
}

console.log(`
DataOS supergraph is running
  console (sign in: alice, ...)  http://localhost:${CONSOLE_PORT}
  router (Sandbox in a browser)  http://localhost:${ROUTER_PORT}/graphql
${SUBGRAPHS.map(({ name, port }) => `  ${name.padEnd(30)} http://localhost:${port}/graphql`).join('\n')}
${devstack.services.map((s) => `  ${s.name.padEnd(30)} ${s.url} (${s.origin})`).join('\n')}

  a token:  npm run token -- alice     (users: alice, bob, carol, dave)
  then in Sandbox, Headers: Authorization: Bearer <token>
A service that dies is started again. Ctrl-C stops everything.`);
