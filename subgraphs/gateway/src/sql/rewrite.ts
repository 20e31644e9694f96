import { forbidden } from '@dataos/errors';
import {
  ALLOWED_CLASSES,
  BENIGN_TYPES,
  QUERY_NODE_TYPES,
  REFUSED_QUERY_NODE_TYPES,
  TABLE_REF_TYPES,
  canonical,
  isObject,
  type JsonObject,
  type JsonValue,
  type Statement,
} from './ast.js';
import { isAllowedFunction, isBuiltinQualifier } from './functions.js';
import { sizeViolation } from './limits.js';
import { numberText } from './numbers.js';

/** A dataset named `depot.collection.dataset` in SQL, `dataos://depot:collection/dataset` in the catalog. */
export interface DatasetName {
  urn: string;
  depot: string;
  collection: string;
  dataset: string;
}

export interface DatasetReference {
  /** The BASE_TABLE node, replaced in place by the masked, filtered derived table. */
  node: JsonObject;
  dataset: DatasetName;
  /** The name the rest of the query uses for it: its alias, or the table name. */
  alias: string;
}

export interface Analysis {
  statement: Statement;
  references: DatasetReference[];
  /** Each dataset once, in order of first appearance. */
  datasets: DatasetName[];
}

/**
 * DuckDB prints a DOUBLE constant as `1000.0`, which reads back as a DECIMAL: written as
 * `CAST('<its exact text>' AS DOUBLE)` instead, it keeps its type and value through printing.
 */
function keepDoubleType(node: JsonObject): void {
  const value = isObject(node.value) ? node.value : null;
  const type = value && isObject(value.type) ? value.type.id : null;
  if (!value || value.is_null === true || (type !== 'DOUBLE' && type !== 'FLOAT')) return;
  const text = numberText(value.value);
  const alias = node.alias;
  const location = node.query_location;
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, {
    class: 'CAST',
    type: 'OPERATOR_CAST',
    alias,
    query_location: location ?? 0,
    child: {
      class: 'CONSTANT',
      type: 'VALUE_CONSTANT',
      alias: '',
      query_location: location ?? 0,
      value: { type: { id: 'VARCHAR', type_info: null }, is_null: false, value: text },
    },
    cast_type: { id: type, type_info: null },
    try_cast: false,
  });
}

/** Alias of the physical scan inside each derived table; user SQL may not use `__gw` names. */
export const SCAN_ALIAS = '__gw_scan';
const CTE_PREFIX = '__gw_cte_';
const RESERVED = /^__gw/i;
const MAX_DEPTH = 250;
const MAX_DATASETS = 50;

export const datasetUrn = (depot: string, collection: string, dataset: string) =>
  `dataos://${depot}:${collection}/${dataset}`.toLowerCase();

export function datasetName(depot: string, collection: string, dataset: string): DatasetName {
  return {
    urn: datasetUrn(depot, collection, dataset),
    depot: depot.toLowerCase(),
    collection: collection.toLowerCase(),
    dataset: dataset.toLowerCase(),
  };
}

const refuse = (reason: string, message: string) => forbidden(message, { field: 'sql', reason });

type Scope = ReadonlyMap<string, string>;

/**
 * Checks a parsed query and finds its dataset references. Refuses (FORBIDDEN) anything that is
 * not a single read-only SELECT built from allowed constructs: table functions, SHOW/DESCRIBE,
 * PIVOT, recursive CTEs, parameters, lambdas, functions off the allow-list, qualified function
 * names, time travel, tables that are not `depot.collection.dataset` or an in-scope CTE, and
 * names starting with `__gw`. CTEs are renamed to `__gw_cte_<n>` (references keep their name
 * as alias) so that a CTE name can never be resolved by the engine to anything else.
 */
export function analyzeQuery(statements: Statement[]): Analysis {
  if (statements.length !== 1) {
    throw refuse('MULTIPLE_STATEMENTS', 'Exactly one SELECT statement is allowed per query.');
  }
  const statement = statements[0]!;
  if (Array.isArray(statement.named_param_map) && statement.named_param_map.length > 0) {
    throw refuse('PARAMETER', 'Query parameters ($name, ?) are not supported: write the values in the SQL.');
  }
  const references: DatasetReference[] = [];
  let cteCount = 0;

  const checkReserved = (key: string, value: JsonValue) => {
    if (key === 'value') return; // constants' values are data, not names
    const names = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    for (const name of names) {
      if (typeof name === 'string' && RESERVED.test(name)) {
        throw refuse('RESERVED_NAME', `Names starting with "__gw" are reserved by the Gateway ("${name}").`);
      }
    }
  };

  const visitChildren = (node: JsonObject, scope: Scope, depth: number, skip?: string) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === skip) continue;
      checkReserved(key, value);
      visit(value, scope, depth + 1);
    }
  };

  const visitExpression = (node: JsonObject, scope: Scope, depth: number) => {
    const cls = node.class as string;
    if (cls === 'CONSTANT') return keepDoubleType(node);
    if (cls === 'PARAMETER') throw refuse('PARAMETER', 'Query parameters ($name, ?) are not supported.');
    if (cls === 'LAMBDA') throw refuse('LAMBDA', 'Lambda functions are not allowed.');
    if (!ALLOWED_CLASSES.has(cls))
      throw refuse('CONSTRUCT', `This expression (${String(node.type ?? cls)}) is not allowed.`);
    if (cls === 'FUNCTION' || cls === 'WINDOW') {
      const name = String(node.function_name ?? '');
      if (!isBuiltinQualifier(node)) {
        throw refuse(
          'FUNCTION_NOT_ALLOWED',
          `Qualified function names are not allowed ("${String(node.schema || node.catalog)}.${name}").`,
        );
      }
      if (node.export_state === true) throw refuse('CONSTRUCT', 'EXPORT_STATE is not allowed.');
      if (!isAllowedFunction(name)) throw refuse('FUNCTION_NOT_ALLOWED', `The function "${name}" is not allowed.`);
      const tooLarge = sizeViolation(node);
      if (tooLarge)
        throw refuse(
          'SIZE_LIMIT',
          `${tooLarge[0]!.toUpperCase()}${tooLarge.slice(1)}: its output size must be bounded.`,
        );
    }
    visitChildren(node, scope, depth);
  };

  const visitQueryNode = (node: JsonObject, scope: Scope, depth: number) => {
    let inner = scope;
    const cteMap = node.cte_map;
    const entries = isObject(cteMap) && Array.isArray(cteMap.map) ? cteMap.map : [];
    for (const entry of entries) {
      if (!isObject(entry) || typeof entry.key !== 'string' || !isObject(entry.value)) {
        throw refuse('CONSTRUCT', 'This WITH clause is not supported.');
      }
      checkReserved('key', entry.key);
      // A CTE's body sees the CTEs defined before it, never itself (no recursion).
      visit(entry.value, inner, depth + 1);
      const renamed = `${CTE_PREFIX}${++cteCount}`;
      inner = new Map([...inner, [entry.key.toLowerCase(), renamed]]);
      entry.key = renamed;
    }
    visitChildren(node, inner, depth, 'cte_map');
  };

  const visitTableRef = (node: JsonObject, scope: Scope, depth: number) => {
    switch (node.type) {
      case 'BASE_TABLE': {
        if (node.at_clause !== null && node.at_clause !== undefined) {
          throw refuse('TIME_TRAVEL', 'AT (VERSION/TIMESTAMP => ...) is not allowed.');
        }
        const catalog = String(node.catalog_name ?? '');
        const schema = String(node.schema_name ?? '');
        const table = String(node.table_name ?? '');
        visitChildren(node, scope, depth);
        const cte = !catalog && !schema ? scope.get(table.toLowerCase()) : undefined;
        if (cte) {
          if (!node.alias) node.alias = table;
          node.table_name = cte;
          return;
        }
        if (catalog && schema && table) {
          if (
            !/^[A-Za-z][A-Za-z0-9_-]*$/.test(catalog) ||
            !/^[A-Za-z0-9_-]+$/.test(schema) ||
            !/^[A-Za-z0-9_.-]+$/.test(table)
          ) {
            throw refuse(
              'UNKNOWN_TABLE',
              `"${catalog}.${schema}.${table}" cannot name a dataset (dataos://depot:collection/dataset).`,
            );
          }
          references.push({
            node,
            dataset: datasetName(catalog, schema, table),
            alias: typeof node.alias === 'string' && node.alias ? node.alias : table,
          });
          return;
        }
        const shown = [catalog, schema, table].filter(Boolean).join('.');
        throw refuse(
          'UNKNOWN_TABLE',
          `"${shown}" is not a dataset: name datasets depot.collection.dataset (dataos://depot:collection/dataset).`,
        );
      }
      case 'JOIN':
      case 'SUBQUERY':
      case 'EXPRESSION_LIST':
      case 'EMPTY':
        visitChildren(node, scope, depth);
        return;
      case 'TABLE_FUNCTION': {
        const fn = isObject(node.function) ? String(node.function.function_name ?? '') : '';
        throw refuse(
          'TABLE_FUNCTION',
          `Table functions${fn ? ` (${fn})` : ''} are not allowed: query catalogued datasets by name.`,
        );
      }
      case 'SHOW_REF':
        throw refuse('SHOW', 'SHOW, DESCRIBE and SUMMARIZE are not allowed: ask the catalog (Metis) for schemas.');
      case 'PIVOT':
        throw refuse('CONSTRUCT', 'PIVOT and UNPIVOT are not supported.');
      default:
        throw refuse('CONSTRUCT', `This table reference (${String(node.type)}) is not allowed.`);
    }
  };

  const visit = (value: JsonValue, scope: Scope, depth: number): void => {
    if (depth > MAX_DEPTH) throw refuse('TOO_DEEP', 'The query is nested too deeply.');
    if (Array.isArray(value)) {
      for (const item of value) visit(item, scope, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    if (typeof value.class === 'string') return visitExpression(value, scope, depth);
    const type = value.type;
    if (typeof type === 'string') {
      if (QUERY_NODE_TYPES.has(type)) return visitQueryNode(value, scope, depth);
      if (type === 'RECURSIVE_CTE_NODE') {
        throw refuse('RECURSIVE_CTE', 'Recursive CTEs are not allowed (their cost cannot be bounded).');
      }
      if (REFUSED_QUERY_NODE_TYPES.has(type))
        throw refuse('CONSTRUCT', `This form of WITH clause (${type}) is not supported.`);
      if (TABLE_REF_TYPES.has(type)) return visitTableRef(value, scope, depth);
      if (!BENIGN_TYPES.has(type) && !type.endsWith('_TYPE_INFO'))
        throw refuse('CONSTRUCT', `This construct (${type}) is not supported.`);
    }
    visitChildren(value, scope, depth);
  };

  visit(statement.node, new Map(), 0);
  const datasets = new Map<string, DatasetName>();
  for (const r of references) if (!datasets.has(r.dataset.urn)) datasets.set(r.dataset.urn, r.dataset);
  if (datasets.size > MAX_DATASETS)
    throw refuse('TOO_MANY_DATASETS', `A query reads at most ${MAX_DATASETS} datasets.`);
  return { statement, references, datasets: [...datasets.values()] };
}

/**
 * Replaces every dataset reference by its derived table `(SELECT <masked columns> FROM
 * depot.collection.dataset AS __gw_scan WHERE <row filters>) AS <alias>`, which exposes the same
 * column names: every later use (joins, WHERE, ORDER BY, GROUP BY, windows, SELECT *) sees
 * masked values and filtered rows only.
 */
export function applyScans(analysis: Analysis, scans: ReadonlyMap<string, Statement>): Statement {
  for (const ref of analysis.references) {
    const scan = scans.get(ref.dataset.urn);
    if (!scan) throw refuse('UNKNOWN_TABLE', `No scan was planned for ${ref.dataset.urn}.`);
    const original = { ...ref.node };
    for (const key of Object.keys(ref.node)) delete ref.node[key];
    Object.assign(ref.node, {
      type: 'SUBQUERY',
      alias: ref.alias,
      sample: original.sample ?? null,
      query_location: original.query_location ?? 0,
      subquery: structuredClone(scan),
      column_name_alias: original.column_name_alias ?? [],
    });
  }
  return analysis.statement;
}

/**
 * Independent check of the SQL that will run, re-parsed from its text: one statement; every
 * physical table read is `__gw_scan` inside a derived table identical to the approved scan of
 * that dataset, or a renamed CTE; no table function, SHOW or recursion; every function on the
 * allow-list; parameters only the Gateway's own hash keys, inside approved scans (user SQL
 * refuses parameters, so any other one is not ours). A failure means the rewriter has a bug: the
 * query is refused.
 */
export function verifyRewritten(
  statements: Statement[],
  approved: ReadonlyMap<string, string>,
  parameters: ReadonlySet<string> = new Set(),
): void {
  const fail = (why: string) => {
    throw forbidden('The query could not be verified as safe after rewriting.', {
      field: 'sql',
      reason: 'VERIFICATION_FAILED',
      why,
    });
  };
  if (statements.length !== 1) fail('statement count');
  const approvedScans = new WeakSet<JsonObject>();
  // `trusted`: inside an approved scan, whose mask expressions may exceed the user size caps.
  const visit = (value: JsonValue, depth: number, trusted = false): void => {
    if (depth > MAX_DEPTH * 2) fail('depth');
    if (Array.isArray(value)) return value.forEach((v) => visit(v, depth + 1, trusted));
    if (!isObject(value)) return;
    if (typeof value.class === 'string') {
      if (value.class === 'PARAMETER') {
        if (!trusted || !parameters.has(String(value.identifier))) fail('a parameter outside an approved scan');
        return;
      }
      if (!ALLOWED_CLASSES.has(value.class)) fail(`class ${value.class}`);
      if (value.class === 'FUNCTION' || value.class === 'WINDOW') {
        if (!isBuiltinQualifier(value) || !isAllowedFunction(String(value.function_name)))
          fail(`function ${String(value.function_name)}`);
        if (!trusted && sizeViolation(value)) fail(`size of ${String(value.function_name)}`);
      }
    } else if (typeof value.type === 'string') {
      const type = value.type;
      if (type === 'SUBQUERY' && isObject(value.subquery) && isObject(value.subquery.node)) {
        const inner = value.subquery.node;
        const from = inner.from_table;
        if (isObject(from) && from.type === 'BASE_TABLE' && from.alias === SCAN_ALIAS) {
          const urn = datasetUrn(String(from.catalog_name), String(from.schema_name), String(from.table_name));
          if (approved.get(urn) !== canonical(inner)) fail(`scan of ${urn} differs from the approved one`);
          approvedScans.add(from);
          for (const [k, v] of Object.entries(value)) if (k !== 'subquery') visit(v, depth + 1, trusted);
          visit(value.subquery, depth + 1, true);
          return;
        }
      } else if (type === 'BASE_TABLE') {
        const cte =
          !value.catalog_name && !value.schema_name && new RegExp(`^${CTE_PREFIX}\\d+$`).test(String(value.table_name));
        if (!cte && !approvedScans.has(value)) fail(`table ${String(value.table_name)}`);
      } else if (TABLE_REF_TYPES.has(type)) {
        if (!['JOIN', 'EXPRESSION_LIST', 'EMPTY', 'SUBQUERY'].includes(type)) fail(`table ref ${type}`);
      } else if (!QUERY_NODE_TYPES.has(type) && !BENIGN_TYPES.has(type) && !type.endsWith('_TYPE_INFO')) {
        fail(`type ${type}`);
      }
    }
    for (const v of Object.values(value)) visit(v, depth + 1, trusted);
  };
  visit(statements[0]!.node, 0);
  for (const entry of statements[0]!.named_param_map) {
    if (!isObject(entry) || !parameters.has(String(entry.key))) fail('parameters');
  }
}
