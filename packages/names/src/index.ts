import { badUserInput } from '@dataos/errors';

/** The longest name (column, dataset, term) any subgraph accepts. */
export const MAX_NAME = 256;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The one rule for names that cross subgraphs (a Metis column that Odin links to, a glossary
 * term): not blank, at most `max` characters, no control characters, no leading or trailing
 * spaces. Metis and Odin both call it, so a name one of them stores is a name the other accepts.
 * Refusing outer spaces, rather than trimming them, keeps a name the same everywhere it travels.
 */
export function assertName(value: string, field: string, max = MAX_NAME): string {
  if (value.trim() === '') throw badUserInput(`${field} must not be empty.`, { field });
  if (value.length > max) throw badUserInput(`${field} is longer than ${max} characters.`, { field });
  if (CONTROL.test(value)) throw badUserInput(`${field} contains control characters.`, { field });
  if (value !== value.trim()) throw badUserInput(`${field} must not start or end with spaces.`, { field });
  return value;
}

/**
 * A Minerva cluster's name: a lowercase letter, then up to 62 of a-z, 0-9 and `-` (a DNS label,
 * as the cluster's pods are named after it). The Gateway creates clusters by it; Metis names
 * the cluster a profile runs on.
 */
export const CLUSTER_NAME = /^[a-z][a-z0-9-]{0,62}$/;
