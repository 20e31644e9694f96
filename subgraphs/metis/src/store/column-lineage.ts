import { int } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';
import type { DeclassificationRecord } from './declassify.js';
import { MAX_LINEAGE_DEPTH, MAX_LINEAGE_SCAN, type LineageDirection } from './lineage.js';

/** A column by its key; `columnKey` joins the two parts for the walk over the graph. */
export interface ColumnKey {
  datasetUrn: string;
  name: string;
}

export const columnKey = (c: ColumnKey) => `${c.datasetUrn}\u0000${c.name}`;

export interface ColumnEdgeRecord {
  upstream: ColumnKey;
  downstream: ColumnKey;
  viaUrn: string | null;
  job: string | null;
  transformation: string | null;
  deleted: boolean;
  /** Marked as removing the classification (store/declassify.ts). */
  declassification: DeclassificationRecord | null;
}

/** Every column within `depth` COLUMN_FEEDS hops of the root, before authorization (the root included). */
export interface ColumnLineageGraph {
  root: ColumnKey;
  columns: ColumnKey[];
  edges: ColumnEdgeRecord[];
  scanCut: boolean;
}

/**
 * One round trip per root, as the dataset lineage: distinct columns within `depth` hops (a pruning
 * breadth-first expand), then every column edge among them. Datasets are authorized afterwards by
 * the caller, from the columns' dataset URNs.
 */
export async function columnLineageGraph(
  store: CatalogStore,
  root: ColumnKey,
  direction: LineageDirection,
  depth: number,
  scan = MAX_LINEAGE_SCAN,
): Promise<ColumnLineageGraph | null> {
  const hops = Math.max(1, Math.min(MAX_LINEAGE_DEPTH, Math.trunc(depth)));
  const rows = await store.read<{
    scanCut: boolean;
    columns: ColumnKey[];
    edges: (Omit<ColumnEdgeRecord, 'deleted'> & { deleted: boolean | null })[];
  }>(
    `MATCH (s:Column {datasetUrn: $root.datasetUrn, name: $root.name})
     CALL (s) {
       OPTIONAL MATCH (s)-[:COLUMN_FEEDS*1..${hops}]->(x:Column) WHERE $down
       RETURN collect(DISTINCT x) AS downs
     }
     CALL (s) {
       OPTIONAL MATCH (x:Column)-[:COLUMN_FEEDS*1..${hops}]->(s) WHERE $up
       RETURN collect(DISTINCT x) AS ups
     }
     WITH s, downs[0..$scan] AS downs, ups[0..$scan] AS ups, size(downs) > $scan OR size(ups) > $scan AS scanCut
     WITH s, scanCut, [s] + [x IN ups WHERE x <> s] + [x IN downs WHERE x <> s AND NOT x IN ups] AS reach
     CALL (reach) {
       UNWIND reach AS a
       MATCH (a)-[e:COLUMN_FEEDS]->(b:Column)
       RETURN collect({upstream: {datasetUrn: a.datasetUrn, name: a.name},
                       downstream: {datasetUrn: b.datasetUrn, name: b.name},
                       viaUrn: e.via, job: e.job, transformation: e.transformation,
                       deleted: e.deletedAt IS NOT NULL,
                       declassification: CASE WHEN e.declassifiedAt IS NULL THEN null ELSE
                         {reason: e.declassifiedReason, at: toString(e.declassifiedAt), by: e.declassifiedBy} END}) AS edges
     }
     RETURN scanCut, [c IN reach | {datasetUrn: c.datasetUrn, name: c.name}] AS columns, edges`,
    { root, down: direction !== 'UPSTREAM', up: direction !== 'DOWNSTREAM', scan: int(scan) },
  );
  const row = rows[0];
  if (!row) return null;
  const met = new Set(row.columns.map(columnKey));
  return {
    root,
    columns: row.columns,
    scanCut: row.scanCut,
    edges: row.edges
      .filter((e) => met.has(columnKey(e.downstream)))
      .map((e) => ({
        ...e,
        viaUrn: e.viaUrn || null,
        job: e.job || null,
        transformation: e.transformation ?? null,
        deleted: e.deleted === true,
      })),
  };
}
