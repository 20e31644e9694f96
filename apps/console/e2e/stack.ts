import { startE2eStack } from '../../../scripts/lib/e2e-stack.js';

/**
 * The e2e stack as a process of its own (Playwright's global setup starts it and waits for the
 * READY line; SIGTERM stops it and drops its databases). Also handy by hand:
 * `npx tsx apps/console/e2e/stack.ts`, then http://localhost:3700.
 */
export const READY = 'console e2e stack ready';

const stack = await startE2eStack({
  accessTokenTtl: Number(process.env.E2E_TOKEN_TTL ?? 40),
  renewBeforeSeconds: Number(process.env.E2E_RENEW_BEFORE ?? 15),
});
console.log(`${READY}: console ${stack.consoleUrl}, router ${stack.routerUrl}, issuer ${stack.issuerUrl}`);

let stopping = false;
function stop(): void {
  if (stopping) process.exit(1);
  stopping = true;
  stack.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stop);
// The restart hook of the e2e tests (E2E_STACK_PID): the router goes down and comes back by itself.
process.on('SIGUSR2', () => {
  stack.restartRouter().then(
    () => console.log('router stopped for a restart'),
    (error: unknown) => console.error(error),
  );
});
// Started by Playwright's global setup: a runner that dies (killed, crashed) closes this pipe.
if (process.env.E2E_STACK_STOP_ON_STDIN_END === '1') {
  process.stdin.on('end', () => !stopping && stop());
  process.stdin.resume();
}
