import { useEffect } from 'react';
import { useQuery } from '@apollo/client/react';
import { ConsoleQueryHistoryDocument } from '@dataos/client';
import { Loading } from '../../ui/Loading.js';
import { Part } from '../../ui/Part.js';
import { PageError } from '../../ui/PageError.js';

const PAGE = 20;

interface Props {
  /** The caller's Heimdall subject id: the history shows their own queries. */
  user: string | undefined;
  onOpen: (sql: string, cluster: string) => void;
  /** Changes after every run, so the list refreshes. */
  version: number;
}

/** The caller's queries, newest first, paged by cursor; one opens back in the editor. */
export function QueryHistory({ user, onOpen, version }: Props) {
  const { data, loading, error, fetchMore, refetch } = useQuery(ConsoleQueryHistoryDocument, {
    variables: { first: PAGE, filter: { source: 'QUERY', ...(user ? { user } : {}) } },
    skip: user === undefined,
    fetchPolicy: 'cache-and-network',
  });
  // Asked again after each run, so the new entry shows at the top.
  useEffect(() => {
    if (version > 0 && user !== undefined) void refetch();
  }, [version, user, refetch]);
  const edges = data?.queries.edges ?? [];
  const pageInfo = data?.queries.pageInfo;

  return (
    <section className="history" aria-labelledby="history-title">
      <h2 id="history-title">Your query history</h2>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading your history" /> : null}
      <Part error={error} path={['queries']} what="your query history">
        {data && edges.length === 0 ? <p>You have not run a query yet.</p> : null}
        <ol className="history-list">
          {edges.map(({ node }) => (
            <li key={node.id} className={`history-${node.state.toLowerCase()}`}>
              <div className="history-meta">
                <time dateTime={node.startedAt}>{new Date(node.startedAt).toLocaleString()}</time>{' '}
                <span className="chip">{node.state.toLowerCase()}</span> <span className="muted">{node.cluster}</span>{' '}
                {node.state === 'SUCCEEDED' ? (
                  <span className="muted">
                    {node.rows} rows{node.offset > 0 ? ` from row ${node.offset + 1}` : ''},{' '}
                    {Math.round(node.durationMs)} ms
                  </span>
                ) : null}
              </div>
              <pre className="history-sql">{node.sql.length > 400 ? `${node.sql.slice(0, 400)}…` : node.sql}</pre>
              {node.error ? (
                <p className="history-error">
                  {node.error.message} <span className="muted">({node.error.code})</span>
                </p>
              ) : null}
              {node.policies.length > 0 ? <p className="muted">Policies: {node.policies.join(', ')}</p> : null}
              <button type="button" onClick={() => onOpen(node.sql, node.cluster)}>
                Open in editor
              </button>
            </li>
          ))}
        </ol>
        {pageInfo?.hasNextPage ? (
          <button
            type="button"
            onClick={() =>
              void fetchMore({
                variables: { after: pageInfo.endCursor },
                updateQuery: (prev, { fetchMoreResult }) => ({
                  queries: {
                    ...fetchMoreResult.queries,
                    edges: [...prev.queries.edges, ...fetchMoreResult.queries.edges],
                  },
                }),
              })
            }
          >
            Older queries
          </button>
        ) : null}
      </Part>
    </section>
  );
}
