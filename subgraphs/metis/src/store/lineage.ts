import { int } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';
import { DATASET_PROJECTION, toDatasetRecord } from './catalog.js';
import type { DatasetRecord, EdgeRecord } from './records.js';
import { lifecycleProjection } from './lifecycle.js';

export const MAX_LINEAGE_DEPTH = 10;
/** Readable datasets per direction a lineage shows at most (the nearest ones). */
export const MAX_LINEAGE_NODES = 500;
/**
 * Datasets per direction the traversal reads at most, readable or not, before authorization. Only
 * beyond this ceiling can hidden datasets cut the traversal (and then `truncated` is true).
 */
export const MAX_LINEAGE_SCAN = 5000;

export type LineageDirection = 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';

/** Everything within `depth` hops of the root, before authorization (the root included). */
export interface LineageGraph {
  root: string;
  datasets: DatasetRecord[];
  edges: EdgeRecord[];
  /** The traversal met more than MAX_LINEAGE_SCAN datasets in some direction and read only part of them. */
  scanCut: boolean;
}

const noneAsNull = (s: string | null) => (s ? s : null);

/**
 * One round trip for many roots of the same direction and depth: distinct datasets within `depth`
 * FEEDS hops (Neo4j plans this as a pruning BFS expand), then every dataset and column edge among
 * them, with the datasets' records so that authorization needs no further read.
 */
export async function lineageGraphs(
  store: CatalogStore,
  roots: readonly string[],
  direction: LineageDirection,
  depth: number,
  scan = MAX_LINEAGE_SCAN,
): Promise<Map<string, LineageGraph>> {
  const hops = Math.max(1, Math.min(MAX_LINEAGE_DEPTH, Math.trunc(depth)));
  const down = direction !== 'UPSTREAM';
  const up = direction !== 'DOWNSTREAM';
  const rows = await store.read<{
    root: string;
    scanCut: boolean;
    nodes: Record<string, unknown>[];
    edges: (Omit<EdgeRecord, 'columns'> & { columns: (EdgeRecord['columns'][number] | null)[] })[];
  }>(
    `UNWIND $roots AS rootUrn
     MATCH (s:Dataset {urn: rootUrn})
     CALL (s) {
       OPTIONAL MATCH (s)-[:FEEDS*1..${hops}]->(x:Dataset) WHERE $down
       RETURN collect(DISTINCT x) AS downs
     }
     CALL (s) {
       OPTIONAL MATCH (x:Dataset)-[:FEEDS*1..${hops}]->(s) WHERE $up
       RETURN collect(DISTINCT x) AS ups
     }
     WITH s, downs[0..$scan] AS downs, ups[0..$scan] AS ups, size(downs) > $scan OR size(ups) > $scan AS scanCut
     WITH s, scanCut, [s] + [x IN ups WHERE x <> s] + [x IN downs WHERE x <> s AND NOT x IN ups] AS reach
     // Every edge out of a dataset met; those leaving the set are dropped below (a set lookup
     // there instead of a list scan per edge here).
     CALL (reach) {
       UNWIND reach AS a
       MATCH (a)-[e:FEEDS]->(b:Dataset)
       OPTIONAL MATCH (a)-[:HAS_COLUMN]->(ca:Column)-[ce:COLUMN_FEEDS {via: e.via, job: e.job}]->(cb:Column)<-[:HAS_COLUMN]-(b)
       WITH a, b, e, collect(CASE WHEN ca IS NULL THEN null
                                  ELSE {upstream: ca.name, downstream: cb.name, transformation: ce.transformation} END) AS columns
       RETURN collect({upstreamUrn: a.urn, downstreamUrn: b.urn, viaUrn: e.via, job: e.job, columns: columns,
                       ${lifecycleProjection('e')}}) AS edges
     }
     RETURN s.urn AS root, scanCut, [d IN reach | ${DATASET_PROJECTION}] AS nodes, edges`,
    { roots, down, up, scan: int(scan) },
  );
  return new Map(
    rows.map((r) => {
      const met = new Set(r.nodes.map((n) => n.urn as string));
      return [
        r.root,
        {
          root: r.root,
          scanCut: r.scanCut,
          datasets: r.nodes.map(toDatasetRecord),
          edges: r.edges
            .filter((e) => met.has(e.downstreamUrn))
            .map((e) => ({
              deletedAt: e.deletedAt ?? null,
              deletedBy: e.deletedBy ?? null,
              deprecatedAt: e.deprecatedAt ?? null,
              deprecatedBy: e.deprecatedBy ?? null,
              deprecationNote: e.deprecationNote ?? null,
              replacementUrn: e.replacementUrn ?? null,
              upstreamUrn: e.upstreamUrn,
              downstreamUrn: e.downstreamUrn,
              viaUrn: noneAsNull(e.viaUrn),
              job: noneAsNull(e.job),
              columns: e.columns
                .filter((c): c is EdgeRecord['columns'][number] => c !== null)
                .map((c) => ({ ...c, transformation: c.transformation ?? null }))
                .sort((a, b) => `${a.downstream} ${a.upstream}`.localeCompare(`${b.downstream} ${b.upstream}`)),
            })),
        },
      ];
    }),
  );
}

export interface LineageHop {
  urn: string;
  direction: 'UPSTREAM' | 'DOWNSTREAM';
  distance: number;
}

/**
 * Breadth-first over the readable datasets only: a dataset reachable only through one the caller
 * may not read is dropped too, so nothing hints at the hidden one. At most `cap` datasets per
 * direction are kept, the nearest ones (then by URN), and `truncated` says whether a readable one
 * was left out: it is computed over what the caller may read, so hidden datasets never set it
 * (except beyond the scan ceiling, see MAX_LINEAGE_SCAN). Returns the hops and the edges between
 * the root and the datasets kept.
 */
export function visibleLineage(
  graph: LineageGraph,
  direction: LineageDirection,
  depth: number,
  readable: ReadonlySet<string>,
  cap = MAX_LINEAGE_NODES,
): { hops: LineageHop[]; edges: EdgeRecord[]; truncated: boolean } {
  let truncated = graph.scanCut;
  const edges = graph.edges.filter((e) => readable.has(e.upstreamUrn) && readable.has(e.downstreamUrn));
  const hops: LineageHop[] = [];
  const kept = new Set<string>([graph.root]);
  const walk = (dir: 'UPSTREAM' | 'DOWNSTREAM') => {
    const next = new Map<string, string[]>();
    for (const e of edges) {
      const [from, to] = dir === 'DOWNSTREAM' ? [e.upstreamUrn, e.downstreamUrn] : [e.downstreamUrn, e.upstreamUrn];
      next.set(from, [...(next.get(from) ?? []), to]);
    }
    const seen = new Set([graph.root]);
    let frontier = [graph.root];
    let count = 0;
    for (let distance = 1; distance <= depth && frontier.length; distance++) {
      const following: string[] = [];
      for (const urn of frontier) {
        for (const to of next.get(urn) ?? []) {
          if (seen.has(to)) continue;
          seen.add(to);
          following.push(to);
        }
      }
      // The nearest first: a whole distance at a time, by URN within the last one that fits.
      following.sort();
      const room = cap - count;
      if (following.length > room) {
        truncated = true;
        following.length = room;
      }
      for (const to of following) {
        kept.add(to);
        hops.push({ urn: to, direction: dir, distance });
      }
      count += following.length;
      frontier = following;
    }
  };
  if (direction !== 'DOWNSTREAM') walk('UPSTREAM');
  if (direction !== 'UPSTREAM') walk('DOWNSTREAM');
  hops.sort((a, b) => a.direction.localeCompare(b.direction) || a.distance - b.distance || a.urn.localeCompare(b.urn));
  const sortedEdges = edges
    .filter((e) => kept.has(e.upstreamUrn) && kept.has(e.downstreamUrn))
    .sort((a, b) =>
      `${a.upstreamUrn} ${a.downstreamUrn} ${a.viaUrn ?? ''} ${a.job ?? ''}`.localeCompare(
        `${b.upstreamUrn} ${b.downstreamUrn} ${b.viaUrn ?? ''} ${b.job ?? ''}`,
      ),
    );
  return { hops, edges: sortedEdges, truncated };
}
