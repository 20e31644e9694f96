import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { DATA_DIR, DEVSTACK_DIR, REPO_DIR } from './paths.js';
import { portOpen } from './process.js';
import type { ServiceSpec } from './services.js';

/**
 * PostgreSQL 15 (Debian's `postgresql`) on 127.0.0.1:4470 holding the demo `crmdb`, an
 * operational source for Metis's scanners. The superuser `postgres` is trusted on loopback only
 * (the devstack and tests create databases with it); every other role logs in with a password
 * (scram-sha-256), so scanners really send one. The reader role `crm_reader` has a fixed dev
 * password and `pg_read_all_data`.
 */
export const DEV_POSTGRES = {
  port: 4470,
  adminUrl: 'postgres://postgres@127.0.0.1:4470/postgres',
  crmdbUrl: 'postgres://crm_reader@127.0.0.1:4470/crmdb',
  readerUser: 'crm_reader',
  readerPassword: 'crm-reader-dev',
} as const;

const SEED_DIR = `${DEVSTACK_DIR}postgres`;

/** The folder of `postgres` and `initdb`: POSTGRES_BIN_DIR, else Debian's newest, else PATH. */
export function postgresBinDir(): string | undefined {
  if (process.env.POSTGRES_BIN_DIR) return process.env.POSTGRES_BIN_DIR;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(`${debian}/${v}/bin/postgres`))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return `${debian}/${versions[0]}/bin`;
  }
  try {
    const path = execFileSync('sh', ['-c', 'command -v postgres'], { encoding: 'utf8' }).trim();
    return path ? path.slice(0, path.lastIndexOf('/')) : undefined;
  } catch {
    return undefined;
  }
}

export function postgresService(port: number = DEV_POSTGRES.port): ServiceSpec {
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    name: 'postgres',
    envVar: 'POSTGRES_URL',
    url: adminUrl,
    port,
    extraEnv: {
      CRMDB_URL: `postgres://${DEV_POSTGRES.readerUser}@127.0.0.1:${port}/crmdb`,
      CRMDB_PASSWORD: DEV_POSTGRES.readerPassword,
    },
    startTimeoutMs: 60_000,
    command: () => ({
      command: process.execPath,
      args: ['--import', 'tsx', `${DEVSTACK_DIR}src/postgres.ts`],
      cwd: REPO_DIR,
      env: { POSTGRES_PORT: String(port) },
    }),
    // Healthy once the demo database is seeded, not merely once the port answers.
    healthy: async () => {
      if (!(await portOpen(port))) return false;
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
      try {
        await client.connect();
        const res = await client.query("SELECT 1 FROM pg_database WHERE datname = 'crmdb'");
        return res.rowCount === 1;
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

/** uid and gid to run as: postgres refuses to run as root, so root hands it to the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (install postgresql)');
  }
}

/**
 * `devstack/.data/postgres`, unless the `postgres` user cannot reach it (a checkout inside root's
 * home, mode 700): then a folder of this checkout in that user's own home.
 */
function dataDir(owner: { uid: number; gid: number } | undefined): string {
  const dir = `${DATA_DIR}/postgres`;
  if (!owner) return dir;
  mkdirSync(DATA_DIR, { recursive: true });
  try {
    execFileSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(DATA_DIR)}, 1)`], {
      uid: owner.uid,
      gid: owner.gid,
      stdio: 'ignore',
    });
    return dir;
  } catch {
    const home = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split(':')[5]!.trim();
    const id = createHash('sha256').update(DATA_DIR).digest('hex').slice(0, 12);
    console.log(`postgres: ${DATA_DIR} is out of the postgres user's reach; data in ${home}/dataos-devstack-${id}`);
    return `${home}/dataos-devstack-${id}`;
  }
}

const HBA = `# devstack: the superuser is trusted on loopback only; every other role needs its password.
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
`;

/** Child-process entry: initdb on first start, then postgres in the foreground, seeded once. */
async function main(): Promise<void> {
  const port = Number(process.env.POSTGRES_PORT ?? DEV_POSTGRES.port);
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found: install postgresql (see .ci/install-toolchains)');
  const owner = runAs();
  const ids = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const dir = dataDir(owner);
  if (!existsSync(`${dir}/PG_VERSION`)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (owner) chownSync(dir, owner.uid, owner.gid);
    execFileSync(`${bin}/initdb`, ['-D', dir, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--auth=trust'], {
      ...ids,
      stdio: 'inherit',
    });
    writeFileSync(`${dir}/pg_hba.conf`, HBA);
    if (owner) chownSync(`${dir}/pg_hba.conf`, owner.uid, owner.gid);
  }
  const server = spawn(
    `${bin}/postgres`,
    ['-D', dir, '-p', String(port), '-h', '127.0.0.1', '-k', '', '-c', 'shared_buffers=32MB', '-c', 'fsync=off'],
    { ...ids, stdio: 'inherit' },
  );
  // SIGTERM is PostgreSQL's "smart" shutdown; SIGINT its "fast" one (disconnects clients).
  const stop = () => server.kill('SIGINT');
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  server.once('exit', (code) => process.exit(code ?? 0));
  try {
    await seed(`postgres://postgres@127.0.0.1:${port}/postgres`, port);
  } catch (error) {
    stop();
    throw error;
  }
}

/** Creates `crmdb` and its reader (once: an existing `crmdb` is left as it is). */
async function seed(adminUrl: string, port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let admin: pg.Client | undefined;
  while (!admin) {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      admin = client;
    } catch (error) {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'crmdb'");
    if (exists.rowCount) return;
    await admin.query(readFileSync(`${SEED_DIR}/roles.sql`, 'utf8'));
    // Created under another name and renamed last, so `crmdb` existing means seeded.
    await admin.query('DROP DATABASE IF EXISTS crmdb_seeding');
    await admin.query('CREATE DATABASE crmdb_seeding');
    const db = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/crmdb_seeding` });
    await db.connect();
    try {
      await db.query(readFileSync(`${SEED_DIR}/crmdb.sql`, 'utf8'));
    } finally {
      await db.end();
    }
    await admin.query('ALTER DATABASE crmdb_seeding RENAME TO crmdb');
    console.log('postgres: seeded crmdb');
  } finally {
    await admin.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`postgres: ${(error as Error).message}`);
    process.exit(1);
  });
}
