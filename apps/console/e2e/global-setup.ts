import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const STACK = fileURLToPath(new URL('./stack.ts', import.meta.url));
const READY = 'console e2e stack ready';
const START_TIMEOUT_MS = 300_000;

/**
 * Starts the e2e stack (e2e/stack.ts) in a process of its own, so the servers never run inside
 * Playwright's loader, and stops it (dropping its databases) when the run ends.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['--import', 'tsx', STACK], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the e2e stack was not ready in ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      process.stdout.write(text.replace(/^/gm, '[stack] '));
      buffered = (buffered + text).slice(-4096);
      if (buffered.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the e2e stack exited with ${code} before it was ready`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGTERM');
    throw error;
  });
  // Keep reading, or a full pipe would block the stack's logging.
  child.stdout!.on('data', () => {});
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timeout);
  };
}
