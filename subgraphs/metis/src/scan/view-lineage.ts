import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import {
  COMPARISON_OPERATORS,
  isObject as isObj,
  openParserDb,
  runText,
  SERIALIZE_SQL,
  text as str,
  type JsonObject as Obj,
  type JsonValue as Json,
} from '@dataos/sql-tree';

/**
 * Column-level lineage of a view from its SQL, through DuckDB's parser (`json_serialize_sql`, the
 * parser the Gateway checks queries with), on a parser-only DuckDB (`@dataos/sql-tree`) that
 * holds no data and runs nothing: only the parse tree is read. PostgreSQL's `pg_get_viewdef` and Trino's view
 * text parse as DuckDB SQL for the constructs views use (joins, casts, `||`, aggregates, CTEs,
 * set operations); a view that does not parse gets no column edges, and the scan says so.
 */

/** A column of a table or view of the scanned catalog: `collection.table.column`, lower-cased. */
export interface SourceColumn {
  collection: string;
  table: string;
  column: string;
}

export interface ViewColumnLineage {
  /** The view's column, by position in its select list (names come from the catalog). */
  position: number;
  sources: SourceColumn[];
  /** The expression when it is more than a plain column reference (`lower(c.email)`). */
  transformation: string | null;
}

/** Columns of a table in the scanned catalog, by (collection, table), for `*` and unqualified names. */
export type ColumnLookup = (collection: string, table: string) => string[] | undefined;

interface Relation {
  /** Its columns in order, each with where it comes from. */
  columns: { name: string; sources: SourceColumn[] }[];
}

const MAX_DEPTH = 32;

export class ViewParser {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async create(): Promise<ViewParser> {
    const instance = await openParserDb();
    return new ViewParser(instance, await instance.connect());
  }

  /** The view's query node, or null when DuckDB cannot parse it. */
  async parse(sql: string): Promise<Obj | null> {
    const statement = await this.connection.prepare(SERIALIZE_SQL);
    try {
      const answer = JSON.parse(await runText(statement, sql.trim().replace(/;\s*$/, ''))) as {
        error?: boolean;
        statements?: Obj[];
      };
      const node = answer.statements?.[0]?.node;
      return !answer.error && isObj(node) ? node : null;
    } finally {
      statement.destroySync();
    }
  }

  /**
   * Per output column of the view: the source columns its expression reads (not those of joins
   * or filters, which decide rows, not values). `defaultCollection` resolves unqualified tables.
   */
  async lineage(sql: string, defaultCollection: string, lookup: ColumnLookup): Promise<ViewColumnLineage[] | null> {
    const node = await this.parse(sql);
    if (!node) return null;
    const relation = queryRelation(node, new Map(), { defaultCollection, lookup }, 0);
    return relation.columns.map((c, position) => ({
      position,
      sources: dedupe(c.sources),
      transformation: transformations.get(c) ?? null,
    }));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

interface Env {
  defaultCollection: string;
  lookup: ColumnLookup;
}

// The expression behind an output column, kept beside it without widening Relation's shape.
const transformations = new WeakMap<object, string>();

const dedupe = (sources: SourceColumn[]) => {
  const seen = new Map<string, SourceColumn>();
  for (const s of sources) seen.set(`${s.collection}.${s.table}.${s.column}`, s);
  return [...seen.values()];
};

function queryRelation(node: Obj, ctes: Map<string, Relation>, env: Env, depth: number): Relation {
  if (depth > MAX_DEPTH) return { columns: [] };
  const scopeCtes = new Map(ctes);
  const cteMap = isObj(node.cte_map) && Array.isArray(node.cte_map.map) ? node.cte_map.map : [];
  for (const entry of cteMap) {
    if (!isObj(entry) || !isObj(entry.value) || !isObj(entry.value.query)) continue;
    const q = entry.value.query;
    if (isObj(q.node)) scopeCtes.set(str(entry.key).toLowerCase(), queryRelation(q.node, scopeCtes, env, depth + 1));
  }
  if (node.type === 'SET_OPERATION_NODE') {
    const left = isObj(node.left) ? queryRelation(node.left, scopeCtes, env, depth + 1) : { columns: [] };
    const right = isObj(node.right) ? queryRelation(node.right, scopeCtes, env, depth + 1) : { columns: [] };
    return {
      columns: left.columns.map((c, i) => ({
        name: c.name,
        sources: [...c.sources, ...(right.columns[i]?.sources ?? [])],
      })),
    };
  }
  if (node.type !== 'SELECT_NODE') return { columns: [] };
  const scope = new Map<string, Relation>();
  if (isObj(node.from_table)) addTableRef(node.from_table, scope, scopeCtes, env, depth);
  const columns: Relation['columns'] = [];
  for (const expr of Array.isArray(node.select_list) ? node.select_list : []) {
    if (!isObj(expr)) continue;
    if (expr.class === 'STAR') {
      const relation = Array.isArray(expr.relation_name) ? undefined : str(expr.relation_name).toLowerCase();
      for (const [alias, rel] of scope) if (!relation || relation === alias) columns.push(...rel.columns);
      continue;
    }
    const refs: string[][] = [];
    collectRefs(expr, refs, 0);
    const sources = refs.flatMap((names) => resolve(names, scope));
    const name = str(expr.alias) || (expr.class === 'COLUMN_REF' ? refs[0]!.at(-1)! : `column${columns.length}`);
    const column = { name: name.toLowerCase(), sources };
    if (expr.class !== 'COLUMN_REF') transformations.set(column, print(expr, 0));
    columns.push(column);
  }
  return { columns };
}

function addTableRef(ref: Obj, scope: Map<string, Relation>, ctes: Map<string, Relation>, env: Env, depth: number) {
  switch (ref.type) {
    case 'BASE_TABLE': {
      const table = str(ref.table_name).toLowerCase();
      const schema = str(ref.schema_name).toLowerCase();
      const alias = (str(ref.alias) || table).toLowerCase();
      const cte = !schema ? ctes.get(table) : undefined;
      if (cte) {
        scope.set(alias, cte);
        return;
      }
      const collection = schema || env.defaultCollection;
      const names = env.lookup(collection, table) ?? [];
      scope.set(alias, {
        columns: names.map((column) => ({ name: column, sources: [{ collection, table, column }] })),
      });
      return;
    }
    case 'JOIN':
      if (isObj(ref.left)) addTableRef(ref.left, scope, ctes, env, depth);
      if (isObj(ref.right)) addTableRef(ref.right, scope, ctes, env, depth);
      return;
    case 'SUBQUERY': {
      const sub = isObj(ref.subquery) && isObj(ref.subquery.node) ? ref.subquery.node : null;
      if (sub) scope.set(str(ref.alias).toLowerCase(), queryRelation(sub, ctes, env, depth + 1));
      return;
    }
    default:
      // Table functions, VALUES lists and the like bring no catalog columns.
      return;
  }
}

/** Column references in an expression (not inside its scalar subqueries, which read other tables). */
function collectRefs(value: Json, out: string[][], depth: number): void {
  if (depth > MAX_DEPTH * 4) return;
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out, depth + 1);
    return;
  }
  if (!isObj(value)) return;
  if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names)) {
    out.push(value.column_names.map((n) => str(n).toLowerCase()));
    return;
  }
  if (value.class === 'SUBQUERY') return;
  for (const [key, v] of Object.entries(value)) if (key !== 'query_location') collectRefs(v, out, depth + 1);
}

function resolve(names: string[], scope: Map<string, Relation>): SourceColumn[] {
  const column = names.at(-1)!;
  const find = (rel: Relation | undefined) => rel?.columns.find((c) => c.name === column)?.sources ?? [];
  if (names.length >= 2) {
    const found = find(scope.get(names.at(-2)!));
    if (found.length) return found;
  }
  // Unqualified (or qualified by a name not in scope): the one relation that has the column.
  for (const rel of scope.values()) {
    const found = find(rel);
    if (found.length) return found;
  }
  return [];
}

const INFIX = new Set(['||', '+', '-', '*', '/', '%', '~~', '!~~']);

/** A short readable form of an expression for the edge's `transformation` (casts left out). */
function print(e: Json, depth: number): string {
  if (!isObj(e) || depth > 12) return '…';
  const args = (Array.isArray(e.children) ? e.children : []).map((c) => print(c, depth + 1));
  switch (e.class) {
    case 'COLUMN_REF':
      return Array.isArray(e.column_names) ? e.column_names.map(str).join('.') : '?';
    case 'CONSTANT': {
      const v = isObj(e.value) ? e.value : {};
      return v.is_null ? 'NULL' : typeof v.value === 'string' ? `'${v.value}'` : String(v.value ?? '');
    }
    case 'CAST':
      return print(e.child ?? null, depth + 1);
    case 'FUNCTION': {
      const name = str(e.function_name);
      if (INFIX.has(name) && args.length === 2) return `${args[0]} ${name} ${args[1]}`;
      return `${name}(${e.distinct ? 'DISTINCT ' : ''}${args.join(', ')})`;
    }
    case 'COMPARISON':
      return `${print(e.left ?? null, depth + 1)} ${COMPARISON_OPERATORS[str(e.type)] ?? '?'} ${print(e.right ?? null, depth + 1)}`;
    case 'CASE':
      return 'CASE …';
    case 'WINDOW':
      return `${str(e.function_name)}(…) OVER (…)`;
    case 'OPERATOR':
      return `${str(e.type)
        .replace(/^OPERATOR_/, '')
        .toLowerCase()}(${args.join(', ')})`;
    default:
      return str(e.class).toLowerCase() || '…';
  }
}
