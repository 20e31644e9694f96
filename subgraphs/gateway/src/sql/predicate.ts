import { badUserInput } from '@dataos/errors';
import { isObject, type JsonObject, type JsonValue, type Statement } from './ast.js';
import { isAllowedFunction, isBuiltinQualifier } from './functions.js';
import type { SqlParser } from './parser.js';

export interface ParsedPredicate {
  /** The WHERE expression of `SELECT 1 WHERE <predicate>`. */
  expression: JsonObject;
  columns: string[];
  parameters: string[];
}

const PREDICATE_CLASSES = new Set([
  'CONSTANT',
  'COLUMN_REF',
  'FUNCTION',
  'CAST',
  'COMPARISON',
  'CONJUNCTION',
  'OPERATOR',
  'CASE',
  'BETWEEN',
  'COLLATE',
  'PARAMETER',
]);

/**
 * Parses and checks a row-filter predicate written in a data policy: one boolean expression over
 * the dataset's own columns (unqualified), constants, allowed functions and `$name` subject
 * attributes; no subqueries, windows, aggregates' OVER, or anything that reads another table.
 * Parsing it as the WHERE of a fixed statement and checking that statement's exact shape means
 * text such as `x) OR (1=1` or `...; DROP` cannot escape the predicate.
 */
export async function parsePredicate(
  parser: SqlParser,
  predicate: string,
  field = 'predicate',
): Promise<ParsedPredicate> {
  const bad = (message: string) => badUserInput(`Row filter predicate: ${message}`, { field });
  let statements: Statement[];
  try {
    statements = await parser.parse(`SELECT 1 WHERE ${predicate}`);
  } catch {
    throw bad('not a valid SQL boolean expression.');
  }
  const node = statements.length === 1 ? statements[0]!.node : null;
  const selectList = node?.select_list;
  const fromTable = node?.from_table;
  const cteMap = node?.cte_map;
  const shapeOk =
    node &&
    node.type === 'SELECT_NODE' &&
    Array.isArray(node.modifiers) &&
    node.modifiers.length === 0 &&
    isObject(cteMap) &&
    Array.isArray(cteMap.map) &&
    cteMap.map.length === 0 &&
    Array.isArray(selectList) &&
    selectList.length === 1 &&
    isObject(selectList[0]) &&
    selectList[0].class === 'CONSTANT' &&
    isObject(fromTable) &&
    fromTable.type === 'EMPTY' &&
    Array.isArray(node.group_expressions) &&
    node.group_expressions.length === 0 &&
    node.having === null &&
    node.qualify === null &&
    node.sample === null &&
    isObject(node.where_clause);
  if (!shapeOk) throw bad('one boolean expression only (no ORDER BY, UNION, GROUP BY, ...).');
  const columns = new Set<string>();
  const parameters = new Set<string>();
  const walk = (value: JsonValue) => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isObject(value)) return;
    if (typeof value.class === 'string') {
      if (!PREDICATE_CLASSES.has(value.class)) throw bad(`${value.class.toLowerCase()} expressions are not allowed.`);
      if (value.class === 'COLUMN_REF') {
        const names = value.column_names as string[];
        if (names.length !== 1) throw bad("columns are written unqualified (the dataset's own columns).");
        columns.add(names[0]!.toLowerCase());
      }
      if (value.class === 'FUNCTION') {
        const name = String(value.function_name);
        if (!isBuiltinQualifier(value) || !isAllowedFunction(name)) throw bad(`the function "${name}" is not allowed.`);
        if (
          value.filter !== null ||
          (isObject(value.order_bys) && Array.isArray(value.order_bys.orders) && value.order_bys.orders.length)
        ) {
          throw bad('aggregates are not allowed.');
        }
      }
      if (value.class === 'PARAMETER') {
        const id = String(value.identifier ?? '');
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) throw bad('attributes are written $name.');
        parameters.add(id);
      }
    } else if (
      typeof value.type === 'string' &&
      value.type !== 'ORDER_MODIFIER' &&
      !value.type.endsWith('_TYPE_INFO')
    ) {
      throw bad(`${value.type.toLowerCase()} is not allowed.`);
    }
    for (const v of Object.values(value)) walk(v);
  };
  walk(node.where_clause as JsonObject);
  return { expression: node.where_clause as JsonObject, columns: [...columns], parameters: [...parameters] };
}

/** Replaces `$name` parameters with constant nodes (from `constantOf`), in place. */
export function bindParameters(value: JsonValue, constantOf: (name: string) => JsonObject): JsonValue {
  if (Array.isArray(value)) return value.map((v) => bindParameters(v, constantOf));
  if (!isObject(value)) return value;
  if (value.class === 'PARAMETER') return constantOf(String(value.identifier));
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = bindParameters(v, constantOf);
  return out;
}
