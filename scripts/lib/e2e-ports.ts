/**
 * The console's end-to-end stack listens on its own ports, so it runs beside `npm run dev` and the
 * vitest suites. No imports here: Playwright's config reads this file.
 */
export const E2E_PORTS = {
  router: 4700,
  heimdall: 4701,
  metis: 4702,
  odin: 4703,
  gateway: 4704,
  caretaker: 4705,
  issuer: 4706,
  console: 3700,
} as const;
