import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let fx: Fixture;
let child: ChildProcess;
let url: string;
const pids = new Set<number>();

beforeAll(async () => {
  fx = await startFixture({ heimdall: false });
  child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      ROUTER_WORKERS: '2',
      METRICS_TOKEN: 'workers-test-operator-token',
      PORT: '0',
      LOG_LEVEL: 'info',
      SUPERGRAPH_PATH: fx.supergraph.path,
      HEIMDALL_URL: fx.heimdallUrl,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Each worker logs "router ready" with its URL (the port is shared).
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('workers did not start')), 60_000);
    const urls: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; pid?: number };
        if (entry.msg !== 'router ready' || !entry.url) return;
        urls.push(entry.url);
        if (entry.pid) pids.add(entry.pid);
        if (urls.length === 2) {
          clearTimeout(timer);
          resolve(urls[0]!);
        }
      } catch {
        // not a log line
      }
    });
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
  }
  await fx?.stop();
});

describe('ROUTER_WORKERS=2', () => {
  it('runs two worker processes on one port, with /metrics for the whole cluster, and stops on SIGTERM', async () => {
    expect(pids.size).toBe(2);
    for (let i = 0; i < 20; i++) {
      const res = await graphql(url, 'query Hello { publicInfo }');
      expect(res.data).toEqual({ publicInfo: 'hello' });
    }
    const metrics = await (
      await fetch(url.replace('/graphql', '/metrics'), {
        headers: { authorization: 'Bearer workers-test-operator-token' },
      })
    ).text();
    // Summed over the workers, whichever took the scrape.
    expect(metrics).toContain('router_requests_total{operation="Hello",outcome="success"} 20');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe('ROUTER_WORKERS=2 with workers that cannot start', () => {
  it('gives up after a few workers die before listening, instead of forking them forever', async () => {
    const failing = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        ROUTER_WORKERS: '2',
        PORT: '0',
        LOG_LEVEL: 'info',
        SUPERGRAPH_PATH: `${fx.supergraph.path}.missing`,
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines: string[] = [];
    createInterface({ input: failing.stdout! }).on('line', (line) => lines.push(line));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        failing.kill('SIGKILL');
        reject(new Error('the primary kept forking workers'));
      }, 60_000);
      failing.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code).toBe(1);
    expect(lines.some((line) => line.includes('giving up'))).toBe(true);
  }, 90_000);
});
