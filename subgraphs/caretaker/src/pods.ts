import type { Db } from 'mongodb';

export type PodPhase = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';

export interface PodDoc {
  _id: string; // namespace/name
  namespace: string;
  name: string;
  phase: PodPhase;
  nodeName: string | null;
  restarts: number;
  resourceVersion: number;
  updatedAt: Date;
}

export const podsOf = (db: Db) => db.collection<PodDoc>('pods');

export async function ensurePodIndexes(db: Db): Promise<void> {
  await podsOf(db).createIndex({ namespace: 1, name: 1 }, { unique: true });
  await podsOf(db).createIndex({ phase: 1 });
}

export const toPod = (doc: PodDoc) => ({
  namespace: doc.namespace,
  name: doc.name,
  phase: doc.phase,
  nodeName: doc.nodeName,
  restarts: doc.restarts,
});
