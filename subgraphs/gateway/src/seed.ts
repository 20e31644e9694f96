import type { MongoStore } from '@dataos/stores';
import { clustersOf } from './clusters.js';
import { DEMO_DATA_POLICIES } from './policies/defaults.js';
import { DataPolicyStore, policyDoc } from './policies/store.js';

/** The default embedded cluster, the default PII policies and the demo row filters (idempotent); returns the cluster count. */
export async function seedGateway(mongo: MongoStore): Promise<number> {
  const now = new Date();
  await clustersOf(mongo.db).updateOne(
    { _id: 'minerva-default' },
    {
      $setOnInsert: {
        engine: 'duckdb',
        endpoint: null,
        description: 'The embedded DuckDB engine over the demo datasets.',
        replicas: 1,
        resources: null,
        depots: [],
        state: 'RUNNING',
        health: null,
        createdAt: now,
        updatedAt: now,
        updatedBy: 'seed',
      },
    },
    { upsert: true },
  );
  const store = new DataPolicyStore(mongo.db);
  await store.ensureDefaults();
  for (const input of DEMO_DATA_POLICIES) await store.insertIfMissing(policyDoc(input, 'seed'));
  return clustersOf(mongo.db).countDocuments();
}
