import { patternMatches } from '@dataos/patterns';
import type { ConsoleDataPolicyFragment } from '@dataos/client';

/**
 * Which data policies a chosen subject gets on a dataset: the Gateway's rules (its
 * `policies/resolve.ts`), applied here to the policies the API lists, for a subject who is not
 * the viewer. The Gateway answers `explain` and `preview` only for the caller; an administrator
 * asking "what does alice see?" gets the same decision from the same inputs: the policies, the
 * dataset's column tags (Metis) and the subject's tags (token tags as entered, plus Heimdall's).
 */

export interface PreviewColumn {
  name: string;
  type: string;
  tags: readonly string[];
}

/** Ties at the same priority go to the more restrictive mask (the Gateway's order). */
const STRENGTH: Record<string, number> = {
  REDACT: 7,
  HASH: 6,
  RAND_PATTERN: 5,
  PARTIAL: 4,
  REGEX_REPLACE: 3,
  BUCKET_NUMBER: 2,
  BUCKET_DATE: 1,
  PASS_THROUGH: 0,
};

export interface ColumnOutcome extends PreviewColumn {
  /** The winning mask's policy and operator; null: read as is. */
  mask: { policy: string; priority: number; operator: string } | null;
  /** Other mask policies that selected the column and lost, with why. */
  overruled: string[];
}

export interface PreviewPlan {
  columns: ColumnOutcome[];
  filters: ConsoleDataPolicyFragment[];
  exemptions: ConsoleDataPolicyFragment[];
  /** Filters lifted by an exemption. */
  lifted: ConsoleDataPolicyFragment[];
  /** Policies for the dataset that do not select this subject (and why not, in short). */
  notForSubject: ConsoleDataPolicyFragment[];
}

const safeMatch = (glob: string, kind: 'tag' | 'path' | 'column', value: string) => {
  try {
    return patternMatches(glob, kind, value);
  } catch {
    return false; // a glob the Gateway accepted always compiles; a bad one selects nothing
  }
};

export function selectsSubject(p: ConsoleDataPolicyFragment, tags: readonly string[]): boolean {
  const has = (glob: string) => tags.some((t) => safeMatch(glob, 'tag', t));
  return p.selector.user.match === 'ALL' ? p.selector.user.tags.every(has) : p.selector.user.tags.some(has);
}

export const selectsDataset = (p: ConsoleDataPolicyFragment, urn: string) =>
  p.datasets.length === 0 || p.datasets.some((glob) => safeMatch(glob, 'path', urn));

export function selectsColumn(p: ConsoleDataPolicyFragment, column: PreviewColumn): boolean {
  const sel = p.selector.column;
  if (!sel) return false;
  return (
    sel.names.some((g) => safeMatch(g, 'column', column.name)) ||
    sel.tags.some((g) => column.tags.some((t) => safeMatch(g, 'column', t)))
  );
}

const byPriority = (a: ConsoleDataPolicyFragment, b: ConsoleDataPolicyFragment) =>
  a.priority - b.priority || a.name.localeCompare(b.name);

export function planPreview(
  urn: string,
  columns: readonly PreviewColumn[],
  subjectTags: readonly string[],
  policies: readonly ConsoleDataPolicyFragment[],
): PreviewPlan {
  const forDataset = policies.filter((p) => p.enabled && selectsDataset(p, urn)).sort(byPriority);
  const applicable = forDataset.filter((p) => selectsSubject(p, subjectTags));
  const masks = applicable.filter((p) => p.type === 'MASK' && p.mask);
  const outcomes = columns.map((column): ColumnOutcome => {
    const candidates = masks.filter((p) => selectsColumn(p, column));
    if (!candidates.length) return { ...column, mask: null, overruled: [] };
    const best = candidates.reduce((a, b) => {
      if (a.priority !== b.priority) return a.priority < b.priority ? a : b;
      const sa = STRENGTH[a.mask!.operator] ?? 0;
      const sb = STRENGTH[b.mask!.operator] ?? 0;
      if (sa !== sb) return sa > sb ? a : b;
      return a.name <= b.name ? a : b;
    });
    return {
      ...column,
      mask: { policy: best.name, priority: best.priority, operator: best.mask!.operator },
      overruled: candidates
        .filter((p) => p !== best)
        .map((p) => `${p.name} (${p.mask!.operator.toLowerCase()}, priority ${p.priority})`),
    };
  });
  const filterPolicies = applicable.filter((p) => p.type === 'FILTER');
  const exemptions = filterPolicies.filter((p) => p.filters.length === 0);
  const lift = exemptions.length ? Math.min(...exemptions.map((p) => p.priority)) : Infinity;
  const withFilters = filterPolicies.filter((p) => p.filters.length > 0);
  const lifted = withFilters.filter((p) => p.priority > lift);
  return {
    columns: outcomes,
    filters: withFilters.filter((p) => p.priority <= lift),
    exemptions: lifted.length ? exemptions.filter((p) => p.priority === lift) : [],
    lifted,
    notForSubject: forDataset.filter((p) => !selectsSubject(p, subjectTags)),
  };
}

/** The subject's tags: `users:id:<id>`, those typed (token roles, groups) and Heimdall's assigned ones. */
export function subjectTags(userId: string, typed: readonly string[], assigned: readonly string[]): string[] {
  const id = userId.startsWith('users:id:') ? userId : `users:id:${userId}`;
  return [...new Set([id, ...typed, ...assigned])];
}

/** A row filter in words: `region = claims.region`, `amount < 100`, or its SQL. */
export function describeFilter(f: ConsoleDataPolicyFragment['filters'][number]): string {
  if (f.predicate) return f.predicate;
  const op = (f.operator ?? '').toLowerCase().replace(/_/g, ' ');
  const value = f.valueFrom
    ? `the subject's ${f.valueFrom}`
    : f.value === undefined || f.value === null
      ? ''
      : JSON.stringify(f.value);
  return `${f.column} ${op} ${value}`.trim();
}
