import { DATA_DIR } from './paths.js';
import { portOpen, spawnServer, waitUntil, type Spawned } from './process.js';
import { checkToolchains, ferretdbService, neo4jService, oidcService, type ServiceSpec } from './services.js';
import { s3Service } from './s3.js';
import { postgresService } from './postgres.js';
import { trinoService } from './trino.js';
import { claimStart, releaseStart } from './start-claim.js';

export type ServiceName = 'neo4j' | 'ferretdb' | 'oidc' | 's3' | 'postgres' | 'trino';

export interface ServiceState {
  name: string;
  url: string;
  /** started: by us, and stopped by us; reused: something already answered; external: set in the environment. */
  origin: 'started' | 'reused' | 'external';
  logFile?: string;
}

export interface Devstack {
  /** The variables services and tests read: NEO4J_URI, MONGO_URL, OIDC_ISSUER, OIDC_AUDIENCE, S3_*, POSTGRES_URL, CRMDB_*. */
  env: Record<string, string>;
  services: ServiceState[];
  stop(): Promise<void>;
}

const SPECS: Record<ServiceName, () => ServiceSpec> = {
  neo4j: () => neo4jService(),
  ferretdb: () => ferretdbService(),
  oidc: () => oidcService(),
  s3: () => s3Service(),
  postgres: () => postgresService(),
  trino: () => trinoService(),
};

/** Builds the Java and Go launchers (each skipped when its inputs did not change). */
export async function buildLaunchers(log: (line: string) => void = () => {}): Promise<void> {
  checkToolchains();
  await Promise.all(
    Object.values(SPECS).map(async (spec) => {
      const s = spec();
      if (!s.build) return;
      const t = Date.now();
      log(`${s.name}: launcher ${await s.build()} (${Date.now() - t} ms)`);
    }),
  );
}

/**
 * Starts the local servers that are not already there: a variable set in the environment
 * wins, a server already answering on its port is reused, anything else is built (cached)
 * and started. All in parallel; resolves once each is healthy.
 */
export async function startDevstack(
  options: { services?: ServiceName[]; log?: (line: string) => void } = {},
): Promise<Devstack> {
  const log = options.log ?? (() => {});
  const names = options.services ?? (['neo4j', 'ferretdb', 'oidc', 's3', 'postgres', 'trino'] as const);
  const specs = names.map((n) => SPECS[n]());
  const spawned: Spawned[] = [];
  const env: Record<string, string> = {};

  if (specs.some((s) => !process.env[s.envVar] && s.build)) checkToolchains();

  const start = async (spec: ServiceSpec): Promise<ServiceState> => {
    const external = process.env[spec.envVar];
    if (external) {
      env[spec.envVar] = external;
      for (const [k, v] of Object.entries(spec.extraEnv ?? {})) env[k] = process.env[k] ?? v;
      return { name: spec.name, url: external, origin: 'external' };
    }
    Object.assign(env, { [spec.envVar]: spec.url, ...spec.extraEnv });
    if (await spec.healthy().catch(() => false)) {
      log(`${spec.name}: reusing ${spec.url}`);
      return { name: spec.name, url: spec.url, origin: 'reused' };
    }
    if (!claimStart(spec.name)) {
      log(`${spec.name}: another devstack is starting it; waiting for ${spec.url}`);
      await waitUntil(spec.name, spec.healthy, { timeoutMs: spec.startTimeoutMs });
      return { name: spec.name, url: spec.url, origin: 'reused' };
    }
    try {
      if (spec.build) {
        const t = Date.now();
        const result = await spec.build();
        log(`${spec.name}: launcher ${result} (${Date.now() - t} ms)`);
      }
      const { command, args, cwd, env: extra } = spec.command(env);
      const server = spawnServer(spec.name, command, args, {
        cwd,
        logDir: `${DATA_DIR}/logs`,
        ...(extra ? { env: extra } : {}),
      });
      spawned.push(server);
      const t = Date.now();
      try {
        await waitUntil(spec.name, spec.healthy, {
          timeoutMs: spec.startTimeoutMs,
          child: server.child,
          logFile: server.logFile,
        });
      } catch (error) {
        // Two runs starting at once (two `npm test`s): ours lost the port to the other's server; use that one.
        if (server.child.exitCode === null || !(await portOpen(spec.port))) throw error;
        await waitUntil(spec.name, spec.healthy, { timeoutMs: spec.startTimeoutMs });
        log(`${spec.name}: another devstack started it first; reusing ${spec.url}`);
        return { name: spec.name, url: spec.url, origin: 'reused' };
      }
      log(`${spec.name}: started at ${spec.url} in ${Date.now() - t} ms (log ${server.logFile})`);
      return { name: spec.name, url: spec.url, origin: 'started', logFile: server.logFile };
    } finally {
      releaseStart(spec.name);
    }
  };

  const stop = async () => {
    await Promise.all(spawned.map((s) => s.stop()));
  };
  try {
    // In parallel, except that a service waits for those it names in `after` (when wanted too).
    const starting = new Map<string, Promise<ServiceState>>();
    const launch = (spec: ServiceSpec): Promise<ServiceState> => {
      let promise = starting.get(spec.name);
      if (!promise) {
        const first = specs.filter((s) => spec.after?.includes(s.name));
        promise = Promise.all(first.map(launch)).then(() => start(spec));
        starting.set(spec.name, promise);
      }
      return promise;
    };
    const services = await Promise.all(specs.map(launch));
    return { env, services, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
