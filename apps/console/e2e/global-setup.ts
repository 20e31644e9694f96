import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { E2E_PORTS } from '../../../scripts/lib/e2e-ports.js';

const STACK = fileURLToPath(new URL('./stack.ts', import.meta.url));
const READY = 'console e2e stack ready';
const START_TIMEOUT_MS = 300_000;

/**
 * Starts the e2e stack (e2e/stack.ts) in a process of its own, so the servers never run inside
 * Playwright's loader, and stops it (dropping its databases) when the run ends.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // A stack already running (`npx tsx apps/console/e2e/stack.ts` by hand) is reused and left running.
  if (await stackAnswers()) {
    console.log('[stack] reusing the e2e stack already running');
    return async () => {};
  }
  const child = spawn(process.execPath, ['--import', 'tsx', STACK], {
    // stdin stays open while this process lives: the stack stops itself when it closes.
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', E2E_STACK_STOP_ON_STDIN_END: '1' },
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
  // For the tests' restart hook (SIGUSR2 restarts the router): workers inherit this environment.
  process.env.E2E_STACK_PID = String(child.pid);
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

async function stackAnswers(): Promise<boolean> {
  const answers = (url: string) =>
    fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status < 500 || r.status === 503,
      () => false,
    );
  const checks = await Promise.all([
    answers(`http://localhost:${E2E_PORTS.console}/`),
    answers(`http://localhost:${E2E_PORTS.router}/health`),
    answers(`http://localhost:${E2E_PORTS.degradedRouter}/health`),
    answers(`http://localhost:${E2E_PORTS.issuer}/health`),
  ]);
  return checks.every(Boolean);
}
