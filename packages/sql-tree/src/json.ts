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
