import type { DatasetKind, JobRunStatus, OwnerKind, ResourceKind } from './records.js';

/**
 * The inputs of CatalogWriter, normalized and validated (see validate.ts) before they reach the
 * store. Optional fields (`?`) that are `undefined` mean "leave as it is".
 */
export interface OwnerInput {
  id: string;
  kind: OwnerKind;
  name: string | null;
  email: string | null;
}

export interface ColumnIngest {
  name: string;
  type: string;
  nullable: boolean;
  description?: string | null;
  tags?: string[];
  glossaryTerms?: string[];
}

export interface DatasetIngest {
  urn: string;
  name: string;
  kind: DatasetKind;
  description?: string | null;
  format?: string | null;
  layer?: string | null;
  tags?: string[];
  domain?: string | null;
  owners?: OwnerInput[];
  glossaryTerms?: string[];
  freshnessSloSeconds?: number | null;
  columns: ColumnIngest[];
}

export interface SourceIngest {
  name: string;
  type?: string;
  description?: string | null;
  connection?: { key: string; value: string }[];
}

export interface ColumnEdgeInput {
  upstream: string;
  downstream: string;
  transformation: string | null;
}

export interface LineageInput {
  upstream: string;
  downstream: string;
  via: string | null;
  job: string | null;
  columns: ColumnEdgeInput[];
}

export interface ColumnProfileInput {
  name: string;
  nullCount: number | null;
  distinctCount: number | null;
  min: string | null;
  max: string | null;
  mean: number | null;
}

export interface RunInput {
  id: string | null;
  datasetUrn: string;
  resourceUrn: string | null;
  job: string | null;
  status: JobRunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  rowCount: number | null;
  sizeBytes: number | null;
  columnProfiles: ColumnProfileInput[];
}

export interface ResourceUpsert {
  kind: ResourceKind;
  workspace: string;
  name: string;
  version?: string | null;
  state?: string | null;
  description?: string | null;
  owner?: OwnerInput | null;
  tags?: string[];
}

export interface GlossaryTermUpsert {
  name: string;
  definition: string;
  synonyms: string[];
  domain: string | null;
  related: string[];
}

/** References a write depends on, checked in its transaction before anything is written. */
export interface Refs {
  datasets?: { urn: string; field: string }[];
  columns?: { datasetUrn: string; name: string; field: string }[];
  resources?: { urn: string; field: string }[];
  domains?: { name: string; field: string }[];
  terms?: { name: string; field: string }[];
}
