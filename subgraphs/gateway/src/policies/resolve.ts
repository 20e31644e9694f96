import { patternMatches } from '@dataos/patterns';
import { MASK_STRENGTH, type DataPolicyDoc, type MaskSpec, type RowFilter } from './model.js';
import type { Subject } from './subject.js';

/** A tag or concept a column holds: its own, or propagated from an upstream column through column lineage. */
export interface Classification {
  kind: 'tag' | 'concept';
  /** The tag, or the concept's IRI. */
  value: string;
  label?: string | null;
  /** Concepts: levels above the concept linked to the column (0: that concept). */
  distance?: number | null;
  propagated: boolean;
  /** `<dataset urn>#<column>` it comes from, when propagated. */
  source?: string | null;
  /** Columns from the source to this one, when propagated. */
  path?: string[];
}

/** A column whose classifications come from the column-level lineage edges Metis reports (not anonymizing ones). */
export interface UpstreamColumn {
  datasetUrn: string;
  name: string;
  /** `<dataset urn>#<column>` from the source to the column. */
  path: string[];
}

export interface CatalogColumn {
  name: string;
  type: string;
  /** Own and propagated tags (what tag selectors match). */
  tags: string[];
  /** Own and propagated tags and concepts, with where they come from (explain). */
  classifications?: Classification[];
  /** Columns it derives from (Metis), whose concepts it carries. */
  upstream?: UpstreamColumn[];
  /**
   * false: Odin could not say which concepts the column holds: every concept mask may apply to it
   * (and no concept exemption). Absent: no concept source was asked (no policy selects by concept).
   */
  conceptsKnown?: boolean;
}

export interface CatalogDataset {
  urn: string;
  columns: CatalogColumn[];
}

export type Selection = 'tag' | 'concept' | 'name' | 'concepts_unknown';

/** Why a policy selects a column. */
export interface ColumnMatch {
  selectedBy: Selection;
  /** The policy's glob or concept IRI that matched. */
  matched: string;
  /** The column's classification that matched (tag or concept, own or propagated). */
  classification: Classification | null;
  /** Concept distance (nearer concepts win at equal priority); 0 for tags and names. */
  distance: number;
}

export interface MaskReason extends ColumnMatch {
  /** The subject's tags that the policy's user selector matched. */
  subjectTags: string[];
}

export interface ColumnPlan extends CatalogColumn {
  /** The winning mask policy, or null when the column is read as is. */
  mask: { policy: string; priority: number; spec: MaskSpec; reason: MaskReason } | null;
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

/** The subject's tags a policy's user selector matched (explain). */
export function matchedSubjectTags(policy: DataPolicyDoc, subject: Subject): string[] {
  return subject.tags.filter((t) => policy.selector.user.tags.some((glob) => patternMatches(glob, 'tag', t)));
}

const tagClassification = (column: CatalogColumn, tag: string): Classification =>
  column.classifications?.find((c) => c.kind === 'tag' && c.value === tag && !c.propagated) ??
  column.classifications?.find((c) => c.kind === 'tag' && c.value === tag) ?? {
    kind: 'tag',
    value: tag,
    propagated: false,
  };

/**
 * Why a policy selects a column, or null. Column tags and names compare case-insensitively (SQL
 * identifiers do); a column tag (`PII.Email`) is one level. Concepts match through the closure
 * Odin gave (the column's concept and every concept above it), nearest first, own before
 * propagated. A column whose concepts are unknown (Odin down) is selected by every concept
 * mask except PASS_THROUGH: an exemption never applies to what could not be checked.
 */
export function columnMatch(policy: DataPolicyDoc, column: CatalogColumn): ColumnMatch | null {
  const sel = policy.selector.column;
  if (!sel) return null;
  const name = sel.names.find((g) => patternMatches(g, 'column', column.name));
  if (name) return { selectedBy: 'name', matched: name, classification: null, distance: 0 };
  for (const g of sel.tags) {
    const tag = column.tags.find((t) => patternMatches(g, 'column', t));
    if (tag) return { selectedBy: 'tag', matched: g, classification: tagClassification(column, tag), distance: 0 };
  }
  const concepts = sel.concepts ?? [];
  if (!concepts.length) return null;
  let best: ColumnMatch | null = null;
  for (const c of column.classifications ?? []) {
    if (c.kind !== 'concept' || !concepts.includes(c.value)) continue;
    const distance = c.distance ?? 0;
    if (
      !best ||
      distance < best.distance ||
      (distance === best.distance && best.classification?.propagated && !c.propagated)
    )
      best = { selectedBy: 'concept', matched: c.value, classification: c, distance };
  }
  if (best) return best;
  if (column.conceptsKnown === false && policy.mask?.operator !== 'pass_through')
    return { selectedBy: 'concepts_unknown', matched: concepts[0]!, classification: null, distance: Infinity };
  return null;
}

export const columnSelected = (policy: DataPolicyDoc, column: CatalogColumn): boolean =>
  columnMatch(policy, column) !== null;

const byPriority = (a: DataPolicyDoc, b: DataPolicyDoc) => a.priority - b.priority || a._id.localeCompare(b._id);

/**
 * The data policies for one scan of a dataset by a subject.
 *
 * Masks, per column: among the enabled MASK policies selecting the dataset, the subject (user
 * tags, any/all) and the column (tags, names or concepts), the lowest priority number wins; at
 * equal numbers the nearer concept (tags and names count as 0), then the more restrictive
 * operator, then the policy name. No candidate: clear value.
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
    const candidates = masks.flatMap((p) => {
      const match = columnMatch(p, column);
      return match ? [{ p, match }] : [];
    });
    if (candidates.length === 0) return { ...column, mask: null };
    const best = candidates.reduce((x, y) => {
      const [a, b] = [x.p, y.p];
      if (a.priority !== b.priority) return a.priority < b.priority ? x : y;
      // The nearest concept decides (EmailAddress's mask before PersonalData's); tags and names are at 0.
      if (x.match.distance !== y.match.distance) return x.match.distance < y.match.distance ? x : y;
      const sa = MASK_STRENGTH[a.mask!.operator];
      const sb = MASK_STRENGTH[b.mask!.operator];
      if (sa !== sb) return sa > sb ? x : y;
      return a._id <= b._id ? x : y;
    });
    used.set(best.p._id, best.p.priority);
    return {
      ...column,
      mask: {
        policy: best.p._id,
        priority: best.p.priority,
        spec: best.p.mask!,
        reason: { ...best.match, subjectTags: matchedSubjectTags(best.p, subject) },
      },
    };
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
