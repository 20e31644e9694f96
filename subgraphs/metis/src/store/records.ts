/** What the store returns: plain objects, close to the GraphQL types (resolvers fill relations). */
import type { LifecycleFields } from './lifecycle.js';

export type DatasetKind = 'TABLE' | 'VIEW' | 'TOPIC' | 'FILES' | 'DASHBOARD';
export type OwnerKind = 'PERSON' | 'TEAM';
export type ResourceKind = 'WORKFLOW' | 'SERVICE' | 'DEPOT' | 'CLUSTER' | 'POLICY' | 'SECRET' | 'COMPUTE';
export type JobRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface OwnerRecord {
  id: string;
  kind: OwnerKind;
  name: string | null;
  email: string | null;
}

export interface DatasetRecord extends LifecycleFields {
  urn: string;
  name: string;
  /** Depot name (`dataos://<sourceName>:...`). */
  sourceName: string;
  collection: string;
  kind: DatasetKind;
  description: string | null;
  format: string | null;
  layer: string | null;
  tags: string[];
  domainName: string | null;
  owners: OwnerRecord[];
  glossaryTermNames: string[];
  createdAt: string | null;
  updatedAt: string | null;
  rowCount: number | null;
  sizeBytes: number | null;
  lastRefreshedAt: string | null;
  freshnessSloSeconds: number | null;
}

export interface ColumnProfileRecord {
  /** Rows the counts are out of: the profiling run's, or the reporting job run's. */
  rowCount: number | null;
  nullCount: number | null;
  distinctCount: number | null;
  min: string | null;
  max: string | null;
  mean: number | null;
  profiledAt: string | null;
  /** Min/max withheld: the column was masked for the principal that profiled it. */
  masked: boolean;
}

export interface ColumnRecord {
  datasetUrn: string;
  name: string;
  type: string;
  description: string | null;
  nullable: boolean;
  position: number;
  tags: string[];
  glossaryTermNames: string[];
  profile: ColumnProfileRecord | null;
}

export interface SourceRecord {
  name: string;
  type: string;
  description: string | null;
  connection: { key: string; value: string }[];
  createdAt: string | null;
  updatedAt: string | null;
}

export interface DomainRecord extends LifecycleFields {
  name: string;
  description: string | null;
}

export interface GlossaryTermRecord extends LifecycleFields {
  name: string;
  definition: string;
  synonyms: string[];
  domainName: string | null;
  relatedNames: string[];
}

export interface ResourceRecord extends LifecycleFields {
  urn: string;
  kind: ResourceKind;
  workspace: string;
  name: string;
  version: string | null;
  state: string | null;
  description: string | null;
  owner: OwnerRecord | null;
  tags: string[];
  createdAt: string | null;
  updatedAt: string | null;
}

export interface JobRunRecord {
  id: string;
  status: JobRunStatus;
  datasetUrn: string;
  resourceUrn: string | null;
  job: string | null;
  startedAt: string;
  finishedAt: string | null;
  rowCount: number | null;
  sizeBytes: number | null;
}

/** A dataset-level lineage edge as stored (`via`/`job` null when unknown). */
export interface EdgeRecord extends LifecycleFields {
  upstreamUrn: string;
  downstreamUrn: string;
  viaUrn: string | null;
  job: string | null;
  columns: { upstream: string; downstream: string; transformation: string | null }[];
}
