import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  ConsoleDataPoliciesDocument,
  ConsoleDeleteDataPolicyDocument,
  type ConsoleDataPolicyFragment,
} from '@dataos/client';
import { useCapabilities } from '../../live/capabilities.js';
import { graphQLErrors } from '../../graphql/errors.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { DataPolicyForm } from './DataPolicyForm.js';
import { explain } from './fieldErrors.js';
import { POLICIES, dataPolicyPath } from './paths.js';
import { describeFilter } from './preview.js';

const maskText = (p: ConsoleDataPolicyFragment) =>
  p.mask
    ? `${p.mask.operator.toLowerCase().replace(/_/g, ' ')} of ${[...(p.selector.column?.tags ?? []), ...(p.selector.column?.names ?? [])].join(', ')}`
    : '';

/** The Gateway's data policies in priority order (the lower number wins), by dataset. */
export function DataPoliciesPage() {
  const [params, setParams] = useSearchParams();
  const dataset = params.get('dataset')?.trim() ?? '';
  const [text, setText] = useState(dataset);
  const capabilities = useCapabilities();
  const { data, error, loading } = useQuery(ConsoleDataPoliciesDocument, {
    variables: dataset ? { filter: { dataset } } : {},
    fetchPolicy: 'cache-and-network',
  });
  const policies = [...(data?.dataPolicies ?? [])].sort(
    (a, b) => a.priority - b.priority || a.name.localeCompare(b.name),
  );
  return (
    <section className="page page-wide" aria-labelledby="data-title">
      <h2 id="data-title">Data policies</h2>
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(text.trim() ? { dataset: text.trim() } : {});
        }}
      >
        <label>
          That may apply to dataset
          <input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="dataos://icebase:retail/customers"
            size={40}
          />
        </label>
        <button type="submit">Show</button>
        {capabilities.can('manageDataPolicies') ? (
          <Link className="button" to={`${POLICIES}/data/new`}>
            New data policy
          </Link>
        ) : null}
        <Link to={`${POLICIES}/preview${dataset ? `?dataset=${encodeURIComponent(dataset)}` : ''}`}>
          Preview as a subject
        </Link>
      </form>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading data policies" /> : null}
      <table className="grid" aria-label="Data policies">
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Datasets</th>
            <th scope="col">Users</th>
            <th scope="col">Does</th>
            <th scope="col">Enabled</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.name}>
              <td>{p.priority}</td>
              <th scope="row">
                <Link to={dataPolicyPath(p.name)}>{p.name}</Link>
              </th>
              <td>{p.type.toLowerCase()}</td>
              <td className="mono">{p.datasets.join(', ') || 'every dataset'}</td>
              <td className="mono">
                {p.selector.user.match === 'ALL' ? 'all of ' : ''}
                {p.selector.user.tags.join(', ')}
              </td>
              <td>
                {p.type === 'MASK'
                  ? maskText(p)
                  : p.filters.length
                    ? p.filters.map(describeFilter).join(' AND ')
                    : 'exemption'}
              </td>
              <td>{p.enabled ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && policies.length === 0 ? (
        <p className="muted">No data policies{dataset ? ` for ${dataset}` : ''}.</p>
      ) : null}
    </section>
  );
}

/** One data policy: edit (guarded by its version) and delete. */
export function DataPolicyPage() {
  const { name = '' } = useParams();
  const navigate = useNavigate();
  const capabilities = useCapabilities();
  const { data, error, loading } = useQuery(ConsoleDataPoliciesDocument, {
    variables: {},
    fetchPolicy: 'cache-and-network',
  });
  const [remove, removed] = useMutation(ConsoleDeleteDataPolicyDocument);
  const [messages, setMessages] = useState<string[]>([]);
  const [saved, setSaved] = useState(false);
  const policy = data?.dataPolicies.find((p) => p.name === name);
  const manage = capabilities.can('manageDataPolicies');

  const onDelete = async () => {
    if (!window.confirm(`Delete the data policy ${name}? Queries stop applying it at once.`)) return;
    const result = await remove({ variables: { name }, refetchQueries: ['ConsoleDataPolicies'] });
    if (result.error) return setMessages(graphQLErrors(result.error).map((e) => explain(e, 'data policy')));
    void navigate(`${POLICIES}/data`);
  };

  return (
    <section className="page page-wide" aria-labelledby="dp-title">
      <p>
        <Link to={`${POLICIES}/data`}>← Data policies</Link>
      </p>
      <h2 id="dp-title">{name === '' ? 'New data policy' : name}</h2>
      <PageError error={error} />
      {messages.map((m) => (
        <p key={m} className="notice notice-error" role="alert">
          {m}
        </p>
      ))}
      {saved ? (
        <p className="notice" role="status">
          Saved.
        </p>
      ) : null}
      {loading && !data ? <Loading label="Loading the data policy" /> : null}
      {policy ? (
        <>
          <p className="muted">
            Version {policy.version}, changed {new Date(policy.updatedAt).toLocaleString()} by {policy.updatedBy ?? '—'}
            .{' '}
            {policy.datasets[0] ? (
              <Link to={`${POLICIES}/preview?dataset=${encodeURIComponent(policy.datasets[0])}`}>
                Preview it as a subject
              </Link>
            ) : null}
          </p>
          {manage ? (
            <>
              <DataPolicyForm key={policy.version} policy={policy} onSaved={() => setSaved(true)} />
              <button type="button" onClick={() => void onDelete()} disabled={removed.loading}>
                Delete data policy
              </button>
            </>
          ) : (
            <pre className="mono">{JSON.stringify(policy, null, 2)}</pre>
          )}
        </>
      ) : !loading && data ? (
        <p className="muted">No data policy named {name}.</p>
      ) : null}
    </section>
  );
}

/** A new data policy. */
export function NewDataPolicyPage() {
  const navigate = useNavigate();
  return (
    <section className="page page-wide" aria-labelledby="new-dp-title">
      <p>
        <Link to={`${POLICIES}/data`}>← Data policies</Link>
      </p>
      <h2 id="new-dp-title">New data policy</h2>
      <DataPolicyForm onSaved={(name) => void navigate(dataPolicyPath(name))} />
    </section>
  );
}
