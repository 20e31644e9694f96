import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedBuild } from './build-cache.js';
import { DATA_DIR, DEVSTACK_DIR } from './paths.js';
import { portOpen, run } from './process.js';
import type { ServiceSpec } from './services.js';

const TRINO_DIR = `${DEVSTACK_DIR}trino`;
const CLASSPATH_FILE = `${TRINO_DIR}/target/classpath.txt`;

/** The catalogs of the demo lakehouse: one Iceberg catalog per depot of the demo datasets. */
export const LAKEHOUSE_CATALOGS = ['icebase', 'lakehouse'] as const;
/** The bucket that holds the lakehouse when the devstack has an S3 server. */
export const LAKEHOUSE_BUCKET = 'lakehouse';

/**
 * Trino 483 needs Java 25 while the rest of the devstack builds with JDK 17: the first JDK 25+
 * among JAVA25_HOME, JAVA_HOME and the JDKs installed side by side (`/usr/lib/jvm/*`), found by
 * the `JAVA_VERSION` in each JDK's `release` file. Null when there is none.
 */
export function findJdk25(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.JAVA25_HOME, env.JAVA_HOME];
  const jvmDir = '/usr/lib/jvm';
  if (existsSync(jvmDir)) {
    // Names with 25 in them first (temurin-25-jdk-amd64), then any other newer JDK.
    const names = readdirSync(jvmDir).sort((a, b) => Number(!a.includes('25')) - Number(!b.includes('25')));
    candidates.push(...names.map((name) => join(jvmDir, name)));
  }
  for (const home of candidates) {
    if (!home || !existsSync(join(home, 'bin', 'java')) || !existsSync(join(home, 'release'))) continue;
    const version = /^JAVA_VERSION="(\d+)/m.exec(readFileSync(join(home, 'release'), 'utf8'));
    if (version && Number(version[1]) >= 25) return home;
  }
  return null;
}

function requireJdk25(): string {
  const home = findJdk25();
  if (!home)
    throw new Error(
      'Trino 483 needs a JDK 25 (none found in JAVA25_HOME, JAVA_HOME or /usr/lib/jvm): install one, ' +
        'or point TRINO_URL at a running Trino (see the devstack notes in README.md).',
    );
  return home;
}

export interface TrinoAnswer {
  columns: string[];
  rows: unknown[][];
}

/**
 * Runs one statement over Trino's client protocol (POST /v1/statement, then follow nextUri) and
 * returns every row: enough for health checks, seeding and tests; the Gateway has its own client.
 */
export async function trinoQuery(
  url: string,
  sql: string,
  options: { user?: string; timeoutMs?: number } = {},
): Promise<TrinoAnswer> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const headers = { 'X-Trino-User': options.user ?? 'dataos-devstack', 'X-Trino-Source': 'dataos-devstack' };
  let request: { url: string; init: RequestInit } = {
    url: `${url}/v1/statement`,
    init: { method: 'POST', headers, body: sql },
  };
  const answer: TrinoAnswer = { columns: [], rows: [] };
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0)
      throw new Error(`Trino did not answer within ${options.timeoutMs ?? 120_000} ms: ${sql.slice(0, 80)}`);
    const res = await fetch(request.url, { ...request.init, signal: AbortSignal.timeout(left) });
    // The protocol asks clients to retry these.
    if ([502, 503, 504].includes(res.status)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    if (!res.ok) throw new Error(`Trino answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const body = (await res.json()) as {
      nextUri?: string;
      columns?: { name: string }[];
      data?: unknown[][];
      error?: { errorName: string; message: string };
    };
    if (body.error) throw new Error(`${body.error.errorName}: ${body.error.message}`);
    if (body.columns) answer.columns = body.columns.map((c) => c.name);
    if (body.data) answer.rows.push(...body.data);
    if (!body.nextUri) return answer;
    request = { url: body.nextUri, init: { headers } };
  }
}

/**
 * Where the lakehouse's tables live: TRINO_WAREHOUSE when set (a folder or s3://bucket/prefix),
 * else the `lakehouse` bucket of the devstack's S3 server when there is one, else a local folder.
 */
export function trinoWarehouse(env: Record<string, string | undefined>): string {
  if (env.TRINO_WAREHOUSE) return env.TRINO_WAREHOUSE;
  return env.S3_ENDPOINT ? `s3://${LAKEHOUSE_BUCKET}` : `${DATA_DIR}/trino/warehouse`;
}

/**
 * Trino in process (TestingTrinoServer, devstack/trino) with Iceberg catalogs `icebase` and
 * `lakehouse`, and `memory`. Its JVM is capped at 1 GB of heap: the machine is shared.
 */
export function trinoService(port = 4480): ServiceSpec {
  const url = `http://127.0.0.1:${port}`;
  return {
    name: 'trino',
    envVar: 'TRINO_URL',
    url,
    port,
    // The first start on a loaded 2-core machine took over a minute.
    startTimeoutMs: 240_000,
    after: ['s3'],
    build: () => {
      const javaHome = requireJdk25();
      return cachedBuild(
        'trino-launcher',
        [`${TRINO_DIR}/pom.xml`, `${TRINO_DIR}/src/main/java/dataos/devstack/TrinoLauncher.java`],
        [`${TRINO_DIR}/target/classes`, CLASSPATH_FILE],
        () => run('mvn', ['-q', '-B', 'package', '-DskipTests'], TRINO_DIR, { JAVA_HOME: javaHome }),
      );
    },
    command: (env) => {
      const javaHome = requireJdk25();
      const classpath = `${TRINO_DIR}/target/classes:${readFileSync(CLASSPATH_FILE, 'utf8').trim()}`;
      return {
        command: join(javaHome, 'bin', 'java'),
        args: [
          '-Xms256m',
          '-Xmx1g',
          // A development server on a shared 2-core machine: C1 only and the serial collector start
          // it in a third of the time with a third less memory (measured); its queries are small.
          '-XX:TieredStopAtLevel=1',
          '-XX:+UseSerialGC',
          // Trino's vectorized code; without it the server fails to start (ClassNotFoundException).
          '--add-modules',
          'jdk.incubator.vector',
          '-cp',
          classpath,
          'dataos.devstack.TrinoLauncher',
          String(port),
          trinoWarehouse({ ...process.env, ...env }),
          ...LAKEHOUSE_CATALOGS,
        ],
        cwd: TRINO_DIR,
        // The S3 settings the launcher reads (from the environment, not the command line).
        env: Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('S3_'))),
      };
    },
    // Healthy once the lakehouse catalogs exist (they are created after the server answers).
    healthy: async () => {
      if (!(await portOpen(port))) return false;
      const { rows } = await trinoQuery(
        url,
        `SELECT count(*) FROM system.metadata.catalogs WHERE catalog_name IN (${LAKEHOUSE_CATALOGS.map((c) => `'${c}'`).join(', ')})`,
        // Generous: a busy machine answers the first queries of a fresh JVM slowly.
        { timeoutMs: 15_000 },
      );
      return rows[0]?.[0] === LAKEHOUSE_CATALOGS.length;
    },
  };
}
