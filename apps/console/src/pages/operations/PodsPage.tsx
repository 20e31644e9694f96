import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from '@apollo/client/react';
import { ConsolePodChangesDocument, ConsolePodsDocument } from '@dataos/client';
import { LiveBadge } from '../../live/index.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { when } from './format.js';
import { podPath } from './paths.js';
import {
  PHASES,
  countByPhase,
  mergePod,
  podFilterInput,
  sortedRows,
  type Phase,
  type PodFilterValues,
  type PodRow,
} from './pods.js';

/** The table reads at most this many pods; the counts above it come from the API (all pods). */
const PAGE = 500;
/**
 * The subscription starts with the page read, but Caretaker serves it from the moment it is
 * registered there: a change between the read and that moment would be missed. One more read
 * shortly after closes the gap (merges keep the newest resourceVersion, so nothing goes back).
 */
const SETTLE_MS = 1500;

function filterOf(params: URLSearchParams): PodFilterValues {
  const phase = params.get('phase');
  return {
    ...(params.get('namespace') ? { namespace: params.get('namespace')! } : {}),
    ...(phase && (PHASES as readonly string[]).includes(phase) ? { phase: phase as Phase } : {}),
    ...(params.get('node') ? { nodeName: params.get('node')! } : {}),
    ...(params.get('resource') ? { resourceUrn: params.get('resource')! } : {}),
  };
}

/** Pods as Caretaker sees them, updated in place by `podChanges`: filters, counts by phase, the table. */
export function PodsPage() {
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterOf(params), [params]);
  const input = useMemo(() => podFilterInput(filter), [filter]);
  const [rows, setRows] = useState<Map<string, PodRow>>(new Map());
  const { data, error, loading, refetch } = useQuery(ConsolePodsDocument, {
    variables: { filter: input, first: PAGE },
    fetchPolicy: 'network-only',
  });

  useEffect(() => setRows(new Map()), [input]);
  useEffect(() => {
    const edges = data?.pods?.edges;
    if (!edges) return;
    setRows((current) => edges.reduce((acc, { node }) => mergePod(acc, node as PodRow, filter), current));
  }, [data, filter]);
  useEffect(() => {
    const timer = setTimeout(() => void refetch(), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [input, refetch]);

  const [changes, setChanges] = useState(0);
  const live = useSubscription(ConsolePodChangesDocument, {
    variables: { filter: input },
    onData: ({ data: event }) => {
      const pod = event.data?.podChanges.pod;
      if (!pod) return;
      setRows((current) => mergePod(current, pod as PodRow, filter));
      setChanges((n) => n + 1);
    },
  });

  const shown = sortedRows(rows);
  const counts = countByPhase(shown);
  const total = data?.pods?.totalCount;
  const complete = total !== undefined && total <= PAGE;
  const aggregates = data?.podAggregates;
  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <section className="page page-wide" aria-labelledby="pods-title">
      <div className="title-row">
        <h2 id="pods-title">Pods</h2>
        <LiveBadge />
      </div>
      <PageError error={error} />
      {live.error ? (
        <div className="notice notice-error" role="alert">
          Live updates stopped: {live.error.message}
        </div>
      ) : null}
      <form className="filters" aria-label="Pod filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Namespace
          <input
            list="pod-namespaces"
            value={filter.namespace ?? ''}
            onChange={(e) => setFilter('namespace', e.target.value.trim())}
          />
        </label>
        <datalist id="pod-namespaces">
          {aggregates?.byNamespace.map((n) => (
            <option key={n.namespace} value={n.namespace} />
          ))}
        </datalist>
        <label>
          Phase
          <select value={filter.phase ?? ''} onChange={(e) => setFilter('phase', e.target.value)}>
            <option value="">any</option>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {p.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Node
          <input
            list="pod-nodes"
            value={filter.nodeName ?? ''}
            onChange={(e) => setFilter('node', e.target.value.trim())}
          />
        </label>
        <datalist id="pod-nodes">
          {aggregates?.byNode
            .filter((n) => n.nodeName)
            .map((n) => (
              <option key={n.nodeName} value={n.nodeName!} />
            ))}
        </datalist>
        <label>
          Resource URN
          <input
            value={filter.resourceUrn ?? ''}
            placeholder="dataos://workflow:retail/orders-ingest"
            onChange={(e) => setFilter('resource', e.target.value.trim())}
          />
        </label>
      </form>
      <Part error={error} path={['pods']} what="pods">
        <ul className="phase-counts" aria-label="Pods by phase">
          {PHASES.map((phase) => {
            // Beyond one page, the shown rows are not all pods: the API's counts are.
            const count = complete ? counts[phase] : (aggregates?.byPhase.find((b) => b.phase === phase)?.count ?? 0);
            return (
              <li key={phase} className={`phase phase-${phase.toLowerCase()}`}>
                <button
                  type="button"
                  aria-pressed={filter.phase === phase}
                  onClick={() => setFilter('phase', filter.phase === phase ? '' : phase)}
                >
                  <span className="phase-name">{phase.toLowerCase()}</span> <strong>{count}</strong>
                </button>
              </li>
            );
          })}
        </ul>
        <p className="muted" aria-live="polite">
          {complete ? `${shown.length} pods` : total !== undefined ? `${shown.length} of ${total} pods shown` : ''}
          {changes ? ` · ${changes} live change${changes === 1 ? '' : 's'} applied` : ''}
        </p>
        {loading && !data ? <Loading label="Loading pods" /> : null}
        <div className="table-scroll">
          <table className="grid" aria-label="Pods">
            <thead>
              <tr>
                <th scope="col">Namespace</th>
                <th scope="col">Pod</th>
                <th scope="col">Phase</th>
                <th scope="col">Ready</th>
                <th scope="col">Restarts</th>
                <th scope="col">Node</th>
                <th scope="col">Resource</th>
                <th scope="col">Last change</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((pod) => (
                <tr key={`${pod.namespace}/${pod.name}`} data-pod={pod.name}>
                  <td>{pod.namespace}</td>
                  <th scope="row">
                    <Link to={podPath(pod.namespace, pod.name)}>{pod.name}</Link>
                  </th>
                  <td>
                    <span className={`phase-tag phase-${pod.phase.toLowerCase()}`}>{pod.phase.toLowerCase()}</span>
                    {pod.reason ? <span className="muted"> {pod.reason}</span> : null}
                  </td>
                  <td>{pod.ready ? 'yes' : 'no'}</td>
                  <td>{pod.restarts}</td>
                  <td>{pod.nodeName ?? <span className="muted">unscheduled</span>}</td>
                  <td className="mono">{pod.resourceUrn ?? '—'}</td>
                  <td>{when(pod.observedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {!loading && shown.length === 0 ? <p className="muted">No pods match.</p> : null}
      </Part>
    </section>
  );
}
