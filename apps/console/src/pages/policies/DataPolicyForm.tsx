import { useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import {
  ConsoleCreateDataPolicyDocument,
  ConsoleUpdateDataPolicyDocument,
  type ConsoleDataPolicyFragment,
  type FilterOperator,
  type MaskOperator,
} from '@dataos/client';
import {
  DATA_FIELDS,
  EMPTY_DATA,
  FILTER_OPERATORS,
  MASK_OPERATORS,
  dataInputOf,
  dataValuesOf,
  type DataFormValues,
} from './dataForm.js';
import { Field } from './Field.js';
import { NO_ERRORS, formErrorsOf, type FormErrors } from './fieldErrors.js';

interface Props {
  policy?: ConsoleDataPolicyFragment;
  onSaved: (name: string) => void;
}

/** Create or edit a data policy (a mask or row filters); the Gateway's errors are shown at their field. */
export function DataPolicyForm({ policy, onSaved }: Props) {
  const client = useApolloClient();
  const [v, setV] = useState<DataFormValues>(policy ? dataValuesOf(policy) : EMPTY_DATA);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [create, created] = useMutation(ConsoleCreateDataPolicyDocument);
  const [update, updated] = useMutation(ConsoleUpdateDataPolicyDocument);
  const set =
    <K extends keyof DataFormValues>(key: K) =>
    (e: { target: { value: string } }) =>
      setV((current) => ({ ...current, [key]: e.target.value as DataFormValues[K] }));

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const input = dataInputOf(v);
    const result = policy
      ? await update({ variables: { name: policy.name, input, expectedVersion: policy.version } })
      : await create({ variables: { input } });
    const saved =
      result.data && ('createDataPolicy' in result.data ? result.data.createDataPolicy : result.data.updateDataPolicy);
    if (result.error || !saved) {
      setErrors(formErrorsOf(result.error ?? new Error('The data policy was not saved.'), DATA_FIELDS, 'data policy'));
      return;
    }
    setErrors(NO_ERRORS);
    // Only after a save: a refused one keeps the form (and its version) as the user left it.
    await client.refetchQueries({ include: ['ConsoleDataPolicies'] });
    onSaved(saved.name);
  };

  const f = errors.fields;
  const op = v.operator;
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={policy ? `Edit ${policy.name}` : 'New data policy'} noValidate>
      {errors.form.map((m) => (
        <p key={m} className="notice notice-error" role="alert">
          {m}
        </p>
      ))}
      <div className="form-grid">
        <Field label="Name" error={f.name}>
          <input value={v.name} onChange={set('name')} readOnly={!!policy} />
        </Field>
        <Field label="Description" error={f.description}>
          <input value={v.description} onChange={set('description')} />
        </Field>
        <Field label="Type" error={f.type}>
          <select value={v.type} onChange={set('type')}>
            <option value="MASK">mask columns</option>
            <option value="FILTER">filter rows</option>
          </select>
        </Field>
        <Field label="Priority" error={f.priority} hint="1 to 100: the lower number wins.">
          <input inputMode="numeric" value={v.priority} onChange={set('priority')} />
        </Field>
        <Field label="Enabled">
          <input
            type="checkbox"
            checked={v.enabled}
            onChange={(e) => setV((c) => ({ ...c, enabled: e.target.checked }))}
          />
        </Field>
        <Field
          label="Datasets"
          error={f.datasets}
          hint="URN globs, one per line (dataos://icebase:retail/*); none: every dataset."
        >
          <textarea rows={2} value={v.datasets} onChange={set('datasets')} />
        </Field>
        <Field label="Users match" error={f['selector.user.match']}>
          <select value={v.userMatch} onChange={set('userMatch')}>
            <option value="ANY">any of the tags</option>
            <option value="ALL">all of the tags</option>
          </select>
        </Field>
        <Field
          label="User tags"
          error={f['selector.user.tags']}
          hint="Subject tag globs, one per line: roles:id:data-dev, users:id:*"
        >
          <textarea rows={2} value={v.userTags} onChange={set('userTags')} />
        </Field>
        {v.type === 'MASK' ? (
          <>
            <Field label="Column tags" error={f['selector.column']} hint="One per line: PII.Email, PII.*">
              <textarea rows={2} value={v.columnTags} onChange={set('columnTags')} />
            </Field>
            <Field label="Column names" hint="Name globs, one per line: email, *_phone">
              <textarea rows={2} value={v.columnNames} onChange={set('columnNames')} />
            </Field>
            <Field label="Mask" error={f.mask}>
              <select value={op} onChange={set('operator')}>
                {MASK_OPERATORS.map((m: MaskOperator) => (
                  <option key={m} value={m}>
                    {m.toLowerCase().replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </Field>
            {op === 'HASH' ? (
              <Field label="Algorithm" error={f['mask.algorithm']}>
                <select value={v.algorithm} onChange={set('algorithm')}>
                  <option value="">default (SHA256)</option>
                  <option value="SHA256">SHA256</option>
                  <option value="MD5">MD5</option>
                </select>
              </Field>
            ) : null}
            {op === 'REDACT' || op === 'REGEX_REPLACE' ? (
              <Field label="Replacement" error={f['mask.replacement']}>
                <input value={v.replacement} onChange={set('replacement')} />
              </Field>
            ) : null}
            {op === 'PARTIAL' ? (
              <>
                <Field label="Keep first" error={f['mask.keepFirst']}>
                  <input inputMode="numeric" value={v.keepFirst} onChange={set('keepFirst')} />
                </Field>
                <Field label="Keep last" error={f['mask.keepLast']}>
                  <input inputMode="numeric" value={v.keepLast} onChange={set('keepLast')} />
                </Field>
              </>
            ) : null}
            {op === 'BUCKET_NUMBER' ? (
              <Field label="Bucket size" error={f['mask.bucketSize'] ?? f['mask.buckets']}>
                <input inputMode="decimal" value={v.bucketSize} onChange={set('bucketSize')} />
              </Field>
            ) : null}
            {op === 'BUCKET_DATE' ? (
              <Field label="Precision" error={f['mask.precision']}>
                <select value={v.precision} onChange={set('precision')}>
                  <option value="">choose</option>
                  {['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'].map((p) => (
                    <option key={p} value={p}>
                      {p.toLowerCase()}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            {op === 'REGEX_REPLACE' || op === 'RAND_PATTERN' ? (
              <Field label="Pattern" error={f['mask.pattern']}>
                <input value={v.pattern} onChange={set('pattern')} />
              </Field>
            ) : null}
          </>
        ) : (
          <>
            <span>Row filters</span>
            <div>
              {f.filters ? (
                <span className="field-error" role="alert">
                  {f.filters}
                </span>
              ) : null}
              {v.filters.length === 0 ? (
                <p className="muted">No filters: an exemption that lifts filters with a higher number.</p>
              ) : null}
              {v.filters.map((row, i) => {
                const change = (patch: Partial<typeof row>) =>
                  setV((c) => ({ ...c, filters: c.filters.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
                return (
                  <fieldset key={i} className="filters">
                    <legend>Filter {i + 1}</legend>
                    <label>
                      Column
                      <input value={row.column} onChange={(e) => change({ column: e.target.value })} />
                    </label>
                    <label>
                      Operator
                      <select
                        value={row.operator}
                        onChange={(e) => change({ operator: e.target.value as FilterOperator })}
                      >
                        {FILTER_OPERATORS.map((o) => (
                          <option key={o} value={o}>
                            {o.toLowerCase().replace(/_/g, ' ')}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      Value
                      <input value={row.value} onChange={(e) => change({ value: e.target.value })} />
                    </label>
                    <label>
                      or the subject’s
                      <input
                        value={row.valueFrom}
                        placeholder="claims.region"
                        onChange={(e) => change({ valueFrom: e.target.value })}
                      />
                    </label>
                    <button
                      type="button"
                      onClick={() => setV((c) => ({ ...c, filters: c.filters.filter((_, j) => j !== i) }))}
                    >
                      Remove
                    </button>
                  </fieldset>
                );
              })}
              <button
                type="button"
                onClick={() =>
                  setV((c) => ({
                    ...c,
                    filters: [...c.filters, { column: '', operator: 'EQUALS', value: '', valueFrom: '' }],
                  }))
                }
              >
                Add a filter
              </button>
            </div>
          </>
        )}
      </div>
      <p>
        <button type="submit" disabled={created.loading || updated.loading}>
          {policy ? 'Save data policy' : 'Create data policy'}
        </button>
      </p>
    </form>
  );
}
