import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleSourcesDocument } from '@dataos/client';
import { sourcePath } from '../../app/routes.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { RunSummary } from './RunSummary.js';
import { scheduleText } from './scan-format.js';

const PAGE = 50;

/**
 * The depots Metis catalogs: type, datasets the user may read, how Metis scans each, and its last
 * scan (one query: the API loads every source's last run together).
 */
export default function SourcesPage() {
  const { data, error, loading, fetchMore } = useQuery(ConsoleSourcesDocument, {
    variables: { first: PAGE },
    notifyOnNetworkStatusChange: true,
  });
  const sources = data?.sources;
  return (
    <section className="page">
      <h1>Sources</h1>
      <p className="muted">
        The depots whose datasets are catalogued, and how Metis reads them itself: scans on a schedule or on demand.
      </p>
      <PageError error={error} />
      {loading && !sources ? <Loading label="Loading sources" /> : null}
      {sources ? (
        sources.edges.length ? (
          <table className="grid" aria-label="Sources">
            <thead>
              <tr>
                <th scope="col">Source</th>
                <th scope="col">Type</th>
                <th scope="col">Datasets</th>
                <th scope="col">Scanned</th>
                <th scope="col">Last scan</th>
              </tr>
            </thead>
            <tbody>
              {sources.edges.map(({ node }) => {
                const last = node.scanRuns[0];
                return (
                  <tr key={node.name}>
                    <td>
                      <Link to={sourcePath(node.name)}>{node.name}</Link>
                      {node.description ? <div className="muted">{node.description}</div> : null}
                    </td>
                    <td>{node.type}</td>
                    <td>{node.datasets.totalCount.toLocaleString('en')}</td>
                    <td>{scheduleText(node.scanSchedule)}</td>
                    <td>{last ? <RunSummary run={last} /> : <span className="muted">never</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p className="muted">No source to show.</p>
        )
      ) : null}
      {sources?.pageInfo.hasNextPage ? (
        <button
          type="button"
          disabled={loading}
          onClick={() =>
            void fetchMore({
              variables: { after: sources.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) => ({
                sources: {
                  ...fetchMoreResult.sources,
                  edges: [...prev.sources.edges, ...fetchMoreResult.sources.edges],
                },
              }),
            })
          }
        >
          More sources
        </button>
      ) : null}
    </section>
  );
}
