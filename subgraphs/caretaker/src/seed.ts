import type { MongoStore } from '@dataos/stores';
import { DEMO_POD_COUNT, demoEvents } from './demo.js';
import { collectionsOf, ensureIndexes } from './store/collections.js';
import { ingestEvents } from './store/ingest.js';

/**
 * Demo data (idempotent): a small cluster and its history, recorded through the same ingest path
 * as real events. Skipped when Caretaker already holds pods, so that a reseed days later does
 * not add a second, shifted copy of the demo history.
 */
export async function seedCaretaker(mongo: MongoStore, now = new Date()): Promise<number> {
  const c = collectionsOf(mongo.db);
  await ensureIndexes(c);
  if ((await c.pods.countDocuments({}, { limit: 1 })) > 0) return DEMO_POD_COUNT;
  await ingestEvents(c, demoEvents(now), now);
  return DEMO_POD_COUNT;
}
