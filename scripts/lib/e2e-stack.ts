import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEV_CLIENTS, startDevstack, startIssuer, type RunningIssuer } from '@dataos/devstack';
import { mongoFromEnv } from '@dataos/stores';
import { seedDemo } from './seed.js';
import { Supervisor } from './supervisor.js';
import { REPO_ROOT, SUBGRAPHS, SUPERGRAPH_FILE } from './subgraphs.js';
import { E2E_PORTS } from './e2e-ports.js';
import { devRouterIdentityEnv, devServiceIdentityEnv } from './service-identity.js';

export { E2E_PORTS };

export interface E2eStack {
  routerUrl: string;
  issuerUrl: string;
  consoleUrl: string;
  /** Stops the router (SIGTERM, as a rollout does); its supervisor starts it again after its backoff. */
  restartRouter(): Promise<void>;
  stop(): Promise<void>;
}

export interface E2eStackOptions {
  /** Access-token lifetime of the stack's issuer (seconds): short, so renewals happen during the tests. */
  accessTokenTtl: number;
  /** Seconds before expiry the console renews (VITE_OIDC_RENEW_BEFORE_SECONDS). */
  renewBeforeSeconds: number;
  log?: (line: string) => void;
}

const MONGO_SERVICES = ['HEIMDALL', 'GATEWAY', 'CARETAKER'] as const;

/** Until `url` answers 2xx, or (`anyAnswer`) anything at all: a router with a subgraph down says 503. */
async function waitHealthy(name: string, url: string, anyAnswer = false, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok || anyAnswer,
      () => false,
    );
    if (ok) return;
    await sleep(250);
  }
  throw new Error(`${name} did not become healthy at ${url}`);
}

/**
 * Router, subgraphs and the built console on E2E_PORTS against the shared devstack (Neo4j,
 * FerretDB reused, started when absent), with the demo data: the catalog in Neo4j (idempotent,
 * as `npm run dev` seeds it), policies, clusters and pods in MongoDB databases of this run alone,
 * dropped on stop. The stack has its own dev issuer (same keys and users as the shared one) because
 * its tokens must be short-lived and the shared one's are not.
 */
export async function startE2eStack(options: E2eStackOptions): Promise<E2eStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  // PostgreSQL holds the demo crmdb, which the stack's Metis scans on demand (sources.spec.ts).
  const devstack = await startDevstack({
    services: ['neo4j', 'ferretdb', 'postgres'],
    log: (l) => log(`[devstack] ${l}`),
  });
  const run = `console_e2e_${randomBytes(4).toString('hex')}`;
  let issuer: RunningIssuer | undefined;
  const supervisor = new Supervisor({ graceMs: 5000, log: (l) => log(`[e2e] ${l}`) });
  const url = (port: number) => `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...devstack.env,
    OIDC_ISSUER: url(E2E_PORTS.issuer),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    APOLLO_TELEMETRY_DISABLED: '1',
    HEIMDALL_URL: `${url(E2E_PORTS.heimdall)}/graphql`,
    METIS_URL: `${url(E2E_PORTS.metis)}/graphql`,
    // The Gateway asks Odin for the columns' concepts (without it, every column fails closed).
    ODIN_URL: `${url(E2E_PORTS.odin)}/graphql`,
    // Metis profiles through the Gateway (as its service principal) and asks it each reader's masks.
    METIS_GATEWAY_URL: `${url(E2E_PORTS.gateway)}/graphql`,
    // Metis scans crmdb only when asked (Scan now), as `npm run dev` does (the password stays in CRMDB_PASSWORD).
    METIS_SCANS: JSON.stringify([
      { depot: 'crmdb', type: 'postgres', url: devstack.env.CRMDB_URL, passwordEnv: 'CRMDB_PASSWORD', everySeconds: 0 },
    ]),
    ...Object.fromEntries(MONGO_SERVICES.map((s) => [`${s}_MONGO_DB`, `${run}_${s.toLowerCase()}`])),
  };

  const stop = async () => {
    await supervisor.stop();
    // Drop this run's databases (mongoFromEnv connects; it creates nothing by itself).
    await issuer?.stop();
    for (const service of MONGO_SERVICES) {
      const store = await mongoFromEnv(service, `${run}_${service.toLowerCase()}`, env).catch(() => undefined);
      await store?.db.dropDatabase().catch(() => undefined);
      await store?.close();
    }
    await devstack.stop();
  };

  const start = (name: string, entry: string, port: number, extra: NodeJS.ProcessEnv = {}) =>
    supervisor.start({
      name,
      command: process.execPath,
      args: ['--import', 'tsx', entry],
      options: {
        cwd: REPO_ROOT,
        env: { ...env, ...extra, PORT: String(port) },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    });

  try {
    issuer = await startIssuer({ port: E2E_PORTS.issuer, accessTokenTtl: options.accessTokenTtl });
    log(`[e2e] demo data: ${JSON.stringify(await seedDemo(env))}`);
    // Service identity on every hop, as in production (this issuer has the per-service clients).
    for (const { name } of SUBGRAPHS)
      start(name, `subgraphs/${name}/src/main.ts`, E2E_PORTS[name], devServiceIdentityEnv(name));
    await Promise.all(SUBGRAPHS.map(({ name }) => waitHealthy(name, `${url(E2E_PORTS[name])}/health`)));
    const routerEnv = {
      SUPERGRAPH_PATH: SUPERGRAPH_FILE,
      ROUTER_CLIENT_ID: DEV_CLIENTS.services,
      ROUTER_CLIENT_SECRET: DEV_CLIENTS.servicesSecret,
      CORS_ORIGINS: url(E2E_PORTS.console),
      ...devRouterIdentityEnv(),
      ...Object.fromEntries(
        SUBGRAPHS.map(({ name }) => [`SUBGRAPH_${name.toUpperCase()}_URL`, `${url(E2E_PORTS[name])}/graphql`]),
      ),
    };
    start('router', 'router/src/main.ts', E2E_PORTS.router, routerEnv);
    // The same supergraph with Odin and the Gateway down, for the console's "service down" notices.
    start('router-degraded', 'router/src/main.ts', E2E_PORTS.degradedRouter, {
      ...routerEnv,
      SUBGRAPH_ODIN_URL: `${url(E2E_PORTS.unreachable)}/graphql`,
      SUBGRAPH_GATEWAY_URL: `${url(E2E_PORTS.unreachable)}/graphql`,
    });
    // The console as it ships: a production build, served by Vite's preview server.
    const consoleEnv = {
      VITE_ROUTER_URL: `${url(E2E_PORTS.router)}/graphql`,
      VITE_OIDC_AUTHORITY: url(E2E_PORTS.issuer),
      VITE_OIDC_RENEW_BEFORE_SECONDS: String(options.renewBeforeSeconds),
    };
    await buildConsole({ ...env, ...consoleEnv });
    supervisor.start({
      name: 'console',
      command: process.execPath,
      args: [VITE_BIN, 'preview', '--outDir', E2E_OUT_DIR, '--port', String(E2E_PORTS.console), '--strictPort'],
      options: { cwd: CONSOLE_DIR, env: { ...env, ...consoleEnv }, stdio: ['ignore', 'inherit', 'inherit'] },
    });
    await Promise.all([
      waitHealthy('router', `${url(E2E_PORTS.router)}/health`),
      waitHealthy('router-degraded', `${url(E2E_PORTS.degradedRouter)}/health`, true),
      waitHealthy('console', url(E2E_PORTS.console)),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    routerUrl: `${url(E2E_PORTS.router)}/graphql`,
    issuerUrl: url(E2E_PORTS.issuer),
    consoleUrl: url(E2E_PORTS.console),
    restartRouter: async () => {
      const router = supervisor.child('router');
      if (!router || router.exitCode !== null) return;
      await new Promise((resolve) => {
        router.once('exit', resolve);
        router.kill('SIGTERM');
      });
    },
    stop,
  };
}

const CONSOLE_DIR = `${REPO_ROOT}apps/console`;
const VITE_BIN = `${REPO_ROOT}node_modules/vite/bin/vite.js`;
/** Apart from `dist/`, so the e2e build (its own router and issuer) never ships by mistake. */
const E2E_OUT_DIR = '.e2e-dist';

async function buildConsole(env: NodeJS.ProcessEnv): Promise<void> {
  const { spawn } = await import('node:child_process');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [VITE_BIN, 'build', '--outDir', E2E_OUT_DIR, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: CONSOLE_DIR,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`console build exited with ${code}`))));
  });
}
