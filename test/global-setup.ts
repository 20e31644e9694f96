import type { TestProject } from 'vitest/node';
import { startDevstack } from '@dataos/devstack';
import { seedTrinoLakehouse } from '../scripts/lib/seed-trino.js';

declare module 'vitest' {
  export interface ProvidedContext {
    devstackEnv: Record<string, string>;
  }
}

/**
 * Starts the devstack once per run unless NEO4J_URI, MONGO_URL and OIDC_ISSUER point at
 * servers already; servers already answering on their ports are reused.
 */
export default async function setup(project: TestProject) {
  const started = Date.now();
  const devstack = await startDevstack({ log: (line) => console.log(`[devstack] ${line}`) });
  console.log(`[devstack] ready in ${Date.now() - started} ms`);
  // The demo lakehouse in the devstack's Trino (never an external one): cheap when already there.
  const trino = devstack.services.find((s) => s.name === 'trino');
  if (trino && trino.origin !== 'external')
    console.log(`[devstack] lakehouse in Trino: ${await seedTrinoLakehouse(trino.url)} tables written`);
  project.provide('devstackEnv', devstack.env);
  return async () => {
    await devstack.stop();
  };
}
