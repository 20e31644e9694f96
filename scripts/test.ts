import { spawn } from 'node:child_process';
import { REPO_ROOT } from './lib/subgraphs.js';

/**
 * `npm test`: vitest (unit, console and integration projects) with the arguments given, then the
 * console's Playwright suite against its own stack; fails when either fails. A run narrowed to some
 * files (`npm test -- router/test/x.test.ts`) runs those with vitest only.
 */
const args = process.argv.slice(2);
const narrowed = args.some((arg) => !arg.startsWith('-'));

function run(label: string, command: string, commandArgs: string[]): Promise<number> {
  console.log(`\n[test] ${label}`);
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: REPO_ROOT, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const vitest = await run('vitest', process.execPath, [`${REPO_ROOT}node_modules/vitest/vitest.mjs`, 'run', ...args]);
const e2e = narrowed
  ? 0
  : await run('playwright (apps/console/e2e)', process.execPath, [
      `${REPO_ROOT}node_modules/@playwright/test/cli.js`,
      'test',
      '-c',
      'apps/console/playwright.config.ts',
    ]);
if (vitest !== 0 || e2e !== 0) {
  console.error(`\n[test] failed: ${[vitest ? 'vitest' : '', e2e ? 'playwright' : ''].filter(Boolean).join(' and ')}`);
  process.exit(1);
}
