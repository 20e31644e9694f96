import { items as list, text as str } from '@dataos/sql-tree';
import { isObject, type JsonObject, type JsonValue, type Statement } from '../sql/ast.js';
import type { ResultPage } from './engine.js';

/**
 * What an answer must look like, read from the verified (rewritten) SELECT before it runs: the
 * column count, and a type family per column where the tree settles it (a CAST, a constant,
 * count(*), a hash, a column of a scan whose catalog type is known). Anything the tree does not
 * settle is null and is not checked: the check must never refuse a correct answer.
 */
export interface ExpectedShape {
  /** null: the count depends on something the tree does not show (COLUMNS(...), * EXCLUDE, USING joins...). */
  columns: (Family | null)[] | null;
}

/** Type families both engines agree on (`VARCHAR` / `varchar(12)`, `BIGINT` / `integer` / `DECIMAL(12,2)`). */
export type Family = 'text' | 'number' | 'boolean' | 'date' | 'timestamp' | 'time' | 'uuid' | 'binary';

const FAMILIES: Record<string, Family> = {};
const family = (f: Family, names: string) => names.split(' ').forEach((n) => (FAMILIES[n] = f));
family('text', 'varchar char text string bpchar nvarchar');
family(
  'number',
  'tinyint smallint int integer bigint hugeint uhugeint utinyint usmallint uinteger ubigint int1 int2 int4 int8 long short decimal numeric double float real float4 float8 varint',
);
family('boolean', 'boolean bool');
family('date', 'date');
family('timestamp', 'timestamp timestamptz datetime timestamp_s timestamp_ms timestamp_ns');
family('time', 'time timetz');
family('uuid', 'uuid');
family('binary', 'blob varbinary bytea binary');

/** The family of an engine's type name; null for nested or unknown types (`STRUCT(...)`, `array(varchar)`, `VARCHAR[]`). */
export function typeFamily(type: string): Family | null {
  const t = type.trim().toLowerCase();
  if (t.endsWith(']')) return null;
  const head = /^[a-z_0-9]+/.exec(t)?.[0] ?? '';
  return FAMILIES[head] ?? null;
}

/** Functions (DuckDB's and Trino's names) whose result is text whatever their arguments. */
const TEXT_FUNCTIONS = new Set(['sha256', 'md5', 'lower', 'upper', 'to_hex', 'lpad', 'rpad', 'chr', 'concat']);
const COUNT_FUNCTIONS = new Set(['count_star', 'count']);

/** Columns of one FROM item: names (null: an engine-made name) and families; null: unknown. */
interface Item {
  alias: string;
  columns: { name: string | null; family: Family | null }[] | null;
}

/** Catalog column types of a physical table (`catalog.schema.table`, lower case), when known. */
export type TableTypes = (qualified: string) => ReadonlyMap<string, string> | undefined;

type Ctes = ReadonlyMap<string, Item['columns']>;

/** The shape of the rewritten statement's answer. */
export function expectedShape(statement: Statement, tables: TableTypes = () => undefined): ExpectedShape {
  const columns = nodeColumns(statement.node, new Map(), tables);
  return { columns: columns ? columns.map((c) => c.family) : null };
}

function withCtes(node: JsonObject, outer: Ctes, tables: TableTypes): Ctes {
  const entries = list(isObject(node.cte_map) ? node.cte_map.map : undefined);
  if (!entries.length) return outer;
  const ctes = new Map(outer);
  for (const e of entries) {
    if (!isObject(e) || !isObject(e.value) || !isObject(e.value.query)) continue;
    const body = e.value.query.node;
    const cols = isObject(body) ? nodeColumns(body, ctes, tables) : null;
    ctes.set(str(e.key).toLowerCase(), renamed(cols, list(e.value.aliases)));
  }
  return ctes;
}

function renamed(columns: Item['columns'], aliases: JsonValue[]): Item['columns'] {
  if (!columns) return null;
  if (aliases.length > columns.length) return null;
  return columns.map((c, i) => (i < aliases.length ? { ...c, name: str(aliases[i]) } : c));
}

function nodeColumns(node: JsonObject, outer: Ctes, tables: TableTypes): Item['columns'] {
  const ctes = withCtes(node, outer, tables);
  if (node.type === 'SET_OPERATION_NODE') {
    if (str(node.setop_type) === 'UNION_BY_NAME') return null;
    const left = isObject(node.left) ? nodeColumns(node.left, ctes, tables) : null;
    const right = isObject(node.right) ? nodeColumns(node.right, ctes, tables) : null;
    if (!left) return null;
    // the engine reconciles the two sides' types: settled only when both agree
    return left.map((c, i) => ({
      name: c.name,
      family: c.family && right?.[i]?.family === c.family ? c.family : null,
    }));
  }
  if (node.type !== 'SELECT_NODE') return null;
  const items = fromItems(node.from_table, ctes, tables);
  const out: NonNullable<Item['columns']> = [];
  for (const e of list(node.select_list)) {
    if (!isObject(e)) return null;
    if (e.class === 'STAR') {
      const plain =
        e.columns === false &&
        !isObject(e.expr) &&
        ![e.exclude_list, e.replace_list, e.rename_list, e.qualified_exclude_list].some((l) => list(l).length);
      if (!plain || !items) return null;
      const relation = str(e.relation_name).toLowerCase();
      const chosen = relation ? items.filter((i) => i.alias.toLowerCase() === relation) : items;
      if (relation && chosen.length !== 1) return null;
      for (const item of chosen) {
        if (!item.columns) return null;
        out.push(...item.columns);
      }
      continue;
    }
    const name = str(e.alias) || (e.class === 'COLUMN_REF' ? str(list(e.column_names).at(-1)) : '') || null;
    out.push({ name, family: expressionFamily(e, items) });
  }
  return out;
}

/** FROM items in order (joins flattened); null when the FROM clause's columns cannot be listed. */
function fromItems(ref: JsonValue | undefined, ctes: Ctes, tables: TableTypes): Item[] | null {
  if (!isObject(ref)) return [];
  const alias = str(ref.alias);
  switch (ref.type) {
    case 'EMPTY':
      return [];
    case 'JOIN': {
      const plain =
        ['INNER', 'LEFT', 'RIGHT', 'OUTER'].includes(str(ref.join_type)) &&
        ['REGULAR', 'CROSS'].includes(str(ref.ref_type)) &&
        list(ref.using_columns).length === 0;
      const left = fromItems(ref.left, ctes, tables);
      const right = fromItems(ref.right, ctes, tables);
      return plain && left && right ? [...left, ...right] : null;
    }
    case 'SUBQUERY': {
      const sub = isObject(ref.subquery) && isObject(ref.subquery.node) ? ref.subquery.node : null;
      const cols = sub ? nodeColumns(sub, ctes, tables) : null;
      return [{ alias, columns: renamed(cols, list(ref.column_name_alias)) }];
    }
    case 'BASE_TABLE': {
      const table = str(ref.table_name);
      const qualified = [str(ref.catalog_name), str(ref.schema_name), table].filter(Boolean);
      let cols: Item['columns'] = null;
      if (qualified.length === 1 && ctes.has(table.toLowerCase())) cols = ctes.get(table.toLowerCase()) ?? null;
      else if (qualified.length === 3) {
        const types = tables(qualified.join('.').toLowerCase());
        cols = types ? [...types].map(([name, type]) => ({ name, family: typeFamily(type) })) : null;
      }
      return [{ alias: alias || table, columns: renamed(cols, list(ref.column_name_alias)) }];
    }
    case 'EXPRESSION_LIST': {
      const first = list(list(ref.values)[0]);
      const cols = first.map((_, i) => ({ name: `col${i}`, family: null }));
      return [{ alias, columns: renamed(cols, list(ref.column_name_alias)) }];
    }
    default:
      return null;
  }
}

function expressionFamily(e: JsonObject, items: Item[] | null): Family | null {
  switch (e.class) {
    case 'CAST':
      return isObject(e.cast_type) ? typeFamily(str(e.cast_type.id)) : null;
    case 'CONSTANT': {
      const value = isObject(e.value) ? e.value : {};
      return value.is_null === true || !isObject(value.type) ? null : typeFamily(str(value.type.id));
    }
    case 'FUNCTION': {
      const fn = str(e.function_name).toLowerCase();
      if (COUNT_FUNCTIONS.has(fn) && !isObject(e.filter) && e.distinct !== true) return 'number';
      return TEXT_FUNCTIONS.has(fn) ? 'text' : null;
    }
    case 'CASE': {
      // every branch that is not a NULL constant must settle the same family
      const branches = [...list(e.case_checks).map((c) => (isObject(c) ? c.then_expr : null)), e.else_expr];
      let found: Family | null = null;
      for (const b of branches) {
        if (!isObject(b)) return null;
        if (b.class === 'CONSTANT' && isObject(b.value) && b.value.is_null === true) continue;
        const f = expressionFamily(b, items);
        if (!f || (found && f !== found)) return null;
        found = f;
      }
      return found;
    }
    case 'COLUMN_REF':
      return columnFamily(
        list(e.column_names).map((n) => str(n).toLowerCase()),
        items,
      );
    default:
      return null;
  }
}

function columnFamily(names: string[], items: Item[] | null): Family | null {
  if (!items || names.length === 0 || names.length > 2) return null;
  const column = names.at(-1)!;
  const candidates = names.length === 2 ? items.filter((i) => i.alias.toLowerCase() === names[0]) : items;
  // an item whose columns are unknown could hold the name too
  if (candidates.some((i) => !i.columns)) return null;
  const hits = candidates.flatMap((i) => i.columns!.filter((c) => c.name?.toLowerCase() === column));
  return hits.length === 1 ? hits[0]!.family : null;
}

const NUMERIC_TEXT = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^-?(nan|inf|infinity)$/i;

/** Does one JSON value fit a column of this family? (64-bit integers and decimals come as text.) */
function fits(value: JsonValue, f: Family): boolean {
  if (value === null) return true;
  switch (f) {
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && NUMERIC_TEXT.test(value));
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string';
  }
}

/**
 * Why an answer does not match the query's shape, or null when it does: the column count, each
 * declared type against the expected family, every row's length and every value against its
 * column's declared type. Messages name positions and types, never a value.
 */
export function shapeMismatch(page: ResultPage, expected: ExpectedShape): string | null {
  const n = page.columns.length;
  if (expected.columns && expected.columns.length !== n)
    return `the query selects ${expected.columns.length} column(s), the engine answered ${n}`;
  const declared = page.columns.map((c) => typeFamily(c.type));
  for (let i = 0; i < n; i++) {
    const want = expected.columns?.[i];
    if (want && declared[i] && want !== declared[i])
      return `column ${i + 1} should be ${want}, the engine declared ${page.columns[i]!.type.slice(0, 40)}`;
  }
  for (const [r, row] of page.rows.entries()) {
    if (!Array.isArray(row) || row.length !== n)
      return `row ${r + 1} has ${Array.isArray(row) ? row.length : 'no'} values for ${n} columns`;
    for (let i = 0; i < n; i++) {
      const f = declared[i];
      if (f && !fits(row[i]!, f)) return `row ${r + 1}, column ${i + 1}: a value that is not ${f}`;
    }
  }
  return null;
}
