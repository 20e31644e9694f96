/** Gateway data policies: masks on columns and row filters on datasets, chosen per subject. */

export type DataPolicyType = 'mask' | 'filter';
export type SelectorMatch = 'any' | 'all';
export type MaskOperator =
  'hash' | 'redact' | 'partial' | 'bucket_number' | 'bucket_date' | 'regex_replace' | 'rand_pattern' | 'pass_through';
export type HashAlgorithm = 'sha256' | 'md5';
/** Which derived key a HASH mask uses: one per policy (joinable across datasets) or one per policy and dataset. */
export type MaskKeyScope = 'policy' | 'dataset';
export type DatePrecision = 'hour' | 'day' | 'week' | 'month' | 'year';
export type FilterOperator =
  | 'equals'
  | 'not_equals'
  | 'in'
  | 'not_in'
  | 'less_than'
  | 'less_or_equal'
  | 'greater_than'
  | 'greater_or_equal'
  | 'like'
  | 'is_null'
  | 'is_not_null';

export interface MaskSpec {
  operator: MaskOperator;
  /** hash */
  algorithm?: HashAlgorithm | null;
  /** hash: the derived key's scope (default policy) */
  keyScope?: MaskKeyScope | null;
  /** redact: the replacement text (`[REDACTED]`); regex_replace: the replacement of each match */
  replacement?: string | null;
  /** partial: characters kept at the start and at the end, the rest becomes `*` */
  keepFirst?: number | null;
  keepLast?: number | null;
  /** bucket_number: ascending lower bounds (a value becomes the greatest bound <= it) ... */
  buckets?: number[] | null;
  /** ... or a bucket width (a value becomes floor(value / size) * size) */
  bucketSize?: number | null;
  /** bucket_date */
  precision?: DatePrecision | null;
  /** regex_replace: the pattern (RE2); rand_pattern: `#` digit, `A` letter, `a` lower-case letter, others kept */
  pattern?: string | null;
}

/** One condition on a column, ANDed with the others of its policy. */
export interface RowFilter {
  column?: string | null;
  operator?: FilterOperator | null;
  /** A literal (string, number, boolean, or a list for in/not_in) ... */
  value?: unknown;
  /** ... or the subject's attribute: `claims.<name>`, `subject.id|sub|email|name`, `tags.<prefix>` */
  valueFrom?: string | null;
  /** Or a SQL predicate over the dataset's columns; `$name` is the subject's attribute `name`. */
  predicate?: string | null;
}

export interface DataPolicyInput {
  name: string;
  description?: string | null;
  type: DataPolicyType;
  /** 1-100, the lower number wins. */
  priority: number;
  /** URN globs (`dataos://icebase:retail/*`); empty: every dataset. */
  datasets?: string[] | null;
  selector: {
    user: { match: SelectorMatch; tags: string[] };
    column?: { tags?: string[] | null; names?: string[] | null; concepts?: string[] | null } | null;
  };
  mask?: MaskSpec | null;
  filters?: RowFilter[] | null;
  enabled?: boolean | null;
}

export interface DataPolicyDoc {
  _id: string;
  description: string | null;
  type: DataPolicyType;
  priority: number;
  datasets: string[];
  selector: {
    user: { match: SelectorMatch; tags: string[] };
    /** `concepts`: Odin concept IRIs, matched through the subconcept closure (absent on older documents). */
    column: { tags: string[]; names: string[]; concepts?: string[] } | null;
  };
  mask: MaskSpec | null;
  filters: RowFilter[];
  enabled: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: string | null;
  /**
   * 2: globs in the DataOS pattern language (@dataos/patterns). Absent: written by an earlier
   * Gateway, whose `*` crossed `:` and `/`; read through `fromLegacyGlob` so it keeps its meaning.
   */
  patternSyntax?: 2;
}

export const MASK_OPERATORS: readonly MaskOperator[] = [
  'hash',
  'redact',
  'partial',
  'bucket_number',
  'bucket_date',
  'regex_replace',
  'rand_pattern',
  'pass_through',
];

/**
 * At equal priority the more restrictive mask wins (then the policy name, for determinism):
 * redact > hash > rand_pattern > partial > regex_replace > bucket_number > bucket_date > pass_through.
 */
export const MASK_STRENGTH: Record<MaskOperator, number> = {
  redact: 7,
  hash: 6,
  rand_pattern: 5,
  partial: 4,
  regex_replace: 3,
  bucket_number: 2,
  bucket_date: 1,
  pass_through: 0,
};
