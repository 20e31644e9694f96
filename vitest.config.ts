import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Where tests live; `*.unit.test.ts` files need no server, every other `*.test.ts` may.
const ROOTS = ['packages/*/test', 'subgraphs/*/test', 'router/test', 'devstack/test', 'deploy/test', 'test'];
const UNIT = ROOTS.map((root) => `${root}/**/*.unit.test.ts`);
const ALL = ROOTS.map((root) => `${root}/**/*.test.ts`);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build (Apollo's packages require it); Vite would pick the
    // .mjs one for our sources, and two graphql instances cannot share a schema.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { LOG_LEVEL: 'silent', APOLLO_TELEMETRY_DISABLED: '1' },
    // `npm test` runs all; `npm run test:unit` the server-free ones (unit, console), in seconds.
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      // The console's component tests (jsdom, React, Testing Library; no server): its own config.
      'apps/console/vitest.config.ts',
      {
        extends: true,
        test: {
          name: 'integration',
          include: ALL,
          exclude: [...UNIT, '**/node_modules/**'],
          // One devstack per run, shared by every test file; tests isolate by database name or URN.
          globalSetup: ['./test/global-setup.ts'],
          setupFiles: ['./test/setup-env.ts'],
        },
      },
    ],
  },
});
