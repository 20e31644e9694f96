import type { MongoStore } from '@dataos/stores';
import { podsOf, type PodDoc } from './pods.js';

const DEMO_PODS: Omit<PodDoc, '_id' | 'updatedAt'>[] = [
  { namespace: 'retail', name: 'orders-ingest-7f9c-2xk4p', phase: 'RUNNING', nodeName: 'node-a', restarts: 0, resourceVersion: 1 },
  { namespace: 'retail', name: 'customers-dedupe-1a2b-9zz1q', phase: 'SUCCEEDED', nodeName: 'node-b', restarts: 0, resourceVersion: 1 },
  { namespace: 'platform', name: 'minerva-default-coordinator-0', phase: 'RUNNING', nodeName: 'node-a', restarts: 2, resourceVersion: 1 },
  { namespace: 'finance', name: 'invoices-export-5d6e-ppl0x', phase: 'FAILED', nodeName: 'node-b', restarts: 4, resourceVersion: 1 },
];

export async function seedCaretaker(mongo: MongoStore): Promise<number> {
  await podsOf(mongo.db).bulkWrite(
    DEMO_PODS.map((pod) => ({
      updateOne: {
        filter: { _id: `${pod.namespace}/${pod.name}` },
        update: { $setOnInsert: { ...pod, updatedAt: new Date() } },
        upsert: true,
      },
    })),
  );
  return DEMO_PODS.length;
}
