import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'subgraphs/*/test/**/*.test.ts',
      'router/test/**/*.test.ts',
      'devstack/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // One devstack per run, shared by every test file; tests isolate by database name or URN.
    globalSetup: ['./test/global-setup.ts'],
    setupFiles: ['./test/setup-env.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { LOG_LEVEL: 'silent', APOLLO_TELEMETRY_DISABLED: '1' },
  },
});
