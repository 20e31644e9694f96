import { useCallback, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleLineageDocument, type LineageDirection } from '@dataos/client';
import { datasetPath } from '../../app/routes.js';
import { ErrorBoundary } from '../../ui/ErrorBoundary.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { buildGraph, columnLineage, type ColumnRef } from './graph.js';
import { LineageCanvas } from './LineageCanvas.js';
import { MAX_DEPTH, readView, writeView } from './params.js';

const NO_LINEAGE = { edges: new Set<string>(), columns: new Set<string>() };
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf('/') + 1);

/** Lineage around a dataset: the graph, a depth and direction control, a column's edges, and the same as text. */
export default function LineagePage() {
  const urn = useParams().urn ?? '';
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const { data, previousData, error, loading } = useQuery(ConsoleLineageDocument, {
    variables: { urn, direction: view.direction, depth: view.depth },
  });
  const lineage = (data ?? previousData)?.lineage;
  const graph = useMemo(() => (lineage ? buildGraph(lineage) : undefined), [lineage]);
  const selected = view.column && graph?.datasets.some((d) => d.urn === view.column!.urn) ? view.column : undefined;
  const columnEdges = useMemo(
    () => (graph && selected ? columnLineage(graph.columnEdges, selected) : NO_LINEAGE),
    [graph, selected],
  );

  const viewRef = params.toString();
  const onSelectColumn = useCallback(
    (ref: ColumnRef | undefined) => {
      const current = readView(new URLSearchParams(viewRef));
      setParams(writeView({ direction: current.direction, depth: current.depth, ...(ref ? { column: ref } : {}) }), {
        replace: true,
      });
    },
    [viewRef, setParams],
  );

  return (
    <section className="page page-wide">
      <h1>
        Lineage of <Link to={datasetPath(urn)}>{lineage?.root.name ?? nameOf(urn)}</Link>
      </h1>
      <form className="lineage-controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          Direction{' '}
          <select
            value={view.direction}
            onChange={(e) => setParams(writeView({ ...view, direction: e.target.value as LineageDirection }))}
          >
            <option value="BOTH">Upstream and downstream</option>
            <option value="UPSTREAM">Upstream</option>
            <option value="DOWNSTREAM">Downstream</option>
          </select>
        </label>
        <label>
          Depth{' '}
          <input
            type="number"
            min={1}
            max={MAX_DEPTH}
            value={view.depth}
            onChange={(e) => setParams(writeView({ ...view, depth: Number(e.target.value) }))}
          />
        </label>
        {loading ? <Loading label="Loading the lineage" /> : null}
      </form>
      <PageError error={error} />
      <Part error={error} path={['lineage']} what="this lineage">
        {!lineage && !loading ? (
          <p>
            No lineage for <span className="mono">{urn}</span>.
          </p>
        ) : null}
        {graph ? (
          <>
            {lineage?.truncated ? (
              <p className="notice notice-down">
                Only the nearest datasets are shown: lower the depth to see all of them.
              </p>
            ) : null}
            <p className="muted">
              {graph.datasets.length - 1} related dataset{graph.datasets.length === 2 ? '' : 's'}. Select a column to
              see its column-level lineage.
            </p>
            <ErrorBoundary what="the lineage graph">
              <LineageCanvas graph={graph} selected={selected} lineage={columnEdges} onSelectColumn={onSelectColumn} />
            </ErrorBoundary>
            {selected ? (
              <section aria-label="Column lineage">
                <h2>
                  Column lineage of {nameOf(selected.urn)}.{selected.column}
                </h2>
                {columnEdges.edges.size ? (
                  <ul>
                    {graph.columnEdges
                      .filter((e) => columnEdges.edges.has(e.id))
                      .map((e) => (
                        <li key={e.id} className="mono">
                          {nameOf(e.upstream.urn)}.{e.upstream.column} → {nameOf(e.downstream.urn)}.
                          {e.downstream.column}
                          {e.transformation ? ` (${e.transformation})` : ''}
                        </li>
                      ))}
                  </ul>
                ) : (
                  <p className="muted">No column-level lineage recorded for this column.</p>
                )}
              </section>
            ) : null}
            <h2>Datasets</h2>
            <table className="grid" aria-label="Datasets in this lineage">
              <thead>
                <tr>
                  <th scope="col">Dataset</th>
                  <th scope="col">Direction</th>
                  <th scope="col">Hops</th>
                </tr>
              </thead>
              <tbody>
                {graph.datasets
                  .filter((d) => d.direction !== 'ROOT')
                  .sort((a, b) => a.direction.localeCompare(b.direction) || a.distance - b.distance)
                  .map((d) => (
                    <tr key={d.urn}>
                      <td>
                        <Link to={datasetPath(d.urn)}>{d.name}</Link> <span className="mono muted">{d.urn}</span>
                      </td>
                      <td>{d.direction.toLowerCase()}</td>
                      <td>{d.distance}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Part>
    </section>
  );
}
