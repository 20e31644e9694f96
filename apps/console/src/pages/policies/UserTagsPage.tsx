import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { ConsoleSetUserTagsDocument, ConsoleUserTagsDocument } from '@dataos/client';
import { useCapabilities } from '../../live/capabilities.js';
import { PageError } from '../../ui/PageError.js';
import { Field } from './Field.js';
import { NO_ERRORS, formErrorsOf, splitList, type FormErrors } from './fieldErrors.js';
import { usePolicyChanges } from './usePolicyChanges.js';

/** The tags Heimdall assigns to a user (beside those their token carries), and changing them. */
export function UserTagsPage() {
  const [params, setParams] = useSearchParams();
  const userId = params.get('user')?.trim() ?? '';
  const [lookup, setLookup] = useState(userId);
  const capabilities = useCapabilities();
  const { data, error } = useQuery(ConsoleUserTagsDocument, { variables: { userId }, skip: !userId });
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [save, saving] = useMutation(ConsoleSetUserTagsDocument);
  const tags = data?.userTags;
  useEffect(() => setText(tags?.tags.join('\n') ?? ''), [tags]);
  usePolicyChanges(['ConsoleUserTags'], undefined, !userId);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const result = await save({ variables: { userId, tags: splitList(text) }, refetchQueries: ['ConsoleUserTags'] });
    setErrors(result.error ? formErrorsOf(result.error, ['tags', 'userId'], 'user') : NO_ERRORS);
  };

  return (
    <section className="page page-wide" aria-labelledby="tags-title">
      <h2 id="tags-title">User tags</h2>
      <form
        role="search"
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(lookup.trim() ? { user: lookup.trim() } : {});
        }}
      >
        <label>
          User id
          <input value={lookup} onChange={(e) => setLookup(e.target.value)} placeholder="alice or users:id:alice" />
        </label>
        <button type="submit">Show tags</button>
      </form>
      <PageError error={error} />
      {tags ? (
        <>
          <p>
            <strong>{tags.userId}</strong>:{' '}
            {tags.tags.length ? (
              tags.tags.map((t) => (
                <span key={t} className="chip mono">
                  {t}
                </span>
              ))
            ) : (
              <span className="muted">no assigned tags</span>
            )}
            {tags.updatedAt ? (
              <span className="muted"> (changed {new Date(tags.updatedAt).toLocaleString()})</span>
            ) : null}
          </p>
          <p className="muted">
            Tags from the user’s token (roles, groups) come from the identity provider and are not listed here.
          </p>
          {capabilities.can('manageUserTags') ? (
            <form onSubmit={(e) => void submit(e)} aria-label="Change assigned tags">
              {errors.form.map((m) => (
                <p key={m} className="notice notice-error" role="alert">
                  {m}
                </p>
              ))}
              <div className="form-grid">
                <Field label="Assigned tags" error={errors.fields.tags} hint="One per line, e.g. teams:id:analytics">
                  <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} />
                </Field>
              </div>
              <p>
                <button type="submit" disabled={saving.loading}>
                  Save tags
                </button>
              </p>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
