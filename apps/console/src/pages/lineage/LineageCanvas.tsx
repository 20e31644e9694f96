import { useEffect, useMemo, useState } from 'react';
import { Background, Controls, MarkerType, ReactFlow, type Edge } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { columnKey, type ColumnRef, type LineageGraph } from './graph.js';
import { DatasetNode, type DatasetFlowNode } from './DatasetNode.js';
import { browserElk } from './elk.js';
import { layoutGraph, NODE_WIDTH, type Positioned } from './layout.js';

const nodeTypes = { dataset: DatasetNode };

interface Props {
  graph: LineageGraph;
  selected?: ColumnRef | undefined;
  lineage: { edges: ReadonlySet<string>; columns: ReadonlySet<string> };
  onSelectColumn: (ref: ColumnRef | undefined) => void;
}

/** The interactive graph: ELK places the datasets, React Flow draws, pans and zooms. */
export function LineageCanvas({ graph, selected, lineage, onSelectColumn }: Props) {
  const [positions, setPositions] = useState<Positioned[]>();
  useEffect(() => {
    let alive = true;
    setPositions(undefined);
    void layoutGraph(browserElk(), graph.datasets, graph.edges).then((p) => alive && setPositions(p));
    return () => {
      alive = false;
    };
  }, [graph]);

  const nodes = useMemo<DatasetFlowNode[]>(() => {
    if (!positions) return [];
    const at = new Map(positions.map((p) => [p.urn, p]));
    return graph.datasets.map((dataset) => ({
      id: dataset.urn,
      type: 'dataset',
      position: { x: at.get(dataset.urn)?.x ?? 0, y: at.get(dataset.urn)?.y ?? 0 },
      width: NODE_WIDTH,
      data: {
        dataset,
        selected: selected?.urn === dataset.urn ? selected.column : undefined,
        linked: new Set(
          dataset.columns
            .map((c) => c.name)
            .filter((c) => lineage.columns.has(columnKey({ urn: dataset.urn, column: c }))),
        ),
        onSelectColumn,
      },
    }));
  }, [graph, positions, selected, lineage, onSelectColumn]);

  const edges = useMemo<Edge[]>(() => {
    const datasetEdges: Edge[] = graph.edges.map((e) => ({
      id: e.id,
      source: e.upstream,
      target: e.downstream,
      sourceHandle: 'out',
      targetHandle: 'in',
      label: e.job ?? e.via ?? undefined,
      markerEnd: { type: MarkerType.ArrowClosed },
      style: lineage.edges.size ? { opacity: 0.35 } : undefined,
    }));
    const columnEdges: Edge[] = graph.columnEdges
      .filter((e) => lineage.edges.has(e.id))
      .map((e) => ({
        id: `col:${e.id}`,
        source: e.upstream.urn,
        target: e.downstream.urn,
        sourceHandle: `out:${e.upstream.column}`,
        targetHandle: `in:${e.downstream.column}`,
        label: e.transformation ?? undefined,
        animated: true,
        className: 'column-edge',
        markerEnd: { type: MarkerType.ArrowClosed, color: '#1f5fbf' },
      }));
    return [...datasetEdges, ...columnEdges];
  }, [graph, lineage]);

  return (
    <div className="lineage-canvas" aria-label="Lineage graph" role="region">
      {positions ? (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          fitView
          nodesConnectable={false}
          nodesDraggable
          minZoom={0.2}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      ) : null}
    </div>
  );
}
