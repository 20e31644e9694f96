import { int } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';
import { columnKey, type ColumnKey } from './column-lineage.js';

/** Column edges followed upstream when looking for the classifications a column inherits. */
export const MAX_ORIGIN_DEPTH = 10;
/** Upstream columns read per column: beyond it, `truncated` says some were left out. */
export const MAX_ORIGINS = 1000;

/** An upstream column whose classifications reach a column, before authorization. */
export interface OriginRecord {
  column: ColumnKey;
  tags: string[];
  /** Columns from the origin to the column asked about, both included (a shortest path). */
  path: ColumnKey[];
}

export interface ColumnOrigins {
  origins: OriginRecord[];
  truncated: boolean;
}

/**
 * The upstream columns of many columns in one query: every column that reaches each root through at
 * most MAX_ORIGIN_DEPTH column edges none of which is marked as removing the classification, each
 * once with a shortest path (`ANY SHORTEST` keeps one path per origin, so cycles and diamonds
 * cost nothing more). Soft-deleted edges and datasets still count: a classification must not
 * leak away through a lifecycle change that needs less than the right to declassify.
 */
export async function classificationOrigins(
  store: CatalogStore,
  roots: readonly ColumnKey[],
  max = MAX_ORIGINS,
): Promise<Map<string, ColumnOrigins>> {
  const rows = await store.read<{ root: ColumnKey; origins: OriginRecord[]; more: boolean }>(
    `UNWIND $roots AS root
     OPTIONAL MATCH (c:Column {datasetUrn: root.datasetUrn, name: root.name})
     CALL (c) {
       MATCH p = ANY SHORTEST
         (o:Column)-[e:COLUMN_FEEDS WHERE e.declassifiedAt IS NULL]->{1,${MAX_ORIGIN_DEPTH}}(c)
       WHERE o <> c
       WITH o, p ORDER BY length(p), o.datasetUrn, o.name LIMIT $limit
       RETURN collect({column: {datasetUrn: o.datasetUrn, name: o.name}, tags: coalesce(o.tags, []),
                       path: [n IN nodes(p) | {datasetUrn: n.datasetUrn, name: n.name}]}) AS found
     }
     RETURN root, found[0..$max] AS origins, size(found) > $max AS more`,
    { roots: roots.map((r) => ({ datasetUrn: r.datasetUrn, name: r.name })), max: int(max), limit: int(max + 1) },
  );
  return new Map(rows.map((r) => [columnKey(r.root), { origins: r.origins, truncated: r.more }]));
}
