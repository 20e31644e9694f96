import { badUserInput } from '@dataos/errors';
import type { Context } from '../context.js';
import type { LineageDirection } from '../generated/resolvers.js';
import { MAX_LINEAGE_DEPTH, visibleLineage } from '../store/lineage.js';
import type { ColumnRecord, DatasetRecord, EdgeRecord, ResourceRecord } from '../store/records.js';
import { deletionOf, deprecationOf } from '../store/lifecycle.js';
import { objectPaths } from '../urn.js';
import { resourceParent, type Out } from './access.js';

type LineageParent = Out<'Lineage'>;
type EdgeParent = Out<'LineageEdge'>;

export function lineageDepth(depth: number | null | undefined): number {
  const d = depth ?? 3;
  if (!Number.isInteger(d) || d < 1 || d > MAX_LINEAGE_DEPTH) {
    throw badUserInput(`depth must be between 1 and ${MAX_LINEAGE_DEPTH}.`, { field: 'depth' });
  }
  return d;
}

/**
 * Lineage around a dataset the caller may read: one traversal (batched across roots), one
 * Heimdall batch for every dataset met, then workflows and columns in one batched read each.
 */
export async function buildLineage(
  ctx: Context,
  root: DatasetRecord,
  direction: LineageDirection,
  depth: number,
  includeDeleted = false,
): Promise<LineageParent> {
  const graph = await ctx.loaders.lineage.load({ root: root.urn, direction, depth });
  const empty = { root, direction, depth, nodes: [], edges: [], workflows: [], truncated: false };
  if (!graph) return empty;
  const records = new Map(graph.datasets.map((d) => [d.urn, d]));
  records.set(root.urn, root);
  // Soft-deleted datasets and edges are left out as hidden ones are (unless asked for): nothing
  // reached only through them is shown.
  const shown = includeDeleted ? graph.datasets : graph.datasets.filter((d) => !d.deletedAt);
  const readable = new Set((await ctx.access.readable(shown, (d) => d)).map((d) => d.urn));
  readable.add(root.urn);
  for (const urn of readable) ctx.loaders.dataset.prime(urn, records.get(urn)!);
  const live = includeDeleted ? graph : { ...graph, edges: graph.edges.filter((e) => !e.deletedAt) };
  const { hops, edges, truncated } = visibleLineage(live, direction, depth, readable);

  const viaUrns = [...new Set(edges.map((e) => e.viaUrn).filter((u): u is string => u !== null))];
  const columnOwners = [
    ...new Set(edges.filter((e) => e.columns.length).flatMap((e) => [e.upstreamUrn, e.downstreamUrn])),
  ];
  const [resources, columnLists] = await Promise.all([
    ctx.loaders.resource.loadMany(viaUrns),
    ctx.loaders.columns.loadMany(columnOwners),
  ]);
  const found = resources.filter((r): r is ResourceRecord => r !== null && !(r instanceof Error));
  const workflows = await ctx.access.readablePaths(found, (r) => objectPaths.resource(r.urn));
  const byUrn = new Map(workflows.map((r) => [r.urn, r]));
  const columns = new Map<string, ColumnRecord>();
  columnLists.forEach((list) => {
    if (Array.isArray(list)) for (const c of list) columns.set(`${c.datasetUrn}\u0000${c.name}`, c);
  });

  const toEdge = (e: EdgeRecord): EdgeParent => {
    const via = e.viaUrn ? byUrn.get(e.viaUrn) : undefined;
    return {
      upstreamUrn: e.upstreamUrn,
      downstreamUrn: e.downstreamUrn,
      upstream: records.get(e.upstreamUrn)!,
      downstream: records.get(e.downstreamUrn)!,
      viaUrn: via?.urn ?? null,
      via: via ? resourceParent(via) : null,
      job: e.job,
      deletion: deletionOf(e),
      deprecation: deprecationOf(e),
      columns: e.columns.flatMap((c) => {
        const upstream = columns.get(`${e.upstreamUrn}\u0000${c.upstream}`);
        const downstream = columns.get(`${e.downstreamUrn}\u0000${c.downstream}`);
        return upstream && downstream ? [{ upstream, downstream, transformation: c.transformation }] : [];
      }),
    };
  };
  return {
    root,
    direction,
    depth,
    nodes: hops.map((h) => ({ dataset: records.get(h.urn)!, direction: h.direction, distance: h.distance })),
    edges: edges.map(toEdge),
    workflows: workflows.sort((a, b) => a.urn.localeCompare(b.urn)).map(resourceParent),
    truncated,
  };
}
