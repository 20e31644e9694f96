import type { MongoStore } from '@dataos/stores';
import { clustersOf } from './clusters.js';

export async function seedGateway(mongo: MongoStore): Promise<number> {
  const clusters = clustersOf(mongo.db);
  await clusters.updateOne(
    { _id: 'minerva-default' },
    { $setOnInsert: { engine: 'duckdb', endpoint: null, state: 'RUNNING', createdAt: new Date() } },
    { upsert: true },
  );
  return 1;
}
