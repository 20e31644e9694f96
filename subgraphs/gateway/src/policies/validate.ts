import { badUserInput } from '@dataos/errors';
import { patternProblem, type PatternKind } from '@dataos/patterns';
import {
  MASK_OPERATORS,
  type DataPolicyDoc,
  type DataPolicyInput,
  type DatePrecision,
  type FilterOperator,
  type MaskSpec,
  type RowFilter,
} from './model.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const URN_GLOB = /^dataos:\/\/\S{1,500}$/i;
/** Subject tags are `namespace:...:value`, as in Heimdall: a pattern without `:` could match no subject. */
const SUBJECT_TAG_GLOB = /^(?=\S{1,200}$)[^\s:]+(:[^\s:]*)+$/;
const COLUMN_GLOB = /^\S{1,200}$/;
/** An absolute IRI, as Odin accepts it (a scheme, no spaces, controls or `<>"{}|\^\``), at most 2,048 characters. */
// eslint-disable-next-line no-control-regex
const CONCEPT_IRI = /^[a-z][a-z0-9+.-]*:[^\u0000-\u0020<>"{}|\\^`\u007f-\u009f]{1,2040}$/i;
const ATTRIBUTE = /^(claims\.[A-Za-z_][\w-]*|subject\.(id|sub|email|name)|tags\.[^\s]+|[A-Za-z_][\w-]*)$/;
const PRECISIONS: DatePrecision[] = ['hour', 'day', 'week', 'month', 'year'];
const FILTER_OPERATORS: FilterOperator[] = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'less_than',
  'less_or_equal',
  'greater_than',
  'greater_or_equal',
  'like',
  'is_null',
  'is_not_null',
];

type Fields = Omit<DataPolicyDoc, '_id' | 'version' | 'createdAt' | 'updatedAt' | 'updatedBy'>;

const bad = (field: string, message: string) => badUserInput(message, { field });

/** A malformed DataOS glob is the caller's input error, naming the field and saying what is wrong. */
function checkPattern(text: string, kind: PatternKind, field: string): void {
  const problem = patternProblem(text, kind);
  if (problem) throw bad(field, problem);
}
const isScalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function validateMask(mask: MaskSpec, field: string): MaskSpec {
  if (!MASK_OPERATORS.includes(mask.operator))
    throw bad(`${field}.operator`, `Unknown mask operator "${String(mask.operator)}".`);
  if (mask.keyScope && mask.operator !== 'hash') throw bad(`${field}.keyScope`, 'keyScope applies to HASH masks only.');
  const out: MaskSpec = { operator: mask.operator };
  const text = (key: 'replacement' | 'pattern', max: number) => {
    const v = mask[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.length > max || v.includes('\u0000'))
      throw bad(`${field}.${key}`, `${key} must be text of at most ${max} characters.`);
    return v;
  };
  switch (mask.operator) {
    case 'hash':
      out.algorithm = mask.algorithm ?? 'sha256';
      if (!['sha256', 'md5'].includes(out.algorithm))
        throw bad(`${field}.algorithm`, 'algorithm must be sha256 or md5.');
      out.keyScope = mask.keyScope ?? 'policy';
      if (!['policy', 'dataset'].includes(out.keyScope))
        throw bad(`${field}.keyScope`, 'keyScope must be POLICY or DATASET.');
      break;
    case 'redact':
      out.replacement = text('replacement', 100) ?? '[REDACTED]';
      break;
    case 'partial': {
      const first = mask.keepFirst ?? 0;
      const last = mask.keepLast ?? 0;
      for (const [k, v] of [
        ['keepFirst', first],
        ['keepLast', last],
      ] as const) {
        if (!Number.isInteger(v) || v < 0 || v > 50)
          throw bad(`${field}.${k}`, `${k} must be an integer from 0 to 50.`);
      }
      if (first + last === 0)
        throw bad(
          `${field}.keepFirst`,
          'partial keeps at least one character (keepFirst or keepLast); use redact to hide everything.',
        );
      out.keepFirst = first;
      out.keepLast = last;
      break;
    }
    case 'bucket_number': {
      const buckets = mask.buckets ?? null;
      const size = mask.bucketSize ?? null;
      if ((buckets === null) === (size === null))
        throw bad(`${field}.buckets`, 'bucket_number needs either buckets (ascending lower bounds) or bucketSize.');
      if (buckets) {
        if (buckets.length === 0 || buckets.length > 100 || !buckets.every((b) => Number.isFinite(b))) {
          throw bad(`${field}.buckets`, 'buckets must be 1 to 100 finite numbers.');
        }
        if (!buckets.every((b, i) => i === 0 || b > buckets[i - 1]!))
          throw bad(`${field}.buckets`, 'buckets must be strictly ascending.');
        out.buckets = [...buckets];
      } else {
        if (!Number.isFinite(size) || size! <= 0)
          throw bad(`${field}.bucketSize`, 'bucketSize must be a positive number.');
        out.bucketSize = size;
      }
      break;
    }
    case 'bucket_date':
      if (!mask.precision || !PRECISIONS.includes(mask.precision))
        throw bad(`${field}.precision`, `precision must be one of ${PRECISIONS.join(', ')}.`);
      out.precision = mask.precision;
      break;
    case 'regex_replace': {
      const pattern = text('pattern', 200);
      if (!pattern) throw bad(`${field}.pattern`, 'regex_replace needs a pattern.');
      try {
        new RegExp(pattern);
      } catch {
        throw bad(`${field}.pattern`, 'pattern is not a valid regular expression.');
      }
      out.pattern = pattern;
      out.replacement = text('replacement', 100) ?? '*';
      break;
    }
    case 'rand_pattern': {
      const pattern = text('pattern', 64);
      if (pattern !== undefined) {
        if (!/[#Aa]/.test(pattern))
          throw bad(`${field}.pattern`, 'pattern needs at least one # (digit), A or a (letter).');
        out.pattern = pattern;
      }
      break;
    }
    case 'pass_through':
      break;
  }
  return out;
}

function validateFilter(filter: RowFilter, field: string): RowFilter {
  if (filter.predicate !== undefined && filter.predicate !== null) {
    if (filter.column || filter.operator || (filter.value !== undefined && filter.value !== null) || filter.valueFrom) {
      throw bad(field, 'A filter is either a predicate or {column, operator, value | valueFrom}, not both.');
    }
    if (typeof filter.predicate !== 'string' || !filter.predicate.trim() || filter.predicate.length > 2000) {
      throw bad(`${field}.predicate`, 'predicate must be SQL text of at most 2000 characters.');
    }
    return { predicate: filter.predicate.trim() };
  }
  if (!filter.column || typeof filter.column !== 'string' || filter.column.length > 200)
    throw bad(`${field}.column`, 'A filter needs a column.');
  if (!filter.operator || !FILTER_OPERATORS.includes(filter.operator))
    throw bad(`${field}.operator`, `operator must be one of ${FILTER_OPERATORS.join(', ')}.`);
  const out: RowFilter = { column: filter.column, operator: filter.operator };
  if (filter.operator === 'is_null' || filter.operator === 'is_not_null') {
    if (filter.valueFrom || (filter.value !== undefined && filter.value !== null))
      throw bad(field, `${filter.operator} takes no value.`);
    return out;
  }
  const hasValue = filter.value !== undefined && filter.value !== null;
  if (hasValue === Boolean(filter.valueFrom)) throw bad(field, 'A filter needs exactly one of value and valueFrom.');
  if (filter.valueFrom) {
    if (!ATTRIBUTE.test(filter.valueFrom))
      throw bad(
        `${field}.valueFrom`,
        'valueFrom is claims.<name>, subject.id|sub|email|name, tags.<prefix> or a claim name.',
      );
    out.valueFrom = filter.valueFrom;
    return out;
  }
  const list = filter.operator === 'in' || filter.operator === 'not_in';
  if (list) {
    if (
      !Array.isArray(filter.value) ||
      filter.value.length === 0 ||
      filter.value.length > 1000 ||
      !filter.value.every(isScalar)
    ) {
      throw bad(`${field}.value`, `${filter.operator} needs a list of 1 to 1000 strings, numbers or booleans.`);
    }
  } else if (!isScalar(filter.value)) {
    throw bad(`${field}.value`, 'value must be a string, a number or a boolean.');
  }
  if ([filter.value].flat().some((v) => typeof v === 'string' && (v.length > 1000 || v.includes('\u0000')))) {
    throw bad(`${field}.value`, 'values are at most 1000 characters.');
  }
  out.value = filter.value;
  return out;
}

/** Shape and range checks; SQL predicates are parsed separately (they need the SQL parser). */
export function validateDataPolicy(input: DataPolicyInput): { name: string; fields: Fields } {
  if (!NAME.test(input.name ?? ''))
    throw bad('input.name', 'name: 1-100 letters, digits, _, -, . (starting with a letter or digit).');
  if (!['mask', 'filter'].includes(input.type)) throw bad('input.type', 'type must be MASK or FILTER.');
  if (!Number.isInteger(input.priority) || input.priority < 1 || input.priority > 100) {
    throw bad('input.priority', 'priority must be an integer from 1 to 100 (the lower number wins).');
  }
  const datasets = input.datasets ?? [];
  datasets.forEach((d, i) => {
    if (typeof d !== 'string' || !URN_GLOB.test(d)) {
      throw bad(
        `input.datasets[${i}]`,
        `"${String(d)}" is not a dataset URN pattern: dataos://depot:collection/dataset with DataOS globs (dataos://icebase:retail/*, dataos://icebase:**), at most 500 characters without spaces.`,
      );
    }
    checkPattern(d, 'path', `input.datasets[${i}]`);
  });
  const user = input.selector?.user;
  if (!user || !['any', 'all'].includes(user.match))
    throw bad('input.selector.user.match', 'selector.user.match must be ANY or ALL.');
  if (!Array.isArray(user.tags) || user.tags.length === 0 || user.tags.length > 50) {
    throw bad(
      'input.selector.user.tags',
      'selector.user.tags needs 1 to 50 tag globs (`users:id:*` selects every user).',
    );
  }
  user.tags.forEach((t, i) => {
    if (typeof t !== 'string' || !SUBJECT_TAG_GLOB.test(t)) {
      throw bad(
        `input.selector.user.tags[${i}]`,
        `"${String(t)}" is not a subject tag glob: namespace:...:value, 1-200 characters without spaces (\`users:id:*\` selects every user; \`*\` stays within one level).`,
      );
    }
    checkPattern(t, 'tag', `input.selector.user.tags[${i}]`);
  });
  const column = input.selector.column ?? null;
  const columnTags = column?.tags ?? [];
  const columnNames = column?.names ?? [];
  for (const [key, list] of [
    ['tags', columnTags],
    ['names', columnNames],
  ] as const) {
    list.forEach((t, i) => {
      const field = `input.selector.column.${key}[${i}]`;
      if (typeof t !== 'string' || !COLUMN_GLOB.test(t))
        throw bad(field, `Column ${key} globs are 1-200 characters without spaces.`);
      checkPattern(t, 'column', field);
    });
  }
  const columnConcepts = column?.concepts ?? [];
  if (columnConcepts.length > 50) throw bad('input.selector.column.concepts', 'At most 50 concepts per policy.');
  columnConcepts.forEach((c, i) => {
    if (typeof c !== 'string' || !CONCEPT_IRI.test(c))
      throw bad(
        `input.selector.column.concepts[${i}]`,
        `"${String(c).slice(0, 100)}" is not a concept IRI: an absolute IRI such as https://dataos.local/ontology/business#EmailAddress.`,
      );
  });
  const selects = columnTags.length + columnNames.length + columnConcepts.length;
  let mask: MaskSpec | null = null;
  let filters: RowFilter[] = [];
  if (input.type === 'mask') {
    if (!input.mask) throw bad('input.mask', 'A MASK policy needs mask.');
    if (input.filters?.length) throw bad('input.filters', 'A MASK policy has no filters.');
    if (selects === 0) {
      throw bad('input.selector.column', 'A MASK policy selects columns by tags, names or concepts (selector.column).');
    }
    mask = validateMask(input.mask, 'input.mask');
  } else {
    if (input.mask) throw bad('input.mask', 'A FILTER policy has no mask.');
    if (selects > 0)
      throw bad('input.selector.column', 'A FILTER policy applies to rows, not columns: no selector.column.');
    if ((input.filters ?? []).length > 20) throw bad('input.filters', 'At most 20 filters per policy.');
    filters = (input.filters ?? []).map((f, i) => validateFilter(f, `input.filters[${i}]`));
  }
  if (input.description && input.description.length > 1000)
    throw bad('input.description', 'description is at most 1000 characters.');
  return {
    name: input.name,
    fields: {
      description: input.description ?? null,
      type: input.type,
      priority: input.priority,
      datasets: [...new Set(datasets.map((d) => d.toLowerCase()))],
      selector: {
        user: { match: user.match, tags: [...user.tags] },
        column:
          input.type === 'mask'
            ? { tags: [...columnTags], names: [...columnNames], concepts: [...new Set(columnConcepts)] }
            : null,
      },
      mask,
      filters,
      enabled: input.enabled ?? true,
    },
  };
}
