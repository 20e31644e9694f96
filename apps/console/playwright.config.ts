import { defineConfig } from '@playwright/test';
import { E2E_PORTS } from '../../scripts/lib/e2e-ports.js';

/**
 * End-to-end tests in Debian's Chromium (Playwright's own browser download is not reachable on
 * these machines) against the real stack: router, subgraphs, dev issuer and the built console,
 * started once per run by the global setup on their own ports (scripts/lib/e2e-stack.ts).
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '*.spec.ts',
  outputDir: './test-results/artifacts',
  globalSetup: './e2e/global-setup.ts',
  // Two cores shared with everything else: one browser at a time keeps the timings honest.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: './test-results/report.json' }]],
  use: {
    baseURL: `http://localhost:${E2E_PORTS.console}`,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    viewport: { width: 1400, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
