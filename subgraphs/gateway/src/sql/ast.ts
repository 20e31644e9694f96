import type { JsonObject, JsonValue } from '@dataos/sql-tree';

/** DuckDB's parse tree (`@dataos/sql-tree`): the Gateway treats it as plain JSON. */
export { isObject, type JsonObject, type JsonValue } from '@dataos/sql-tree';

export interface Statement extends JsonObject {
  node: JsonObject;
  named_param_map: JsonValue[];
}

export const QUERY_NODE_TYPES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE']);
export const REFUSED_QUERY_NODE_TYPES = new Set(['RECURSIVE_CTE_NODE', 'CTE_NODE']);

/** Table references: `type` values of `from_table` and of JOIN sides. */
export const TABLE_REF_TYPES = new Set([
  'BASE_TABLE',
  'JOIN',
  'SUBQUERY',
  'EXPRESSION_LIST',
  'EMPTY',
  'TABLE_FUNCTION',
  'SHOW_REF',
  'PIVOT',
  'COLUMN_DATA',
  'DELIM_GET',
  'CTE',
]);

/** `type` values of objects that are neither expressions nor query nodes nor table refs (plus `*_TYPE_INFO`, type details). */
export const BENIGN_TYPES = new Set([
  'ORDER_MODIFIER',
  'LIMIT_MODIFIER',
  'LIMIT_PERCENT_MODIFIER',
  'DISTINCT_MODIFIER',
  'ORDER_DEFAULT',
  'ASCENDING',
  'DESCENDING',
]);

/** Expression classes a query may use. PARAMETER, LAMBDA, POSITIONAL_REFERENCE, ... are refused. */
export const ALLOWED_CLASSES = new Set([
  'CONSTANT',
  'COLUMN_REF',
  'STAR',
  'FUNCTION',
  'WINDOW',
  'CAST',
  'COMPARISON',
  'CONJUNCTION',
  'OPERATOR',
  'CASE',
  'SUBQUERY',
  'BETWEEN',
  'COLLATE',
]);

/** The JSON of a node without source positions, to compare trees. */
export const canonical = (value: JsonValue): string =>
  JSON.stringify(value, (key, v: unknown) => (key === 'query_location' ? undefined : v));

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL in a literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/** A SQL literal for a JSON scalar (string, finite number, boolean or null). */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('not a finite number');
    return String(value);
  }
  if (typeof value === 'string') return quoteLiteral(value);
  throw new Error(`not a scalar: ${typeof value}`);
}
