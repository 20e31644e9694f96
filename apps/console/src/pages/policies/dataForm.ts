import type { ConsoleDataPolicyFragment, DataPolicyInput, FilterOperator, MaskOperator } from '@dataos/client';
import { splitList } from './fieldErrors.js';

export const MASK_OPERATORS: MaskOperator[] = [
  'HASH',
  'REDACT',
  'PARTIAL',
  'BUCKET_NUMBER',
  'BUCKET_DATE',
  'REGEX_REPLACE',
  'RAND_PATTERN',
  'PASS_THROUGH',
];
export const FILTER_OPERATORS: FilterOperator[] = [
  'EQUALS',
  'NOT_EQUALS',
  'IN',
  'NOT_IN',
  'LESS_THAN',
  'LESS_OR_EQUAL',
  'GREATER_THAN',
  'GREATER_OR_EQUAL',
  'LIKE',
  'IS_NULL',
  'IS_NOT_NULL',
];

export interface FilterRowValues {
  column: string;
  operator: FilterOperator;
  /** A literal (JSON when it parses: 42, true, ["a","b"]; text otherwise). */
  value: string;
  /** A subject attribute instead of a literal: claims.region, subject.email, tags.groups. */
  valueFrom: string;
}

export interface DataFormValues {
  name: string;
  description: string;
  type: 'MASK' | 'FILTER';
  priority: string;
  enabled: boolean;
  datasets: string;
  userMatch: 'ANY' | 'ALL';
  userTags: string;
  columnTags: string;
  columnNames: string;
  operator: MaskOperator;
  algorithm: '' | 'SHA256' | 'MD5';
  replacement: string;
  keepFirst: string;
  keepLast: string;
  bucketSize: string;
  precision: '' | 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';
  pattern: string;
  filters: FilterRowValues[];
}

/** The API's field paths the form shows errors at (the longest matching one wins). */
export const DATA_FIELDS = [
  'name',
  'description',
  'type',
  'priority',
  'datasets',
  'selector.user.match',
  'selector.user.tags',
  'selector.column',
  'mask',
  'mask.replacement',
  'mask.keepFirst',
  'mask.keepLast',
  'mask.bucketSize',
  'mask.buckets',
  'mask.precision',
  'mask.pattern',
  'mask.algorithm',
  'filters',
];

export const EMPTY_DATA: DataFormValues = {
  name: '',
  description: '',
  type: 'MASK',
  priority: '50',
  enabled: true,
  datasets: '',
  userMatch: 'ANY',
  userTags: '',
  columnTags: '',
  columnNames: '',
  operator: 'HASH',
  algorithm: '',
  replacement: '',
  keepFirst: '',
  keepLast: '',
  bucketSize: '',
  precision: '',
  pattern: '',
  filters: [],
};

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function dataValuesOf(p: ConsoleDataPolicyFragment): DataFormValues {
  return {
    name: p.name,
    description: p.description ?? '',
    type: p.type,
    priority: String(p.priority),
    enabled: p.enabled,
    datasets: p.datasets.join('\n'),
    userMatch: p.selector.user.match,
    userTags: p.selector.user.tags.join('\n'),
    columnTags: p.selector.column?.tags.join('\n') ?? '',
    columnNames: p.selector.column?.names.join('\n') ?? '',
    operator: p.mask?.operator ?? 'HASH',
    algorithm: p.mask?.algorithm ?? '',
    replacement: p.mask?.replacement ?? '',
    keepFirst: str(p.mask?.keepFirst),
    keepLast: str(p.mask?.keepLast),
    bucketSize: str(p.mask?.bucketSize),
    precision: p.mask?.precision ?? '',
    pattern: p.mask?.pattern ?? '',
    filters: p.filters
      .filter((f) => f.column)
      .map((f) => ({
        column: f.column ?? '',
        operator: f.operator ?? 'EQUALS',
        value:
          f.value === null || f.value === undefined
            ? ''
            : typeof f.value === 'string'
              ? f.value
              : JSON.stringify(f.value),
        valueFrom: f.valueFrom ?? '',
      })),
  };
}

/** A literal as typed: JSON when it parses (numbers, booleans, lists), the text itself otherwise. */
export function literal(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const int = (text: string) => (text.trim() === '' ? undefined : Number(text));

/** What the API gets; the Gateway's validation decides, and its errors come back at their field. */
export function dataInputOf(v: DataFormValues): DataPolicyInput {
  const mask = v.type === 'MASK';
  return {
    name: v.name.trim(),
    ...(v.description.trim() ? { description: v.description.trim() } : {}),
    type: v.type,
    priority: Number(v.priority),
    enabled: v.enabled,
    datasets: splitList(v.datasets),
    selector: {
      user: { match: v.userMatch, tags: splitList(v.userTags) },
      ...(mask ? { column: { tags: splitList(v.columnTags), names: splitList(v.columnNames) } } : {}),
    },
    ...(mask
      ? {
          mask: {
            operator: v.operator,
            ...(v.algorithm ? { algorithm: v.algorithm } : {}),
            ...(v.replacement ? { replacement: v.replacement } : {}),
            ...(int(v.keepFirst) !== undefined ? { keepFirst: int(v.keepFirst)! } : {}),
            ...(int(v.keepLast) !== undefined ? { keepLast: int(v.keepLast)! } : {}),
            ...(int(v.bucketSize) !== undefined ? { bucketSize: int(v.bucketSize)! } : {}),
            ...(v.precision ? { precision: v.precision } : {}),
            ...(v.pattern ? { pattern: v.pattern } : {}),
          },
        }
      : {
          filters: v.filters.map((f) => ({
            column: f.column.trim(),
            operator: f.operator,
            ...(f.valueFrom.trim()
              ? { valueFrom: f.valueFrom.trim() }
              : f.operator === 'IS_NULL' || f.operator === 'IS_NOT_NULL'
                ? {}
                : { value: literal(f.value) }),
          })),
        }),
  };
}
