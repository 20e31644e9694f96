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
  /** A second router whose Odin and Gateway are down (`unreachable`: nothing listens there). */
  degradedRouter: 4707,
  unreachable: 4708,
  console: 3700,
} as const;
