import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleAccessPoliciesDocument } from '@dataos/client';
import { useCapabilities } from '../../live/capabilities.js';
import { LiveBadge } from '../../live/index.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { POLICIES, accessPolicyPath } from './paths.js';
import { usePolicyChanges } from './usePolicyChanges.js';

const PAGE = 100;

/** Heimdall's access policies: search by name, live as anyone changes them. */
export function AccessPoliciesPage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const [text, setText] = useState(search);
  const capabilities = useCapabilities();
  const { data, error, loading } = useQuery(ConsoleAccessPoliciesDocument, {
    variables: { first: PAGE, ...(search ? { filter: { search } } : {}) },
    fetchPolicy: 'cache-and-network',
  });
  const { last } = usePolicyChanges(['ConsoleAccessPolicies']);
  const policies = data?.policies;
  return (
    <section className="page page-wide" aria-labelledby="access-title">
      <div className="title-row">
        <h2 id="access-title">Access policies</h2>
        <LiveBadge />
      </div>
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(text.trim() ? { q: text.trim() } : {});
        }}
      >
        <label>
          Name contains
          <input value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit">Search</button>
        {capabilities.can('manageAccessPolicies') ? (
          <Link className="button" to={`${POLICIES}/access/new`}>
            New policy
          </Link>
        ) : null}
      </form>
      {last ? (
        <p className="muted" role="status">
          Last change: {last.kind.toLowerCase().replace(/_/g, ' ')} {last.name ?? last.userId ?? ''} by{' '}
          {last.by ?? 'someone'} (policy version {last.sequence})
        </p>
      ) : null}
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading policies" /> : null}
      {policies ? (
        <>
          <p className="muted">{policies.totalCount} policies</p>
          <table className="grid" aria-label="Access policies">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Effect</th>
                <th scope="col">Subjects</th>
                <th scope="col">Actions</th>
                <th scope="col">Objects</th>
                <th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {policies.edges.map(({ node }) => (
                <tr key={node.name}>
                  <th scope="row">
                    <Link to={accessPolicyPath(node.name)}>{node.name}</Link>
                    {node.description ? <div className="muted">{node.description}</div> : null}
                  </th>
                  <td className={node.effect === 'ALLOW' ? 'allowed' : 'denied'}>{node.effect.toLowerCase()}</td>
                  <td className="mono">{node.subjects.map((set) => set.join(' AND ')).join(' OR ')}</td>
                  <td>{node.actions.join(', ')}</td>
                  <td className="mono">{[...node.objects.paths, ...node.objects.tags].join(', ')}</td>
                  <td>{node.version}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
