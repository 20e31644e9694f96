import { patternMatches } from '@dataos/patterns';
import { MASK_STRENGTH, type DataPolicyDoc, type MaskSpec, type RowFilter } from './model.js';
import type { Subject } from './subject.js';

export interface CatalogColumn {
  name: string;
  type: string;
  tags: string[];
}

export interface CatalogDataset {
  urn: string;
  columns: CatalogColumn[];
}

export interface ColumnPlan extends CatalogColumn {
  /** The winning mask policy, or null when the column is read as is. */
  mask: { policy: string; priority: number; spec: MaskSpec } | null;
}

export interface FilterPlan {
  policy: string;
  priority: number;
  filters: RowFilter[];
}

export interface ScanPlan {
  urn: string;
  columns: ColumnPlan[];
  /** Row filters that apply (ANDed). */
  filters: FilterPlan[];
  /** Filter exemptions that lifted filters of higher numbers. */
  exemptions: FilterPlan[];
  /** Every policy that decided something for this scan, in priority order. */
  policies: string[];
}

export function userSelected(policy: DataPolicyDoc, subject: Subject): boolean {
  const { match, tags } = policy.selector.user;
  const has = (glob: string) => subject.tags.some((t) => patternMatches(glob, 'tag', t));
  return match === 'all' ? tags.every(has) : tags.some(has);
}

/** DataOS patterns (`@dataos/patterns`): URNs and column names and tags compare in lower case. */
export const datasetSelected = (policy: DataPolicyDoc, urn: string): boolean =>
  policy.datasets.length === 0 || policy.datasets.some((glob) => patternMatches(glob, 'path', urn));

/** Column tags and names compare case-insensitively (SQL identifiers do); a column tag (`PII.Email`) is one level. */
export function columnSelected(policy: DataPolicyDoc, column: CatalogColumn): boolean {
  const sel = policy.selector.column;
  if (!sel) return false;
  return (
    sel.names.some((g) => patternMatches(g, 'column', column.name)) ||
    sel.tags.some((g) => column.tags.some((t) => patternMatches(g, 'column', t)))
  );
}

const byPriority = (a: DataPolicyDoc, b: DataPolicyDoc) => a.priority - b.priority || a._id.localeCompare(b._id);

/**
 * The data policies for one scan of a dataset by a subject.
 *
 * Masks, per column: among the enabled MASK policies selecting the dataset, the subject (user
 * tags, any/all) and the column (tags or names), the lowest priority number wins; at equal
 * numbers the more restrictive operator wins, then the policy name. No candidate: clear value.
 *
 * Filters, per dataset: every enabled FILTER policy selecting the dataset and the subject
 * applies, ANDed, except that a FILTER policy without filters is an exemption: it lifts the
 * filters whose number is strictly higher than its own (as a pass_through at 90 beats the PII
 * masks at 99). Filters at a number lower than or equal to the best exemption stay.
 */
export function planScan(dataset: CatalogDataset, subject: Subject, policies: readonly DataPolicyDoc[]): ScanPlan {
  const applicable = policies
    .filter((p) => p.enabled && datasetSelected(p, dataset.urn) && userSelected(p, subject))
    .sort(byPriority);
  const masks = applicable.filter((p) => p.type === 'mask' && p.mask);
  const used = new Map<string, number>();
  const columns = dataset.columns.map((column): ColumnPlan => {
    const candidates = masks.filter((p) => columnSelected(p, column));
    if (candidates.length === 0) return { ...column, mask: null };
    const best = candidates.reduce((a, b) => {
      if (a.priority !== b.priority) return a.priority < b.priority ? a : b;
      const sa = MASK_STRENGTH[a.mask!.operator];
      const sb = MASK_STRENGTH[b.mask!.operator];
      if (sa !== sb) return sa > sb ? a : b;
      return a._id <= b._id ? a : b;
    });
    used.set(best._id, best.priority);
    return { ...column, mask: { policy: best._id, priority: best.priority, spec: best.mask! } };
  });
  const filterPolicies = applicable.filter((p) => p.type === 'filter');
  const exemptions = filterPolicies.filter((p) => p.filters.length === 0);
  const lift = exemptions.length ? Math.min(...exemptions.map((p) => p.priority)) : Infinity;
  const filters = filterPolicies.filter((p) => p.filters.length > 0 && p.priority <= lift);
  const liftedAny = filterPolicies.some((p) => p.filters.length > 0 && p.priority > lift);
  const usedExemptions = liftedAny ? exemptions.filter((p) => p.priority === lift) : [];
  for (const p of [...filters, ...usedExemptions]) used.set(p._id, p.priority);
  const toPlan = (p: DataPolicyDoc): FilterPlan => ({ policy: p._id, priority: p.priority, filters: p.filters });
  return {
    urn: dataset.urn,
    columns,
    filters: filters.map(toPlan),
    exemptions: usedExemptions.map(toPlan),
    policies: [...used.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([name]) => name),
  };
}
