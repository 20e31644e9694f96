import { forbidden } from '@dataos/errors';
import type { RowFilter } from '../policies/model.js';
import type { ScanPlan } from '../policies/resolve.js';
import { deriveMaskKey, type KeyParameter, type MasterKey } from '../policies/keys.js';
import { attributeOf, type Subject } from '../policies/subject.js';
import { canonical, isObject, quoteIdent, sqlLiteral, type JsonObject, type JsonValue, type Statement } from './ast.js';
import { Lru, textBytes } from '@dataos/subgraph-kit';
import { maskExpression, type Dialect } from './masks.js';
import { CACHE_BYTES, type SqlParser } from './parser.js';
import { bindParameters, parsePredicate } from './predicate.js';
import { SCAN_ALIAS, type DatasetName } from './rewrite.js';

/** The derived table that replaces every reference to one dataset in one query. */
export interface ScanTemplate {
  /** Parsed from its own printed text, so that it is exactly what re-parsing the final SQL gives. */
  statement: Statement;
  /** Canonical JSON of `statement.node`, the form the final check compares against. */
  approved: string;
  /** The derived table's SQL; hash keys appear as parameters (`$__gw_key_...`), never as text. */
  sql: string;
  /** The derived keys its HASH masks read, bound when the query runs. */
  parameters: KeyParameter[];
}

type Value = ReturnType<typeof attributeOf>;

const list = (value: Value): (string | number | boolean)[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * A column of the physical table, always qualified with the scan's own alias: an unqualified
 * name that the table lacks (catalog drift) would otherwise bind, through DuckDB's implicit
 * LATERAL, to a column of an earlier FROM item of the user's query.
 */
export const scanColumn = (name: string): string => `${quoteIdent(SCAN_ALIAS)}.${quoteIdent(name)}`;

/**
 * One structured filter as SQL. A missing column or a missing subject attribute makes the
 * filter FALSE: no row rather than every row.
 */
export function filterSql(filter: RowFilter, columns: ReadonlyMap<string, string>, subject: Subject): string {
  const column = columns.get(String(filter.column).toLowerCase());
  if (!column) return 'FALSE';
  const col = scanColumn(column);
  const value: Value = filter.valueFrom ? attributeOf(subject, filter.valueFrom) : (filter.value as Value);
  const values = list(value);
  const scalar = !Array.isArray(value) && value !== undefined ? value : undefined;
  const inList = (negate: boolean) =>
    values.length === 0 ? 'FALSE' : `${col} ${negate ? 'NOT IN' : 'IN'} (${values.map(sqlLiteral).join(', ')})`;
  const compare = (op: string) => (scalar === undefined ? 'FALSE' : `${col} ${op} ${sqlLiteral(scalar)}`);
  switch (filter.operator) {
    case 'is_null':
      return `${col} IS NULL`;
    case 'is_not_null':
      return `${col} IS NOT NULL`;
    case 'in':
      return inList(false);
    case 'not_in':
      return inList(true);
    case 'equals':
      return Array.isArray(value) ? inList(false) : compare('=');
    case 'not_equals':
      return Array.isArray(value) ? inList(true) : compare('<>');
    case 'less_than':
      return compare('<');
    case 'less_or_equal':
      return compare('<=');
    case 'greater_than':
      return compare('>');
    case 'greater_or_equal':
      return compare('>=');
    case 'like':
      return typeof scalar === 'string' ? `${col} LIKE ${sqlLiteral(scalar)}` : 'FALSE';
    default:
      return 'FALSE';
  }
}

/** `$region` → claim `region`; `$subject_id` → subject.id; `$claims_x` → claim `x`; `$tags_p` → tags.p. */
export function parameterAttribute(name: string): string {
  const m = /^(subject|claims|tags)_(.+)$/.exec(name);
  return m ? `${m[1]}.${m[2]}` : name;
}

/** Builds, prints, re-parses and caches the derived tables of scans. */
export class ScanBuilder {
  private readonly cache: Lru<string, { statement: string; approved: string; sql: string }> | undefined;

  constructor(
    private readonly parser: SqlParser,
    cacheSize = 1000,
  ) {
    this.cache =
      cacheSize > 0
        ? new Lru({
            max: cacheSize,
            maxBytes: CACHE_BYTES,
            sizeOf: (t, key) => textBytes(key, t.statement, t.approved, t.sql),
          })
        : undefined;
  }

  async build(
    name: DatasetName,
    plan: ScanPlan,
    subject: Subject,
    dialect: Dialect,
    master: MasterKey,
  ): Promise<ScanTemplate> {
    if (plan.columns.length === 0) {
      throw forbidden(`${name.urn} has no catalogued columns: it cannot be queried.`, { reason: 'NO_COLUMNS' });
    }
    const columns = new Map<string, string>();
    for (const c of plan.columns) {
      const key = c.name.toLowerCase();
      const other = columns.get(key);
      // SQL names are case-insensitive: `email` (tagged) and `EMAIL` (untagged) would read the
      // same physical column, the second one in clear.
      if (other !== undefined) {
        throw forbidden(
          `${name.urn} lists the columns "${other}" and "${c.name}", which SQL cannot tell apart: fix the catalog entry.`,
          {
            reason: 'DUPLICATE_COLUMNS',
            columns: [other, c.name],
          },
        );
      }
      columns.set(key, c.name);
    }
    const parameters = new Map<string, KeyParameter>();
    const select = plan.columns.map((c) => {
      const col = scanColumn(c.name);
      let key = 'NULL';
      if (c.mask?.spec.operator === 'hash') {
        const p = deriveMaskKey(master, c.mask.policy, c.mask.spec.keyScope === 'dataset' ? name.urn : null);
        parameters.set(p.name, p);
        key = `$${p.name}`;
      }
      const expr = c.mask ? maskExpression(c.mask.spec, col, c.type, dialect, key) : col;
      return `${expr} AS ${quoteIdent(c.name)}`;
    });
    const conditions: string[] = [];
    const predicates: JsonObject[] = [];
    for (const f of plan.filters) {
      for (const filter of f.filters) {
        if (filter.predicate) {
          const parsed = await parsePredicate(this.parser, filter.predicate, `dataPolicy.${f.policy}`);
          if (!parsed.columns.every((c) => columns.has(c))) {
            conditions.push('FALSE');
            continue;
          }
          // A missing or list-valued attribute makes the whole predicate FALSE: bound to NULL,
          // `$region IS NULL OR region = $region` would show every row to a subject without one.
          const values = parsed.parameters.map((p) => attributeOf(subject, parameterAttribute(p)));
          if (values.some((v) => v === undefined || Array.isArray(v))) {
            conditions.push('FALSE');
            continue;
          }
          const constants = new Map<string, JsonObject>();
          for (const [i, p] of parsed.parameters.entries())
            constants.set(p, await this.constant(values[i] as string | number | boolean));
          predicates.push(qualifyColumns(bindParameters(parsed.expression, (id) => constants.get(id)!)) as JsonObject);
        } else {
          conditions.push(filterSql(filter, columns, subject));
        }
      }
    }
    const table = [name.depot, name.collection, name.dataset].map(quoteIdent).join('.');
    const where = conditions.length ? ` WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : '';
    const text = `SELECT ${select.join(', ')} FROM ${table} AS ${SCAN_ALIAS}${where}`;
    const key = predicates.length ? `${text}\u0000${canonical(predicates)}` : text;
    let cached = this.cache?.get(key);
    if (!cached) {
      const [statement] = await this.parser.parse(text);
      if (predicates.length) {
        const node = statement!.node;
        const existing = isObject(node.where_clause) ? [node.where_clause] : [];
        const children = [...existing, ...predicates];
        node.where_clause =
          children.length === 1
            ? children[0]!
            : { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', alias: '', query_location: 0, children };
      }
      guardColumns(statement!.node);
      const sql = await this.parser.print(statement!);
      const [reparsed] = await this.parser.parse(sql);
      cached = { statement: JSON.stringify(reparsed), approved: canonical(reparsed!.node), sql };
      this.cache?.set(key, cached);
    }
    return {
      statement: JSON.parse(cached.statement) as Statement,
      approved: cached.approved,
      sql: cached.sql,
      parameters: [...parameters.values()],
    };
  }

  private async constant(value: string | number | boolean | null): Promise<JsonObject> {
    const [statement] = await this.parser.parse(`SELECT ${sqlLiteral(value)}`);
    return (statement!.node.select_list as JsonObject[])[0]!;
  }
}

/** Prefixes every column of a policy predicate with the scan alias (see `scanColumn`). */
function qualifyColumns(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(qualifyColumns);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = qualifyColumns(v);
  if (value.class === 'COLUMN_REF' && Array.isArray(value.column_names) && value.column_names.length === 1) {
    out.column_names = [SCAN_ALIAS, value.column_names[0]!];
  }
  return out;
}

const NULL_CONSTANT: JsonObject = {
  class: 'CONSTANT',
  type: 'VALUE_CONSTANT',
  alias: '',
  query_location: 0,
  value: { type: { id: 'NULL', type_info: null }, is_null: true },
};

/**
 * With row filters, every exposed column becomes `CASE WHEN <filters> THEN <expr> END`, on top
 * of the WHERE. DuckDB has no security barrier: it may evaluate a user predicate in the same
 * FILTER as the row filter, in its own (cost) order, so a predicate that fails or is slow on a
 * value would reveal hidden rows. Guarded, a hidden row shows the user's predicate only NULLs
 * (CASE evaluates its THEN on the rows whose WHEN holds); visible rows get the same values.
 */
function guardColumns(node: JsonObject): void {
  const where = node.where_clause;
  if (!isObject(where) || !Array.isArray(node.select_list)) return;
  node.select_list = node.select_list.map((item) => {
    const expr = item as JsonObject;
    return {
      class: 'CASE',
      type: 'CASE_EXPR',
      alias: expr.alias ?? '',
      query_location: 0,
      case_checks: [{ when_expr: structuredClone(where), then_expr: { ...expr, alias: '' } }],
      else_expr: NULL_CONSTANT,
    };
  });
}
