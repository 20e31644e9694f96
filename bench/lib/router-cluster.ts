// Our router for the router bench as it is deployed: `router/src/main.ts` with ROUTER_WORKERS
// worker processes on one port (node:cluster), its CPU summed over the primary and the workers.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEV_CLIENTS } from '@dataos/devstack';
import { statCpuMs } from './hive-router.js';
import type { Child } from './processes.js';

const MAIN = fileURLToPath(new URL('../../router/src/main.ts', import.meta.url));

/** Workers the bench runs our router with (BENCH_ROUTER_WORKERS): one per core, as Hive Router's threads. */
export const benchRouterWorkers = () => Number(process.env.BENCH_ROUTER_WORKERS ?? availableParallelism());

/** CPU time of a process so far (utime + stime of /proc/<pid>/stat), 0 once it is gone. */
function cpuOf(pid: number): number {
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * Starts the router's main.ts with `workers` workers (1: the primary serves alone) and the
 * settings in `env`; ready when every worker has logged "router ready".
 */
export function startRouterCluster(env: Record<string, string>, workers: number, timeoutMs = 90_000): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), MAIN],
    {
      env: {
        // The router asks Heimdall as itself (the dev issuer's services client) unless told otherwise.
        ROUTER_CLIENT_ID: DEV_CLIENTS.services,
        ROUTER_CLIENT_SECRET: DEV_CLIENTS.servicesSecret,
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        ...env,
        ROUTER_WORKERS: String(workers),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  process.once('exit', () => child.kill('SIGKILL'));
  const pids = new Set<number>([child.pid!]);
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the router did not start ${workers} workers within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the router exited with ${code} before it was ready`));
    });
    let ready = 0;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let entry: { msg?: string; url?: string; pid?: number };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg !== 'router ready' || !entry.url) return;
      if (entry.pid) pids.add(entry.pid);
      if (++ready < Math.max(1, workers)) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        process: child,
        url: entry.url,
        cpuMs: () => Promise.resolve([...pids].reduce((sum, pid) => sum + cpuOf(pid), 0)),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
