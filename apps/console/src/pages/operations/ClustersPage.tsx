import { useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from '@apollo/client/react';
import { ConsoleOperationsClustersDocument, ConsoleQueryChangesDocument } from '@dataos/client';
import { LiveBadge } from '../../live/index.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { duration, when } from './format.js';
import { mergeRows, rowOf, QUERIES, type Row } from './queries.js';

/** Minerva clusters with state and health, and the queries running and finished on each (user, duration, state), live. */
export function ClustersPage() {
  const { data, error, loading, refetch } = useQuery(ConsoleOperationsClustersDocument, {
    variables: { first: QUERIES },
    notifyOnNetworkStatusChange: false,
  });
  const [live, setLive] = useState<Map<string, Row>>(new Map());
  useSubscription(ConsoleQueryChangesDocument, {
    onData: ({ data: event }) => {
      const change = event.data?.queryChanges;
      if (!change) return;
      setLive((current) => {
        const known = current.get(change.queryId);
        if (known && known.state !== 'RUNNING') return current;
        const next = new Map(current);
        next.set(change.queryId, rowOf(change));
        // Bounded: the oldest live rows go once more than a page's worth arrived.
        if (next.size > QUERIES * 2) next.delete(next.keys().next().value!);
        return next;
      });
    },
  });
  // A query that ended between the read and the subscription reaching the Gateway: read once more.
  useEffect(() => {
    const timer = setTimeout(() => void refetch(), 1500);
    return () => clearTimeout(timer);
  }, [refetch]);
  const queries = useMemo(() => mergeRows(data?.queries.edges.map((e) => e.node) ?? [], live), [data, live]);
  return (
    <section className="page page-wide" aria-labelledby="clusters-title">
      <h2 id="clusters-title">
        Minerva clusters <LiveBadge />
      </h2>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading clusters" /> : null}
      {data?.clusters.map((cluster) => {
        const own = queries.filter((q) => q.cluster === cluster.name);
        return (
          <article key={cluster.name} className="cluster" aria-labelledby={`cluster-${cluster.name}`}>
            <h3 id={`cluster-${cluster.name}`}>
              {cluster.name} <span className="chip">{cluster.engine.toLowerCase()}</span>{' '}
              <span className={cluster.state === 'RUNNING' ? 'fresh' : 'stale'}>{cluster.state.toLowerCase()}</span>
            </h3>
            <p className="muted">
              {cluster.description ?? ''} {cluster.size.replicas} replica{cluster.size.replicas === 1 ? '' : 's'} ·
              health:{' '}
              {cluster.health
                ? `${cluster.health.ok ? 'ok' : `failing (${cluster.health.message ?? 'no message'})`} ${duration(cluster.health.latencyMs)} at ${when(cluster.health.at)}`
                : 'not checked yet'}
            </p>
            <Part error={error} path={['queries']} what="the query history">
              <table className="grid" aria-label={`Queries on ${cluster.name}`}>
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">User</th>
                    <th scope="col">Source</th>
                    <th scope="col">State</th>
                    <th scope="col">Duration</th>
                    <th scope="col">Rows</th>
                  </tr>
                </thead>
                <tbody>
                  {own.map((q) => (
                    <tr key={q.id} data-query={q.id} data-state={q.state.toLowerCase()}>
                      <th scope="row">{when(q.startedAt)}</th>
                      <td>{q.user}</td>
                      <td>{q.source.toLowerCase()}</td>
                      <td title={q.error?.message}>
                        {q.state.toLowerCase()}
                        {q.error ? <span className="muted"> {q.error.code}</span> : null}
                      </td>
                      <td>{Number.isNaN(q.durationMs) ? 'running' : duration(q.durationMs)}</td>
                      <td>{q.rows}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {own.length === 0 ? <p className="muted">No queries recorded on this cluster.</p> : null}
            </Part>
          </article>
        );
      })}
    </section>
  );
}
