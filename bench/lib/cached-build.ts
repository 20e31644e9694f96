// Peer binaries the benches build once from a registry into bench/.cache (ignored) and reuse.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';

export type BuiltBinary = { path: string } | { skipped: string };

export interface BuildSpec {
  /** What the console line calls it, e.g. `Hive Router (cargo 1.97.0-nightly)`. */
  label: string;
  /** The binary the build leaves behind: its presence means "built". */
  binary: string;
  logPath: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** The binary, built by `command` on first use with its output in `logPath`; skipped with the reason when it fails. */
export async function buildOnce(spec: BuildSpec): Promise<BuiltBinary> {
  if (existsSync(spec.binary)) return { path: spec.binary };
  await mkdir(dirname(spec.logPath), { recursive: true });
  console.error(`Building ${spec.label} once; this takes a while, log in ${spec.logPath}`);
  const log = openSync(spec.logPath, 'a');
  const code = await new Promise<number | null>((resolve) => {
    const build = spawn(spec.command, spec.args, { env: spec.env ?? process.env, stdio: ['ignore', log, log] });
    build.once('error', () => resolve(-1));
    build.once('exit', resolve);
  }).finally(() => closeSync(log));
  if (code !== 0 || !existsSync(spec.binary)) {
    const tail = readFileSync(spec.logPath, 'utf8').trim().split('\n').slice(-3).join(' | ');
    return { skipped: `its build failed (${basename(spec.command)} exited with ${code}): ${tail.slice(0, 300)}` };
  }
  return { path: spec.binary };
}

/** A loopback port nothing listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
