import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * CPUs a cgroup quota grants this process (`cpu.max` of cgroup v2, `cpu.cfs_quota_us` /
 * `cpu.cfs_period_us` of v1), rounded up; undefined without a quota. Node 20 counts the CPUs
 * the process may be scheduled on, not a container's `--cpus`, so a router limited to 2 CPUs
 * on a 64-core host would otherwise fork 64 workers that share 2 CPUs.
 */
export function cgroupCpuLimit(read: (path: string) => string | undefined = readText): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 && v2[0] !== undefined) {
    if (v2[0] === 'max') return undefined;
    return quota(Number(v2[0]), Number(v2[1] ?? 100_000));
  }
  const v1 = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us') ?? read('/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us');
  const period = read('/sys/fs/cgroup/cpu/cpu.cfs_period_us') ?? read('/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us');
  return v1 === undefined ? undefined : quota(Number(v1), Number(period ?? 100_000));
}

const quota = (limit: number, period: number): number | undefined =>
  Number.isFinite(limit) && limit > 0 && Number.isFinite(period) && period > 0
    ? Math.max(1, Math.ceil(limit / period))
    : undefined;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Worker processes when ROUTER_WORKERS is not set: one per CPU the router may use (the CPUs it
 * may run on, fewer under a cgroup quota). Node runs JavaScript on one thread, so one process
 * per core is how the router uses the machine, as a Rust router uses a thread per core.
 */
export function defaultWorkers(cpus = availableParallelism(), limit = cgroupCpuLimit()): number {
  return Math.max(1, Math.min(cpus, limit ?? cpus));
}

/** ROUTER_WORKERS as set (0 or 1: one process), or the default above when unset or empty. */
export function workersFromEnv(value: string | undefined, configured: number): number {
  return value === undefined || value.trim() === '' ? defaultWorkers() : configured;
}

/**
 * Young-generation semi-space of each worker, in MiB, unless the node flags already set one.
 * Requests allocate many short-lived objects (parsed answers, merged and shaped results): with
 * V8's default (16 MiB) a worker scavenges several hundred times a second under load; a larger
 * young generation collects as much garbage in fewer, cheaper scavenges (about 10% of the
 * CPU per fan-out request in the router bench), for at most 3 x this much memory per worker.
 */
export const WORKER_SEMI_SPACE_MIB = 32;

export function workerExecArgv(execArgv: readonly string[], nodeOptions = ''): string[] {
  const flag = /--max-semi-space-size\b/;
  if (execArgv.some((arg) => flag.test(arg)) || flag.test(nodeOptions)) return [...execArgv];
  return [...execArgv, `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`];
}
