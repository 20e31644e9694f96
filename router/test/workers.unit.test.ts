import { describe, expect, it } from 'vitest';
import { cgroupCpuLimit, defaultWorkers, workerExecArgv, workersFromEnv } from '../src/workers.js';

const files = (entries: Record<string, string>) => (path: string) => entries[path];

describe('the default number of router workers', () => {
  it('is one per CPU, bounded by a cgroup quota, and at least one', () => {
    expect(defaultWorkers(8, undefined)).toBe(8);
    expect(defaultWorkers(64, 2)).toBe(2);
    expect(defaultWorkers(2, 4)).toBe(2);
    expect(defaultWorkers(1, undefined)).toBe(1);
  });

  it('reads the quota of cgroup v2 and v1, rounding a fraction of a CPU up', () => {
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '200000 100000\n' }))).toBe(2);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '150000 100000\n' }))).toBe(2);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': '50000 100000\n' }))).toBe(1);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu.max': 'max 100000\n' }))).toBeUndefined();
    expect(
      cgroupCpuLimit(
        files({
          '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '300000\n',
          '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n',
        }),
      ),
    ).toBe(3);
    expect(cgroupCpuLimit(files({ '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n' }))).toBeUndefined();
    expect(cgroupCpuLimit(files({}))).toBeUndefined();
  });

  it('applies only when ROUTER_WORKERS is unset or empty', () => {
    expect(workersFromEnv('0', 0)).toBe(0);
    expect(workersFromEnv('3', 3)).toBe(3);
    expect(workersFromEnv(undefined, 0)).toBe(defaultWorkers());
    expect(workersFromEnv(' ', 0)).toBe(defaultWorkers());
  });
});

describe("the workers' node flags", () => {
  it('give each worker a larger young generation, unless the flags already set one', () => {
    expect(workerExecArgv(['--import', 'tsx'])).toEqual(['--import', 'tsx', '--max-semi-space-size=32']);
    expect(workerExecArgv(['--max-semi-space-size=8'])).toEqual(['--max-semi-space-size=8']);
    expect(workerExecArgv([], '--max-semi-space-size=64')).toEqual([]);
  });
});
