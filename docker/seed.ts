// One-shot demo data for the compose stack (`--profile seed`), the same data `npm run dev` loads.
// Idempotent. Reads NEO4J_* and MONGO_URL like the subgraphs do.
import { describeCounts, seedDemo } from '../scripts/lib/seed.js';

console.log(`[seed] demo data in place: ${describeCounts(await seedDemo())}`);
