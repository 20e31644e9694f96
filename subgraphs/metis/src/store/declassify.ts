import { int } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';
import { columnKey, type ColumnKey } from './column-lineage.js';
import type { CatalogWriter } from './writes.js';

/** One column edge, as `addLineage` keys it (`via` and `job` are '' when none). */
export interface ColumnEdgeRef {
  upstream: string;
  upstreamColumn: string;
  downstream: string;
  downstreamColumn: string;
  via: string;
  job: string;
}

export interface DeclassificationRecord {
  reason: string;
  at: string;
  by: string;
}

export interface DeclassificationEventRecord {
  upstream: ColumnKey;
  downstream: ColumnKey;
  viaUrn: string | null;
  job: string | null;
  removes: boolean;
  reason: string;
  at: string;
  by: string;
}

/** Events shown per column (newest first). */
export const MAX_EVENTS = 200;

const EDGE = `(:Dataset {urn: $e.upstream})-[:HAS_COLUMN]->(a:Column {name: $e.upstreamColumn})
  -[ce:COLUMN_FEEDS {via: $e.via, job: $e.job}]->
  (b:Column {name: $e.downstreamColumn})<-[:HAS_COLUMN]-(:Dataset {urn: $e.downstream})`;

/**
 * Marks (or unmarks) a column edge as removing the classification, in one transaction with its
 * event: the mark and its record never part. Null when there is no such edge; `changed` is false
 * when the edge already was in that state (nothing recorded, the first mark kept).
 */
export async function setDeclassified(
  writer: CatalogWriter,
  e: ColumnEdgeRef,
  removes: boolean,
  reason: string,
  by: string,
  now = new Date(),
): Promise<{ changed: boolean } | null> {
  return writer.write(async (tx) => {
    const res = await tx.run(
      `MATCH ${EDGE}
       WITH ce, (ce.declassifiedAt IS NOT NULL) <> $removes AS changed
       CALL (ce, changed) {
         WITH ce WHERE changed AND $removes
         SET ce.declassifiedAt = datetime($now), ce.declassifiedBy = $by, ce.declassifiedReason = $reason
       }
       CALL (ce, changed) {
         WITH ce WHERE changed AND NOT $removes
         REMOVE ce.declassifiedAt, ce.declassifiedBy, ce.declassifiedReason
       }
       CALL (changed) {
         WITH changed WHERE changed
         CREATE (:DeclassificationEvent {datasetUrn: $e.downstream, column: $e.downstreamColumn,
           upstreamUrn: $e.upstream, upstreamColumn: $e.upstreamColumn, via: $e.via, job: $e.job,
           removes: $removes, reason: $reason, by: $by, at: datetime($now)})
       }
       RETURN changed`,
      { e, removes, reason, by, now: now.toISOString() },
    );
    const row = res.records[0];
    return row ? { changed: row.get('changed') as boolean } : null;
  });
}

/** The edge's transformation and current mark (null when not marked); null when there is no such edge. */
export async function columnEdgeState(
  store: CatalogStore,
  e: ColumnEdgeRef,
): Promise<{ transformation: string | null; declassification: DeclassificationRecord | null } | null> {
  const rows = await store.read<{ transformation: string | null; declassification: DeclassificationRecord | null }>(
    `MATCH ${EDGE}
     RETURN ce.transformation AS transformation, CASE WHEN ce.declassifiedAt IS NULL THEN null ELSE
       {reason: ce.declassifiedReason, at: toString(ce.declassifiedAt), by: ce.declassifiedBy} END AS declassification`,
    { e },
  );
  return rows[0] ?? null;
}

/** Events of edges into these columns, newest first, MAX_EVENTS per column. */
export async function declassificationEvents(
  store: CatalogStore,
  columns: readonly ColumnKey[],
): Promise<Map<string, DeclassificationEventRecord[]>> {
  const rows = await store.read<{ c: ColumnKey; events: DeclassificationEventRecord[] }>(
    `UNWIND $columns AS c
     CALL (c) {
       OPTIONAL MATCH (x:DeclassificationEvent {datasetUrn: c.datasetUrn, column: c.name})
       WITH x ORDER BY x.at DESC LIMIT $max
       RETURN collect(x {upstream: {datasetUrn: x.upstreamUrn, name: x.upstreamColumn},
         downstream: {datasetUrn: x.datasetUrn, name: x.column}, viaUrn: x.via, job: x.job,
         .removes, .reason, .by, at: toString(x.at)}) AS events
     }
     RETURN c, events`,
    { columns: columns.map((c) => ({ datasetUrn: c.datasetUrn, name: c.name })), max: int(MAX_EVENTS) },
  );
  return new Map(
    rows.map((r) => [columnKey(r.c), r.events.map((x) => ({ ...x, viaUrn: x.viaUrn || null, job: x.job || null }))]),
  );
}
