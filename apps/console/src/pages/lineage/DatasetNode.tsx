import { memo } from 'react';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { Link } from 'react-router';
import { datasetPath } from '../../app/routes.js';
import type { ColumnRef, LineageDataset } from './graph.js';

export interface DatasetNodeData extends Record<string, unknown> {
  dataset: LineageDataset;
  selected?: string | undefined;
  /** Columns of this dataset on the selected column's lineage. */
  linked: ReadonlySet<string>;
  onSelectColumn: (ref: ColumnRef | undefined) => void;
}

export type DatasetFlowNode = Node<DatasetNodeData, 'dataset'>;

const DIRECTION_LABEL = {
  ROOT: 'this dataset',
  UPSTREAM: 'upstream',
  DOWNSTREAM: 'downstream',
  BOTH: 'up- and downstream',
};

/** A dataset in the graph: its name opens its page; each column can be selected to see its edges. */
function DatasetNodeView({ data }: NodeProps<DatasetFlowNode>) {
  const { dataset, selected, linked, onSelectColumn } = data;
  return (
    <div className={`lineage-node${dataset.direction === 'ROOT' ? ' root' : ''}`}>
      <Handle type="target" position={Position.Left} id="in" />
      <Link to={datasetPath(dataset.urn)} className="lineage-title">
        {dataset.name}
      </Link>
      <div className="muted">
        {[dataset.layer, DIRECTION_LABEL[dataset.direction]].filter(Boolean).join(' · ')}
        {dataset.distance > 1 ? ` · ${dataset.distance} hops` : ''}
      </div>
      <ul aria-label={`Columns of ${dataset.name}`}>
        {dataset.columns.map((c) => {
          const isSelected = selected === c.name;
          return (
            <li key={c.name}>
              <Handle type="target" position={Position.Left} id={`in:${c.name}`} className="column-handle" />
              <button
                type="button"
                className={isSelected ? 'selected' : linked.has(c.name) ? 'linked' : undefined}
                aria-pressed={isSelected}
                onClick={() => onSelectColumn(isSelected ? undefined : { urn: dataset.urn, column: c.name })}
              >
                {c.name} <span className="column-type">{c.type}</span>
              </button>
              <Handle type="source" position={Position.Right} id={`out:${c.name}`} className="column-handle" />
            </li>
          );
        })}
      </ul>
      <Handle type="source" position={Position.Right} id="out" />
    </div>
  );
}

export const DatasetNode = memo(DatasetNodeView);
