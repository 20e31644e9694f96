import type { ELK } from 'elkjs/lib/elk-api.js';
import type { DatasetEdge, LineageDataset } from './graph.js';

export const NODE_WIDTH = 240;
const HEADER_HEIGHT = 52;
const ROW_HEIGHT = 20;

export const nodeHeight = (d: LineageDataset) => HEADER_HEIGHT + d.columns.length * ROW_HEIGHT + 8;

export interface Positioned {
  urn: string;
  x: number;
  y: number;
}

/** Left to right, upstream first: ELK's layered algorithm, the usual choice for lineage. */
export async function layoutGraph(
  elk: ELK,
  datasets: readonly LineageDataset[],
  edges: readonly DatasetEdge[],
): Promise<Positioned[]> {
  const result = await elk.layout({
    id: 'lineage',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '90',
      'elk.spacing.nodeNode': '30',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: datasets.map((d) => ({ id: d.urn, width: NODE_WIDTH, height: nodeHeight(d) })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.upstream], targets: [e.downstream] })),
  });
  return (result.children ?? []).map((c) => ({ urn: c.id, x: c.x ?? 0, y: c.y ?? 0 }));
}
