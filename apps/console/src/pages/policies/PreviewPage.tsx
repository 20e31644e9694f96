import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleDataPolicyPreviewDocument } from '@dataos/client';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { splitList } from './fieldErrors.js';
import { dataPolicyPath, decisionsPath } from './paths.js';
import { describeFilter, planPreview, subjectTags } from './preview.js';

/** How each mask changes a value, in words. */
const MASKED_AS: Record<string, string> = {
  HASH: 'hashed value',
  REDACT: 'redacted value',
  PARTIAL: 'partly hidden value',
  BUCKET_NUMBER: 'bucketed number',
  BUCKET_DATE: 'truncated date',
  REGEX_REPLACE: 'rewritten value',
  RAND_PATTERN: 'random value',
};

/** What a chosen subject would see of a dataset: each column clear or masked (by which policy), and the row filters. */
export function PreviewPage() {
  const [params, setParams] = useSearchParams();
  const urn = params.get('dataset')?.trim() ?? '';
  const user = params.get('user')?.trim() ?? '';
  const typed = splitList(params.get('tags') ?? '');
  const [form, setForm] = useState({ dataset: urn, user, tags: typed.join('\n') });
  const ready = urn !== '' && user !== '';
  const { data, error, loading } = useQuery(ConsoleDataPolicyPreviewDocument, {
    variables: { urn, dataset: urn, userId: user },
    skip: !ready,
  });
  const assigned = data?.userTags?.tags ?? [];
  const tags = subjectTags(user, typed, assigned);
  const plan = data?.dataset
    ? planPreview(data.dataset.urn, data.dataset.columns, tags, data.dataPolicies ?? [])
    : undefined;
  const who = user.replace(/^users:id:/, '');

  return (
    <section className="page page-wide" aria-labelledby="preview-title">
      <h2 id="preview-title">Preview data policies as a subject</h2>
      <form
        className="filters"
        aria-label="Preview settings"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ dataset: form.dataset.trim(), user: form.user.trim(), tags: splitList(form.tags).join(',') });
        }}
      >
        <label>
          Dataset URN
          <input
            value={form.dataset}
            size={40}
            onChange={(e) => setForm((f) => ({ ...f, dataset: e.target.value }))}
            placeholder="dataos://icebase:retail/customers"
          />
        </label>
        <label>
          User id
          <input
            value={form.user}
            onChange={(e) => setForm((f) => ({ ...f, user: e.target.value }))}
            placeholder="alice"
          />
        </label>
        <label>
          Their token’s tags (roles, groups)
          <textarea
            rows={2}
            value={form.tags}
            onChange={(e) => setForm((f) => ({ ...f, tags: e.target.value }))}
            placeholder="roles:id:data-dev"
          />
        </label>
        <button type="submit">Preview</button>
      </form>
      <p className="muted">
        Heimdall knows the tags it assigns; roles and groups come with the user’s token from the identity provider, so
        enter them here.
      </p>
      <PageError error={error} />
      {loading ? <Loading label="Reading policies and columns" /> : null}
      {ready && data && !data.dataset && !loading ? (
        <p className="muted">No dataset {urn} (or you may not read it).</p>
      ) : null}
      {plan && data?.dataset ? (
        <Part error={error} path={['dataPolicies']} what="data policies">
          <p>
            As <strong>{who}</strong> with tags <span className="mono">{tags.join(', ')}</span>
            {assigned.length ? ` (${assigned.length} assigned in Heimdall)` : ''}:
          </p>
          <table className="grid" aria-label={`What ${who} sees of ${data.dataset.name}`}>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Tags</th>
                <th scope="col">{who} sees</th>
                <th scope="col">Because of</th>
              </tr>
            </thead>
            <tbody>
              {plan.columns.map((c) => (
                <tr key={c.name} data-column={c.name}>
                  <th scope="row">
                    {c.name} <span className="muted">{c.type}</span>
                  </th>
                  <td>{c.tags.join(', ')}</td>
                  <td>
                    {c.mask && c.mask.operator !== 'PASS_THROUGH' ? (
                      <span className="chip chip-masked">{MASKED_AS[c.mask.operator] ?? 'masked value'}</span>
                    ) : (
                      'the value as is'
                    )}
                  </td>
                  <td>
                    {c.mask ? (
                      <>
                        <Link to={dataPolicyPath(c.mask.policy)}>{c.mask.policy}</Link> (priority {c.mask.priority}
                        {c.mask.operator === 'PASS_THROUGH' ? ', an exemption' : ''})
                      </>
                    ) : (
                      <span className="muted">no mask selects it</span>
                    )}
                    {c.overruled.length ? <div className="muted">overrules {c.overruled.join('; ')}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Rows</h3>
          {plan.filters.length ? (
            <ul aria-label="Row filters">
              {plan.filters.map((p) => (
                <li key={p.name}>
                  Only rows where {p.filters.map(describeFilter).join(' AND ')} —{' '}
                  <Link to={dataPolicyPath(p.name)}>{p.name}</Link> (priority {p.priority})
                </li>
              ))}
            </ul>
          ) : (
            <p>Every row: no row filter applies to {who}.</p>
          )}
          {plan.exemptions.length ? (
            <p>
              Lifted by the exemption {plan.exemptions.map((p) => p.name).join(', ')}:{' '}
              {plan.lifted.map((p) => p.name).join(', ')}.
            </p>
          ) : null}
          <p>
            Whether {who} may read it at all is Heimdall’s decision:{' '}
            <Link to={decisionsPath({ subject: user, path: data.dataset.urn })}>
              {who}’s decisions on {data.dataset.name}, with their reasons and policies
            </Link>
            .
          </p>
          {plan.notForSubject.length ? (
            <p className="muted">
              Not for {who} (their tags match no user selector): {plan.notForSubject.map((p) => p.name).join(', ')}.
            </p>
          ) : null}
        </Part>
      ) : null}
    </section>
  );
}
