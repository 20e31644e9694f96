import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (Apollo's packages require it); Vite would pick the
    // .mjs one for our sources, and two graphql instances cannot share a schema.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
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
