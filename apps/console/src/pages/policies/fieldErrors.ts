import type { GraphQLFormattedError } from 'graphql';
import { errorCode, graphQLErrors } from '../../graphql/errors.js';

/**
 * The API's validation errors name the input field at fault (`extensions.field`, e.g.
 * `input.subjects[0][1]`, `input.mask.keepFirst`); a form shows each next to its own control.
 */
export interface FormErrors {
  /** By form field key. */
  fields: Record<string, string>;
  /** Errors that belong to no field of the form (shown above it). */
  form: string[];
}

/**
 * The form field an API field path belongs to: the longest of `keys` that the path (without its
 * `input.` prefix and list indexes) starts with, e.g. `input.objects.paths[2]` → `objects.paths`.
 */
export function fieldKeyOf(field: string, keys: readonly string[]): string | undefined {
  const path = field.replace(/^input\./, '').replace(/\[\d+\]/g, '');
  let best: string | undefined;
  for (const key of keys) {
    if ((path === key || path.startsWith(`${key}.`)) && (!best || key.length > best.length)) best = key;
  }
  return best;
}

/** Why a write was refused, in words a user can act on (the API's message, plus what to do). */
export function explain(error: GraphQLFormattedError, what: string): string {
  switch (errorCode(error)) {
    case 'CONFLICT':
      if (error.extensions?.field === 'expectedVersion') {
        return `Someone else changed this ${what} while you were editing it, so your change was not saved (it would have overwritten theirs). Reload to see their version, then make your change again. (${error.message})`;
      }
      return error.message;
    case 'FORBIDDEN':
    case 'UNAUTHORIZED_FIELD_OR_TYPE':
      return `You may not do this: ${error.message}`;
    case 'NOT_FOUND':
      return `This ${what} no longer exists (someone deleted it). ${error.message}`;
    default:
      return error.message;
  }
}

/** Sorts a mutation's errors into the fields of a form and the rest. */
export function formErrorsOf(error: unknown, keys: readonly string[], what: string): FormErrors {
  const out: FormErrors = { fields: {}, form: [] };
  const errors = graphQLErrors(error);
  if (!errors.length && error) out.form.push(error instanceof Error ? error.message : String(error));
  for (const e of errors) {
    const field = typeof e.extensions?.field === 'string' ? e.extensions.field : undefined;
    const key = field && errorCode(e) === 'BAD_USER_INPUT' ? fieldKeyOf(field, keys) : undefined;
    if (key && !out.fields[key]) out.fields[key] = e.message;
    else if (!key) out.form.push(explain(e, what));
  }
  return out;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: [] };

/** "a, b, c" or one per line → the list the API wants (blanks dropped). */
export const splitList = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
