import { createRequire } from 'node:module';
import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

const require = createRequire(import.meta.url);

// The `console` project of the root vitest config: component tests in jsdom, no server.
export default defineProject({
  plugins: [react()],
  resolve: {
    // One graphql instance for Apollo Client and the generated documents (see the root config).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    name: 'console',
    include: ['test/**/*.test.{ts,tsx}', 'src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
  },
});
