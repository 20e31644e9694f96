import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleWorkloadsDocument } from '@dataos/client';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { podPath, resourcePodsPath } from './paths.js';

const PAGE = 50;

/** DataOS resources (Metis) with the pods each owns (Caretaker), joined by the router. */
export function WorkloadsPage() {
  const { data, error, loading, fetchMore } = useQuery(ConsoleWorkloadsDocument, {
    variables: { first: PAGE },
    notifyOnNetworkStatusChange: true,
  });
  const resources = data?.resources;
  return (
    <section className="page page-wide" aria-labelledby="workloads-title">
      <h2 id="workloads-title">Workloads</h2>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading workloads" /> : null}
      <table className="grid" aria-label="Workloads">
        <thead>
          <tr>
            <th scope="col">Resource</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">Owner</th>
            <th scope="col">Pods</th>
          </tr>
        </thead>
        <tbody>
          {resources?.edges.map(({ node }, i) => (
            <tr key={node.urn}>
              <th scope="row">
                <Link to={resourcePodsPath(node.urn)}>
                  {node.workspace}/{node.name}
                </Link>
              </th>
              <td>{node.kind.toLowerCase()}</td>
              <td>{node.state ?? '—'}</td>
              <td>{node.owner?.name ?? node.owner?.id ?? '—'}</td>
              <td>
                <Part error={error} path={['resources', 'edges', i, 'node', 'pods']} what="its pods">
                  {node.pods ? (
                    node.pods.totalCount ? (
                      <ul className="chips" aria-label={`Pods of ${node.name}`}>
                        {node.pods.edges.map(({ node: pod }) => (
                          <li key={`${pod.namespace}/${pod.name}`}>
                            <Link
                              className={`chip phase-${pod.phase.toLowerCase()}`}
                              to={podPath(pod.namespace, pod.name)}
                            >
                              {pod.name} ({pod.phase.toLowerCase()})
                            </Link>
                          </li>
                        ))}
                        {node.pods.totalCount > node.pods.edges.length ? (
                          <li className="muted">+{node.pods.totalCount - node.pods.edges.length} more</li>
                        ) : null}
                      </ul>
                    ) : (
                      <span className="muted">none</span>
                    )
                  ) : null}
                </Part>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {resources?.pageInfo.hasNextPage && !loading ? (
        <button
          type="button"
          onClick={() =>
            void fetchMore({
              variables: { after: resources.pageInfo.endCursor },
              // Appends the next page to the rows shown.
              updateQuery: (previous, { fetchMoreResult }) => ({
                ...fetchMoreResult,
                resources: {
                  ...fetchMoreResult.resources,
                  edges: [...(previous.resources?.edges ?? []), ...fetchMoreResult.resources.edges],
                },
              }),
            })
          }
        >
          More workloads
        </button>
      ) : null}
    </section>
  );
}
