import type { Context } from '../context.js';
import type { LineageDirection } from '../generated/resolvers.js';
import { columnKey, columnLineageGraph, type ColumnEdgeRecord } from '../store/column-lineage.js';
import { visibleLineage } from '../store/lineage.js';
import type { ColumnRecord, EdgeRecord } from '../store/records.js';
import { readDatasets } from './access.js';

/**
 * Column-level lineage around a column of a readable dataset: one traversal over COLUMN_FEEDS,
 * one Heimdall batch for the datasets of the columns met, then the same breadth-first walk as
 * dataset lineage over the columns of readable (and not soft-deleted) datasets only, so a column
 * reached only through a hidden dataset is not shown, and `truncated` counts readable ones only.
 */
export async function columnLineage(ctx: Context, root: ColumnRecord, direction: LineageDirection, depth: number) {
  const empty = { root, direction, depth, nodes: [], edges: [], truncated: false };
  const graph = await columnLineageGraph(ctx.store, root, direction, depth);
  if (!graph) return empty;
  const urns = [...new Set(graph.columns.map((c) => c.datasetUrn))];
  const shown = new Set(
    (await readDatasets(ctx, urns)).filter((d) => !d.deletedAt || d.urn === root.datasetUrn).map((d) => d.urn),
  );
  shown.add(root.datasetUrn);
  const readable = new Set(graph.columns.filter((c) => shown.has(c.datasetUrn)).map(columnKey));
  // The walk of dataset lineage, over column keys: each column edge as an edge between two keys.
  const original = new Map<EdgeRecord, ColumnEdgeRecord>();
  const edges = graph.edges
    .filter((e) => !e.deleted)
    .map((e) => {
      const walked: EdgeRecord = {
        upstreamUrn: columnKey(e.upstream),
        downstreamUrn: columnKey(e.downstream),
        viaUrn: e.viaUrn,
        job: e.job,
        columns: [],
      };
      original.set(walked, e);
      return walked;
    });
  const visible = visibleLineage(
    { root: columnKey(root), datasets: [], edges, scanCut: graph.scanCut },
    direction,
    depth,
    readable,
  );
  const kept = [...new Set(visible.hops.map((h) => h.urn.split('\u0000')[0]!))];
  const lists = await ctx.loaders.columns.loadMany(kept);
  const columns = new Map<string, ColumnRecord>([[columnKey(root), root]]);
  for (const list of lists) if (Array.isArray(list)) for (const c of list) columns.set(columnKey(c), c);
  const nodes = visible.hops.flatMap((h) => {
    const column = columns.get(h.urn);
    return column ? [{ column, direction: h.direction, distance: h.distance }] : [];
  });
  return {
    ...empty,
    nodes,
    edges: visible.edges.flatMap((walked) => {
      const e = original.get(walked)!;
      const upstream = columns.get(walked.upstreamUrn);
      const downstream = columns.get(walked.downstreamUrn);
      return upstream && downstream
        ? [
            {
              upstream,
              downstream,
              viaUrn: e.viaUrn,
              job: e.job,
              transformation: e.transformation,
              declassification: e.declassification,
            },
          ]
        : [];
    }),
    truncated: visible.truncated,
  };
}
