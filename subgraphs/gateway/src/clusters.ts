import type { Db } from 'mongodb';

export type ClusterState = 'PROVISIONING' | 'RUNNING' | 'DEGRADED' | 'STOPPED';

export interface ClusterDoc {
  _id: string; // cluster name
  engine: 'duckdb' | 'trino';
  endpoint: string | null;
  state: ClusterState;
  createdAt: Date;
}

export const clustersOf = (db: Db) => db.collection<ClusterDoc>('clusters');

export const toCluster = (doc: ClusterDoc) => ({
  name: doc._id,
  engine: doc.engine,
  endpoint: doc.endpoint,
  state: doc.state,
});
