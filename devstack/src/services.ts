import { execFileSync } from 'node:child_process';
import { MongoClient } from 'mongodb';
import neo4j from 'neo4j-driver';
import { cachedBuild } from './build-cache.js';
import { CACHE_DIR, DATA_DIR, DEVSTACK_DIR, REPO_DIR } from './paths.js';
import { portOpen, run } from './process.js';
import { DEFAULT_AUDIENCE } from './oidc/directory.js';

/** One local server of the devstack. */
export interface ServiceSpec {
  name: string;
  /** The variable that points services at it; when set, the devstack leaves that server alone. */
  envVar: string;
  url: string;
  port: number;
  /** Extra variables exported with it. */
  extraEnv?: Record<string, string>;
  build?: () => Promise<'cached' | 'built'>;
  /** Given the variables of the services started so far (those named in `after` among them). */
  command: (env: Record<string, string>) => { command: string; args: string[]; cwd: string; env?: NodeJS.ProcessEnv };
  /** Services started first when they are wanted too (Trino after the S3 server it stores in). */
  after?: string[];
  healthy: () => Promise<boolean>;
  /** First starts are slow (Neo4j creates its store). */
  startTimeoutMs: number;
}

const NEO4J_DIR = `${DEVSTACK_DIR}neo4j`;
const FERRET_DIR = `${DEVSTACK_DIR}ferretdb`;
const FERRET_BIN = `${CACHE_DIR}/bin/ferretdb-launcher`;

export function neo4jService(port = 7687): ServiceSpec {
  const url = `bolt://127.0.0.1:${port}`;
  return {
    name: 'neo4j',
    envVar: 'NEO4J_URI',
    url,
    port,
    startTimeoutMs: 180_000,
    build: () =>
      cachedBuild(
        'neo4j-launcher',
        [`${NEO4J_DIR}/pom.xml`, `${NEO4J_DIR}/src/main/java/dataos/devstack/Neo4jLauncher.java`],
        [`${NEO4J_DIR}/target/classes`, `${NEO4J_DIR}/target/lib`, `${NEO4J_DIR}/target/plugins`],
        () => run('mvn', ['-q', '-B', 'package', '-DskipTests'], NEO4J_DIR),
      ),
    command: () => ({
      command: 'java',
      args: [
        '-Xms256m',
        '-Xmx1g',
        '-cp',
        `${NEO4J_DIR}/target/classes:${NEO4J_DIR}/target/lib/*`,
        'dataos.devstack.Neo4jLauncher',
        `${DATA_DIR}/neo4j`,
        `${NEO4J_DIR}/target/plugins`,
        String(port),
      ],
      cwd: NEO4J_DIR,
    }),
    healthy: async () => {
      if (!(await portOpen(port))) return false;
      const driver = neo4j.driver(url, undefined, {
        connectionTimeout: 2000,
        logging: { level: 'error', logger: () => {} },
      });
      try {
        await driver.executeQuery('RETURN 1');
        return true;
      } finally {
        await driver.close();
      }
    },
  };
}

export function ferretdbService(port = 27017): ServiceSpec {
  const url = `mongodb://127.0.0.1:${port}`;
  return {
    name: 'ferretdb',
    envVar: 'MONGO_URL',
    url,
    port,
    startTimeoutMs: 60_000,
    build: () =>
      cachedBuild(
        'ferretdb-launcher',
        [`${FERRET_DIR}/go.mod`, `${FERRET_DIR}/go.sum`, `${FERRET_DIR}/main.go`],
        [FERRET_BIN],
        () => run('go', ['build', '-trimpath', '-o', FERRET_BIN, '.'], FERRET_DIR),
      ),
    command: () => ({
      command: FERRET_BIN,
      args: ['-listen', `127.0.0.1:${port}`, '-data', `${DATA_DIR}/ferretdb`],
      cwd: FERRET_DIR,
    }),
    healthy: async () => {
      if (!(await portOpen(port))) return false;
      const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000 });
      try {
        await client.db('admin').command({ ping: 1 });
        return true;
      } finally {
        await client.close();
      }
    },
  };
}

export function oidcService(port = 4400): ServiceSpec {
  const url = `http://localhost:${port}`;
  return {
    name: 'oidc',
    envVar: 'OIDC_ISSUER',
    url,
    port,
    extraEnv: { OIDC_AUDIENCE: process.env.OIDC_AUDIENCE ?? DEFAULT_AUDIENCE },
    startTimeoutMs: 30_000,
    command: () => ({
      command: process.execPath,
      args: ['--import', 'tsx', `${DEVSTACK_DIR}src/oidc/main.ts`],
      cwd: REPO_DIR,
      env: { OIDC_PORT: String(port) },
    }),
    healthy: async () => {
      const res = await fetch(`${url}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    },
  };
}

/** Fails early with a clear message when a toolchain the devstack builds with is missing. */
export function checkToolchains(): void {
  for (const [tool, args, hint] of [
    ['java', ['-version'], 'JDK 17'],
    ['mvn', ['-v'], 'Maven'],
    ['go', ['version'], 'Go 1.22+'],
  ] as const) {
    try {
      execFileSync(tool, args, { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} was not found: the devstack needs ${hint} (see .ci/install-toolchains)`);
    }
  }
}
