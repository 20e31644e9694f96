// OPA for the PDP bench: built from its Go module once into bench/.cache (ignored), reused
// afterwards, run as its own server on 127.0.0.1 with a policy file.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce, freePort } from './cached-build.js';

const CACHE = fileURLToPath(new URL('../.cache/', import.meta.url));
export const OPA_MODULE = 'github.com/open-policy-agent/opa@v1.22.4';

export type OpaBinary = { path: string } | { skipped: string };

/**
 * The OPA binary, built with `go install` on first use (a few minutes on 2 cores; log in
 * bench/.cache/opa-build.log). BENCH_OPA=0 skips it; without Go, or if the build fails, the
 * bench goes on without OPA and says why.
 */
export async function opaBinary(): Promise<OpaBinary> {
  if (process.env.BENCH_OPA === '0') return { skipped: 'BENCH_OPA=0' };
  const bin = join(CACHE, 'opa', 'bin');
  const binary = join(bin, 'opa');
  if (existsSync(binary)) return { path: binary };
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0)
    return { skipped: `no Go toolchain to build it with (${go.error?.message ?? go.stderr})` };
  return buildOnce({
    label: `OPA (${OPA_MODULE}) into ${bin}`,
    binary,
    logPath: join(CACHE, 'opa-build.log'),
    command: 'go',
    args: ['install', OPA_MODULE],
    env: { ...process.env, GOBIN: bin },
  });
}

export interface OpaServer {
  url: string;
  stop(): Promise<void>;
}

/** `opa run --server` on a free loopback port with `policyFile`, ready once /health answers. */
export async function startOpa(binary: string, policyFile: string, timeoutMs = 120_000): Promise<OpaServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(binary, ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', policyFile], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`opa exited with ${child.exitCode} before it was ready`);
    const ok = await fetch(`${url}/health?bundles`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      kill();
      throw new Error(`opa did not answer /health within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        process.off('exit', kill);
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
