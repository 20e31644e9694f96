// The router bench's own logic: what its distinct mode sends, the Hive Router build's skip
// path, the CPU read from /proc, and the ratios it prints.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hiveRouterBinary, statCpuMs } from '../bench/lib/hive-router.js';
import { routerReport, type Measure, type Mode } from '../bench/lib/router-report.js';
import { VARIANTS, requestOf, type Traffic } from '../bench/lib/router-traffic.js';
import { OPERATIONS, SUBGRAPHS } from '../bench/lib/synthetic.js';

describe('router bench traffic', () => {
  const tokens = Array.from({ length: 64 }, (_, i) => `token-${i}`);

  it('gives every request in flight its own variables and token in the distinct mode, and the same request in the identical one', () => {
    const distinct: Traffic = {
      mode: 'distinct',
      query: OPERATIONS.fanout.distinct.query,
      variables: OPERATIONS.fanout.distinct.variables,
      tokens,
    };
    const requests = Array.from({ length: 32 }, (_, i) => requestOf(distinct, 1000 + i));
    expect(new Set(requests.map((r) => r.body)).size).toBe(32);
    expect(new Set(requests.map((r) => r.headers.authorization)).size).toBe(32);
    expect(JSON.parse(requests[0]!.body)).toEqual({
      query: OPERATIONS.fanout.distinct.query,
      variables: { offset: 1000 % VARIANTS },
    });

    const identical: Traffic = { mode: 'identical', query: OPERATIONS.small.query, token: 't' };
    expect(new Set([0, 1, 2].map((i) => JSON.stringify(requestOf(identical, i)))).size).toBe(1);
  });

  it('changes what the subgraphs are asked with the variables: the offset shifts the products', () => {
    const products = SUBGRAPHS.products.resolvers as {
      Query: { topProducts: (p: unknown, a: { first: number; offset: number }) => { upc: string }[] };
    };
    expect(products.Query.topProducts(undefined, { first: 2, offset: 0 }).map((p) => p.upc)).toEqual([
      'upc-0',
      'upc-1',
    ]);
    expect(products.Query.topProducts(undefined, { first: 2, offset: 40 }).map((p) => p.upc)).toEqual([
      'upc-40',
      'upc-41',
    ]);
  });
});

describe('Hive Router build', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hive-router-bench-'));
    dirs.push(dir);
    return dir;
  };

  it('is skipped with the reason where there is no cargo', async () => {
    const result = await hiveRouterBinary({ cache: await tempDir(), cargo: 'no-such-cargo-here' });
    expect(result).toEqual({ skipped: expect.stringContaining('no nightly cargo to build it with') });
  });

  it('is skipped with the end of the build log when the build fails', async () => {
    const dir = await tempDir();
    const cargo = join(dir, 'cargo');
    // A cargo that knows its version and fails to install, as a build with a too-old toolchain does.
    await writeFile(
      cargo,
      '#!/bin/sh\nif [ "$2" = "--version" ]; then echo "cargo 1.0.0-nightly"; exit 0; fi\necho "error: failed to compile hive-router" >&2\nexit 101\n',
    );
    await chmod(cargo, 0o755);
    const result = await hiveRouterBinary({ cache: join(dir, 'cache'), cargo });
    expect(result).toEqual({
      skipped: expect.stringMatching(/build failed \(cargo exited with 101\).*failed to compile hive-router/),
    });
  });

  it('reuses a binary already in the cache without building', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'hive-router', 'bin'), { recursive: true });
    await writeFile(join(dir, 'hive-router', 'bin', 'hive_router'), '');
    expect(await hiveRouterBinary({ cache: dir, cargo: 'no-such-cargo-here' })).toEqual({
      path: join(dir, 'hive-router', 'bin', 'hive_router'),
    });
  });

  it('reads CPU time from /proc/<pid>/stat, command names with spaces and parentheses included', () => {
    const stat = '4242 (hive (router) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 4 0 123 456 789';
    expect(statCpuMs(stat)).toBe((250 + 75) * 10);
  });
});

describe('router bench report', () => {
  const measure = (rps: number, cpu: number): Measure => ({
    rps,
    p50: 1,
    p99: 2,
    failed: 0,
    cpuPerRequest: cpu,
    subgraphCpuPerRequest: 0.01,
  });
  const rps: Record<string, number> = {
    router: 1000,
    'router-no-dedup': 800,
    'apollo-gateway': 250,
    hive: 400,
    'hive-router': 4000,
  };
  const get = (mode: Mode, kind: string) =>
    measure(mode === 'identical' ? rps[kind]! : rps[kind]! / 2, 1000 / rps[kind]!);
  const gateways = Object.keys(rps).map((kind) => ({ kind, label: kind }));

  it('prints both modes and the ratios of ours to stock, Hive Gateway and Hive Router', () => {
    const report = routerReport(['identical', 'distinct'], gateways, get);
    expect(report).toContain('### identical');
    expect(report).toContain('### distinct (realistic)');
    expect(report).toContain(
      'identical, small (1 subgraph), ours: /stock 4.00x (CPU 0.250x), /Hive Gateway 2.50x (CPU 0.400x), /Hive Router 0.250x (CPU 4.00x)',
    );
    expect(report).toContain('distinct, fan-out (3 subgraphs, 50 entities), ours without dedup: /stock 3.20x');
    expect(report).toMatch(/small \(1 subgraph\): router 0\.500x/);
  });

  it('leaves Hive Router out of the ratios when it was skipped', () => {
    const report = routerReport(
      ['distinct'],
      gateways.filter((g) => g.kind !== 'hive-router'),
      get,
    );
    expect(report).not.toContain('Hive Router');
    expect(report).not.toContain('### identical');
    expect(report).toContain(
      'distinct, small (1 subgraph), ours: /stock 4.00x (CPU 0.250x), /Hive Gateway 2.50x (CPU 0.400x)',
    );
  });
});
