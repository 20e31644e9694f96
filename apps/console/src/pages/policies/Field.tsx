import { cloneElement, useId, type ReactElement } from 'react';

interface Props {
  label: string;
  /** The API's message for this field, if it refused it. */
  error?: string | undefined;
  hint?: string;
  children: ReactElement<Record<string, unknown>>;
}

/** A labelled control with its hint and the API's error for it, tied together for screen readers. */
export function Field({ label, error, hint, children }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div>
        {cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
        {hint ? (
          <small id={hintId} className="muted">
            {hint}
          </small>
        ) : null}
        {error ? (
          <span id={errorId} className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
    </>
  );
}
