/**
 * DuckDB's parse tree as `json_serialize_sql` writes it, read as plain JSON: expressions carry
 * `class`, query nodes and table references carry `type`.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A node's string field, or '' when it is absent or not a string. */
export const text = (value: JsonValue | undefined): string => (typeof value === 'string' ? value : '');

/** A node's list field, or [] when it is absent or not a list. */
export const items = (value: JsonValue | undefined): JsonValue[] => (Array.isArray(value) ? value : []);

/** DuckDB's comparison expression types (`type` of a COMPARISON node) as SQL operators. */
export const COMPARISON_OPERATORS: Readonly<Record<string, string>> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '<>',
  COMPARE_LESSTHAN: '<',
  COMPARE_GREATERTHAN: '>',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHANOREQUALTO: '>=',
  COMPARE_DISTINCT_FROM: 'IS DISTINCT FROM',
  COMPARE_NOT_DISTINCT_FROM: 'IS NOT DISTINCT FROM',
};
