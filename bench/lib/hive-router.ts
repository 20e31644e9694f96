// Hive Router (Rust) for the router bench: built from its crate once into bench/.cache
// (ignored), reused afterwards, started as a plain process on a supergraph file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce, freePort } from './cached-build.js';
import { stopChild, type Child } from './processes.js';

const CACHE = fileURLToPath(new URL('../.cache/', import.meta.url));
// Its lockfile needs a nightly rustc (1.97); `graphiql` skips a build-script download that
// fails without internet access beyond the crate registry.
const install = (root: string) => [
  '+nightly',
  'install',
  'hive-router',
  '--locked',
  '--features',
  'graphiql',
  '--root',
  root,
];

export type HiveRouterBinary = { path: string } | { skipped: string };

/**
 * The Hive Router binary, built on first use (tens of minutes on 2 cores; the log goes to
 * bench/.cache/hive-router-build.log). BENCH_HIVE_ROUTER=0 skips it; a machine without cargo
 * or a failed build skips it too, with the reason, and the bench goes on without it.
 */
export async function hiveRouterBinary(options: { cache?: string; cargo?: string } = {}): Promise<HiveRouterBinary> {
  if (process.env.BENCH_HIVE_ROUTER === '0') return { skipped: 'BENCH_HIVE_ROUTER=0' };
  const cache = options.cache ?? CACHE;
  const binary = join(cache, 'hive-router', 'bin', 'hive_router');
  const logPath = join(cache, 'hive-router-build.log');
  if (existsSync(binary)) return { path: binary };
  const cargoCommand = options.cargo ?? 'cargo';
  const cargo = spawnSync(cargoCommand, ['+nightly', '--version'], { encoding: 'utf8' });
  if (cargo.error || cargo.status !== 0) {
    return {
      skipped: `no nightly cargo to build it with (cargo +nightly --version: ${(cargo.error?.message ?? cargo.stderr).trim().split('\n')[0]})`,
    };
  }
  return buildOnce({
    label: `Hive Router (${cargo.stdout.trim()}) into ${cache}`,
    binary,
    logPath,
    command: cargoCommand,
    args: install(join(cache, 'hive-router')),
  });
}

/** CPU time in a /proc/<pid>/stat line (utime + stime, in clock ticks of 10 ms). */
export function statCpuMs(stat: string): number {
  // Fields after the command name (which may hold spaces), closed by ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Hive Router with its default settings on `supergraphPath`, ready once /readiness answers (supergraph loaded). */
export async function startHiveRouter(binary: string, supergraphPath: string, timeoutMs = 60_000): Promise<Child> {
  const port = await freePort();
  const child = spawn(binary, [], {
    env: {
      ...process.env,
      SUPERGRAPH_FILE_PATH: supergraphPath,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Hive Router exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`${origin}/readiness`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Hive Router did not answer ${origin}/readiness within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    process: child,
    url: `${origin}/graphql`,
    cpuMs: () => Promise.resolve(statCpuMs(readFileSync(`/proc/${child.pid}/stat`, 'utf8'))),
    stop: () => stopChild(child),
  };
}
