/**
 * What a pattern names decides its level separators and its case rule:
 * - `path`: object paths (`/metis/**`) and UDL URNs (`dataos://depot:collection/dataset`). Levels
 *   are separated by `/`; in a URN the `:` between depot and collection separates levels too, so
 *   `*` never crosses from depot to collection. URNs compare in lower case (SQL folds the names
 *   they come from; Metis accepts any case), other paths as written. A trailing `/` is ignored.
 * - `tag`: subject and object tags (`roles:id:admin`). Levels are separated by `:`; case-sensitive.
 * - `column`: column names and column tags in data policies (`PII.Email`). As tags, but in lower
 *   case: SQL identifiers are case-insensitive.
 */
export type PatternKind = 'path' | 'tag' | 'column';

export const URN_SCHEME = 'dataos://';

const isUrn = (text: string) => text.slice(0, URN_SCHEME.length).toLowerCase() === URN_SCHEME;

/** Object paths compare without a trailing slash (`/metis/` is `/metis`), except `/` and `scheme://`. */
function trimSlash(path: string): string {
  if (path.length > 1 && path.endsWith('/') && !path.endsWith('://')) return path.replace(/\/+$/, '') || '/';
  return path;
}

/** A path as matched: URNs in lower case, no trailing slash. */
export function normalizePath(path: string): string {
  const trimmed = trimSlash(path);
  return isUrn(trimmed) ? trimmed.toLowerCase() : trimmed;
}

/** A value (or a pattern's text) as it is compared for `kind`. */
export function normalize(value: string, kind: PatternKind): string {
  if (kind === 'path') return normalizePath(value);
  return kind === 'column' ? value.toLowerCase() : value;
}

/** The level separators of a normalized pattern of `kind`. */
export function separatorsOf(pattern: string, kind: PatternKind): string {
  if (kind !== 'path') return ':';
  return pattern.startsWith(URN_SCHEME) ? '/:' : '/';
}
