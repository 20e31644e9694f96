import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApolloClient, useMutation } from '@apollo/client/react';
import {
  ConsoleAccessPoliciesDocument,
  ConsoleAccessPolicyDocument,
  ConsoleCreateAccessPolicyDocument,
  ConsoleUpdateAccessPolicyDocument,
  type ConsoleAccessPolicyFragment,
} from '@dataos/client';
import { ACCESS_FIELDS, EMPTY_ACCESS, accessInputOf, accessValuesOf, type AccessFormValues } from './accessForm.js';
import { Field } from './Field.js';
import { NO_ERRORS, formErrorsOf, type FormErrors } from './fieldErrors.js';
import { accessPolicyPath } from './paths.js';

interface Props {
  /** The policy being edited (its version guards the update); none to create one. */
  policy?: ConsoleAccessPolicyFragment;
  /** Set when a policy change for this policy arrived while the form is open. */
  changedBy?: string | null;
  /** After a successful save (default: open the saved policy's page). */
  onSaved?: (name: string) => void;
}

/** Create or edit an access policy; Heimdall's validation errors are shown at their field. */
export function AccessPolicyForm({ policy, changedBy, onSaved }: Props) {
  const navigate = useNavigate();
  const client = useApolloClient();
  const [values, setValues] = useState<AccessFormValues>(policy ? accessValuesOf(policy) : EMPTY_ACCESS);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [create, created] = useMutation(ConsoleCreateAccessPolicyDocument);
  const [update, updated] = useMutation(ConsoleUpdateAccessPolicyDocument);
  const busy = created.loading || updated.loading;
  const set = (key: keyof AccessFormValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = accessInputOf(values);
    const result = policy
      ? await update({ variables: { name: policy.name, input, expectedVersion: policy.version } })
      : await create({ variables: { input } });
    const saved = result.data && ('createPolicy' in result.data ? result.data.createPolicy : result.data.updatePolicy);
    if (result.error || !saved) {
      setErrors(formErrorsOf(result.error ?? new Error('The policy was not saved.'), ACCESS_FIELDS, 'policy'));
      return;
    }
    setErrors(NO_ERRORS);
    // Only after a save: a refused one keeps the form (and its version) as the user left it.
    await client.refetchQueries({ include: [ConsoleAccessPoliciesDocument, ConsoleAccessPolicyDocument] });
    if (onSaved) onSaved(saved.name);
    else void navigate(accessPolicyPath(saved.name), { state: { saved: true } });
  };

  const f = errors.fields;
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={policy ? `Edit ${policy.name}` : 'New access policy'} noValidate>
      {changedBy !== undefined ? (
        <p className="notice notice-down" role="status">
          {changedBy ?? 'Someone'} changed this policy since you opened it: saving now would be refused as a version
          conflict. Reload to edit the current version.
        </p>
      ) : null}
      {errors.form.map((message) => (
        <p key={message} className="notice notice-error" role="alert">
          {message}
        </p>
      ))}
      <div className="form-grid">
        <Field label="Name" error={f.name} hint="Letters, digits, “-”, “_”, “.”: the name @policy refers to.">
          <input value={values.name} onChange={set('name')} readOnly={!!policy} />
        </Field>
        <Field label="Description" error={f.description}>
          <input value={values.description} onChange={set('description')} />
        </Field>
        <Field label="Collection" error={f.collection}>
          <input value={values.collection} onChange={set('collection')} />
        </Field>
        <Field label="Effect" error={f.effect}>
          <select value={values.effect} onChange={set('effect')}>
            <option value="ALLOW">allow</option>
            <option value="DENY">deny</option>
          </select>
        </Field>
        <Field
          label="Subjects"
          error={f.subjects}
          hint="One set per line, its tags separated by commas: every tag of a set must match (any set may)."
        >
          <textarea rows={3} value={values.subjects} onChange={set('subjects')} />
        </Field>
        <Field label="Actions" error={f.actions} hint="read, write, create, delete, execute, manage or *">
          <input value={values.actions} onChange={set('actions')} />
        </Field>
        <Field
          label="Object paths"
          error={f['objects.paths'] ?? f.objects}
          hint="One per line: dataos://icebase:retail/**, /metis/**"
        >
          <textarea rows={3} value={values.paths} onChange={set('paths')} />
        </Field>
        <Field label="Object tags" error={f['objects.tags']} hint="One per line: dataos:domain:retail">
          <textarea rows={2} value={values.tags} onChange={set('tags')} />
        </Field>
      </div>
      <p>
        <button type="submit" disabled={busy}>
          {policy ? 'Save policy' : 'Create policy'}
        </button>
      </p>
    </form>
  );
}
