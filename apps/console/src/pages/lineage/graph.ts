import type { ConsoleLineageQuery } from '@dataos/client';

type Lineage = NonNullable<ConsoleLineageQuery['lineage']>;

export interface LineageDataset {
  urn: string;
  name: string;
  layer: string | null;
  columns: { name: string; type: string }[];
  /** ROOT for the dataset the page is about. */
  direction: 'ROOT' | 'UPSTREAM' | 'DOWNSTREAM' | 'BOTH';
  distance: number;
}

export interface DatasetEdge {
  id: string;
  upstream: string;
  downstream: string;
  job: string | null;
  via: string | null;
}

export interface ColumnEdge {
  id: string;
  upstream: ColumnRef;
  downstream: ColumnRef;
  transformation: string | null;
}

export interface ColumnRef {
  urn: string;
  column: string;
}

export interface LineageGraph {
  datasets: LineageDataset[];
  edges: DatasetEdge[];
  columnEdges: ColumnEdge[];
}

export const columnKey = (ref: ColumnRef) => `${ref.urn}\u0000${ref.column}`;

/**
 * The graph as the API answers it, with one more guard: an edge is drawn only when both of its
 * ends are datasets the caller was shown, so a hidden neighbour is never drawn nor hinted at.
 */
export function buildGraph(lineage: Lineage): LineageGraph {
  const datasets = new Map<string, LineageDataset>();
  const root = lineage.root;
  datasets.set(root.urn, { ...pick(root), direction: 'ROOT', distance: 0 });
  for (const node of lineage.nodes) {
    const existing = datasets.get(node.dataset.urn);
    // A dataset both upstream and downstream (a cycle) is drawn once.
    if (existing && existing.direction !== 'ROOT') existing.direction = 'BOTH';
    if (!existing)
      datasets.set(node.dataset.urn, { ...pick(node.dataset), direction: node.direction, distance: node.distance });
  }
  const edges: DatasetEdge[] = [];
  const columnEdges: ColumnEdge[] = [];
  const seen = new Set<string>();
  for (const edge of lineage.edges) {
    if (!datasets.has(edge.upstreamUrn) || !datasets.has(edge.downstreamUrn)) continue;
    const id = `${edge.upstreamUrn}->${edge.downstreamUrn}`;
    if (seen.has(id)) continue;
    seen.add(id);
    edges.push({
      id,
      upstream: edge.upstreamUrn,
      downstream: edge.downstreamUrn,
      job: edge.job,
      via: edge.via?.name ?? null,
    });
    for (const c of edge.columns) {
      const upstream = { urn: c.upstream.datasetUrn, column: c.upstream.name };
      const downstream = { urn: c.downstream.datasetUrn, column: c.downstream.name };
      if (!datasets.has(upstream.urn) || !datasets.has(downstream.urn)) continue;
      columnEdges.push({
        id: `${columnKey(upstream)}->${columnKey(downstream)}`,
        upstream,
        downstream,
        transformation: c.transformation,
      });
    }
  }
  return { datasets: [...datasets.values()], edges, columnEdges };
}

function pick(d: Lineage['root']): Omit<LineageDataset, 'direction' | 'distance'> {
  return { urn: d.urn, name: d.name, layer: d.layer, columns: d.columns.map((c) => ({ name: c.name, type: c.type })) };
}

/**
 * A column's lineage: the column-level edges reachable from it upstream (what it is made from)
 * and downstream (what is made from it), and the columns on them.
 */
export function columnLineage(
  columnEdges: readonly ColumnEdge[],
  start: ColumnRef,
): { edges: Set<string>; columns: Set<string> } {
  const edges = new Set<string>();
  const columns = new Set<string>([columnKey(start)]);
  const walk = (from: ColumnRef, forward: boolean) => {
    const queue = [columnKey(from)];
    const visited = new Set(queue);
    while (queue.length) {
      const key = queue.shift()!;
      for (const edge of columnEdges) {
        const [here, there] = forward ? [edge.upstream, edge.downstream] : [edge.downstream, edge.upstream];
        if (columnKey(here) !== key) continue;
        edges.add(edge.id);
        const next = columnKey(there);
        columns.add(next);
        if (!visited.has(next)) {
          visited.add(next);
          queue.push(next);
        }
      }
    }
  };
  walk(start, true);
  walk(start, false);
  return { edges, columns };
}
