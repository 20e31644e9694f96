import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  ConsoleAccessPoliciesDocument,
  ConsoleAccessPolicyDocument,
  ConsoleDeleteAccessPolicyDocument,
} from '@dataos/client';
import { useCapabilities } from '../../live/capabilities.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { AccessPolicyForm } from './AccessPolicyForm.js';
import { explain } from './fieldErrors.js';
import { graphQLErrors } from '../../graphql/errors.js';
import { POLICIES, decisionsPath } from './paths.js';
import { usePolicyChanges } from './usePolicyChanges.js';

/** One access policy: what it says, its decisions, edit (guarded by its version) and delete. */
export function AccessPolicyPage() {
  const { name = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const capabilities = useCapabilities();
  const { data, error, loading } = useQuery(ConsoleAccessPolicyDocument, { variables: { name } });
  // A change by someone else while the form is open: say so before they save (the API would refuse).
  const [changedBy, setChangedBy] = useState<string | null | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const policy = data?.policy;
  usePolicyChanges([], (change) => {
    if (change.name === name && editing) setChangedBy(change.by ?? null);
  });
  const [remove, removed] = useMutation(ConsoleDeleteAccessPolicyDocument);
  const [deleteError, setDeleteError] = useState<string[]>([]);
  const manage = capabilities.can('manageAccessPolicies');
  const [justSaved, setJustSaved] = useState(false);
  const saved = justSaved || (location.state as { saved?: boolean } | null)?.saved;

  const onDelete = async () => {
    if (!window.confirm(`Delete the access policy ${name}? Decisions it made stop being made at once.`)) return;
    const result = await remove({ variables: { name }, refetchQueries: [ConsoleAccessPoliciesDocument] });
    if (result.error) {
      setDeleteError(graphQLErrors(result.error).map((e) => explain(e, 'policy')));
      return;
    }
    void navigate(`${POLICIES}/access`);
  };

  return (
    <section className="page page-wide" aria-labelledby="policy-title">
      <p>
        <Link to={`${POLICIES}/access`}>← Access policies</Link>
      </p>
      <h2 id="policy-title">{name}</h2>
      {saved && !editing ? (
        <p className="notice" role="status">
          Saved.
        </p>
      ) : null}
      <PageError error={error} />
      {deleteError.map((m) => (
        <p key={m} className="notice notice-error" role="alert">
          {m}
        </p>
      ))}
      {loading && !data ? <Loading label="Loading the policy" /> : null}
      {!loading && !policy && !error ? <p className="muted">No access policy named {name}.</p> : null}
      {policy && !editing ? (
        <>
          <dl className="facts">
            <dt>Effect</dt>
            <dd className={policy.effect === 'ALLOW' ? 'allowed' : 'denied'}>{policy.effect.toLowerCase()}</dd>
            <dt>Description</dt>
            <dd>{policy.description ?? '—'}</dd>
            <dt>Subjects</dt>
            <dd className="mono">{policy.subjects.map((set) => set.join(' AND ')).join(' OR ')}</dd>
            <dt>Actions</dt>
            <dd>{policy.actions.join(', ')}</dd>
            <dt>Object paths</dt>
            <dd className="mono">{policy.objects.paths.join(', ') || '—'}</dd>
            <dt>Object tags</dt>
            <dd className="mono">{policy.objects.tags.join(', ') || '—'}</dd>
            <dt>Version</dt>
            <dd>
              {policy.version}, changed {new Date(policy.updatedAt).toLocaleString()} by {policy.updatedBy ?? '—'}
            </dd>
          </dl>
          <p>
            {capabilities.can('decisions') ? (
              <Link to={decisionsPath({ policy: policy.name })}>Decisions made by this policy</Link>
            ) : null}
          </p>
          {manage ? (
            <p className="actions">
              <button
                type="button"
                onClick={() => {
                  setEditing(true);
                  setJustSaved(false);
                }}
              >
                Edit
              </button>{' '}
              <button type="button" onClick={() => void onDelete()} disabled={removed.loading}>
                Delete
              </button>
            </p>
          ) : null}
        </>
      ) : null}
      {policy && editing ? (
        <AccessPolicyForm
          key={policy.version}
          policy={policy}
          changedBy={changedBy}
          onSaved={() => {
            setEditing(false);
            setChangedBy(undefined);
            setJustSaved(true);
          }}
        />
      ) : null}
    </section>
  );
}

/** A new access policy. */
export function NewAccessPolicyPage() {
  return (
    <section className="page page-wide" aria-labelledby="new-policy-title">
      <p>
        <Link to={`${POLICIES}/access`}>← Access policies</Link>
      </p>
      <h2 id="new-policy-title">New access policy</h2>
      <AccessPolicyForm />
    </section>
  );
}
