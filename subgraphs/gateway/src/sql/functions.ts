/**
 * Functions a query may call, by DuckDB parser name (lower case). Everything else is refused:
 * file and table functions, settings, variables, catalog helpers, sequences, `setseed`, ...
 * The masking expressions the Gateway writes itself use only functions from this list.
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // operators the parser spells as functions
  '+', '-', '*', '/', '//', '%', '||', '^', '**', '&', '|', '<<', '>>',
  '~~', '!~~', '~~*', '!~~*', '~~~', '!~~~', 'regexp_full_match', '->>',
  // strings
  'lower', 'upper', 'lcase', 'ucase', 'length', 'char_length', 'strlen', 'bit_length', 'octet_length',
  'substr', 'substring', 'left', 'right', 'concat', 'concat_ws', 'trim', 'ltrim', 'rtrim', 'replace',
  'reverse', 'repeat', 'lpad', 'rpad', 'position', 'strpos', 'instr', 'starts_with', 'ends_with',
  'prefix', 'suffix', 'contains', 'split_part', 'string_split', 'regexp_matches', 'regexp_replace',
  'regexp_extract', 'regexp_split_to_array', 'md5', 'sha256', 'sha1', 'hash', 'chr', 'ascii', 'format',
  'printf', 'translate', 'levenshtein', 'strip_accents', 'nfc_normalize', 'to_base64', 'hex', 'unhex',
  'like_escape', 'ilike_escape', 'array_to_string',
  // numbers
  'abs', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'sign', 'sqrt', 'power', 'pow', 'exp', 'ln', 'log',
  'log10', 'log2', 'mod', 'greatest', 'least', 'random', 'isnan', 'isinf', 'divide', 'add', 'subtract',
  'multiply',
  // dates and times
  'date_trunc', 'date_part', 'datepart', 'year', 'month', 'day', 'hour', 'minute', 'second', 'dayofweek',
  'dayofmonth', 'dayofyear', 'dayname', 'monthname', 'week', 'yearweek', 'quarter', 'strftime', 'strptime',
  'try_strptime', 'make_date', 'make_timestamp', 'date_diff', 'datediff', 'date_add', 'date_sub',
  'current_date', 'now', 'get_current_timestamp', 'epoch', 'epoch_ms', 'age', 'to_timestamp', 'last_day',
  'to_days', 'to_hours', 'to_minutes', 'to_seconds', 'to_months', 'to_years', 'to_weeks',
  'to_microseconds', 'to_milliseconds',
  // conditionals
  'nullif',
  // aggregates
  'count', 'count_star', 'sum', 'avg', 'mean', 'min', 'max', 'any_value', 'first', 'last', 'arg_min',
  'arg_max', 'median', 'quantile_cont', 'approx_count_distinct', 'stddev', 'stddev_pop', 'stddev_samp',
  'variance', 'var_pop', 'var_samp', 'bool_and', 'bool_or', 'array_agg', 'list', 'mode', 'string_agg',
  'listagg',
  // window functions
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value',
  // lists and structs (literals `[1, 2]`, `{'a': 1}`, `ROW(...)` parse to these)
  'list_value', 'struct_pack', 'row', 'list_extract', 'array_length', 'len', 'struct_extract',
  'array_contains', 'list_contains', 'list_slice', 'array_slice',
  // Trino spellings used by the masks of Trino clusters
  'to_hex', 'to_utf8',
]);

/** Window functions arrive as WINDOW expressions whose names are not all in the parser's FUNCTION form. */
export const isAllowedFunction = (name: string): boolean => ALLOWED_FUNCTIONS.has(name.toLowerCase());

/**
 * The parser qualifies some built-ins itself (`EXTRACT` → `main.date_part`, `[1, 2]` →
 * `main.list_value`, `TRIM(... FROM ...)`, `ROW(...)`): `main` (catalog `system` or none) is the
 * built-in schema; any other qualifier could name a user macro or another catalog: refused.
 */
export function isBuiltinQualifier(node: { schema?: unknown; catalog?: unknown }): boolean {
  const schema = typeof node.schema === 'string' ? node.schema : '';
  const catalog = typeof node.catalog === 'string' ? node.catalog : '';
  return (schema === '' || schema === 'main') && (catalog === '' || catalog === 'system');
}
