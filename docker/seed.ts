// One-shot demo data for the compose stack (`--profile seed`), the same data `npm run dev` loads.
// Idempotent. Reads NEO4J_* and MONGO_URL like the subgraphs do.
import { describeCounts, seedDemo } from '../scripts/lib/seed.js';
import { registerTrinoCluster, seedTrinoLakehouse } from '../scripts/lib/seed-trino.js';

console.log(`[seed] demo data in place: ${describeCounts(await seedDemo())}`);
// With TRINO_URL: the demo tables in Trino's Iceberg lakehouse, and the Gateway's Trino cluster.
if (process.env.TRINO_URL) {
  console.log(`[seed] lakehouse in Trino: ${await seedTrinoLakehouse(process.env.TRINO_URL)} tables written`);
  await registerTrinoCluster(process.env.TRINO_URL);
}
