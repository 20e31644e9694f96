import { useQuery } from '@apollo/client/react';
import { ConsoleOperationsClustersDocument } from '@dataos/client';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { duration, when } from './format.js';

const QUERIES = 100;
/**
 * The Gateway publishes a query's progress to whoever names its id (`queryProgress`), but no feed
 * of queries starting or ending: the history is read again on this period instead.
 */
const REFRESH_MS = 5000;

/** Minerva clusters with state and health, and the queries that ran on each (user, duration, state). */
export function ClustersPage() {
  const { data, error, loading } = useQuery(ConsoleOperationsClustersDocument, {
    variables: { first: QUERIES },
    pollInterval: REFRESH_MS,
    notifyOnNetworkStatusChange: false,
  });
  const queries = data?.queries.edges.map((e) => e.node) ?? [];
  return (
    <section className="page page-wide" aria-labelledby="clusters-title">
      <h2 id="clusters-title">Minerva clusters</h2>
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
                    <tr key={q.id}>
                      <th scope="row">{when(q.startedAt)}</th>
                      <td>{q.user}</td>
                      <td>{q.source.toLowerCase()}</td>
                      <td title={q.error?.message}>
                        {q.state.toLowerCase()}
                        {q.error ? <span className="muted"> {q.error.code}</span> : null}
                      </td>
                      <td>{duration(q.durationMs)}</td>
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
