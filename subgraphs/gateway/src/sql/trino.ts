import { forbidden } from '@dataos/errors';
import { COMPARISON_OPERATORS, items as list, text as str } from '@dataos/sql-tree';
import { isObject, quoteIdent, quoteLiteral, type JsonObject, type JsonValue, type Statement } from './ast.js';
import { numberText } from './numbers.js';

/**
 * Prints a verified parse tree as Trino SQL (parameters as `?`, their names pushed to `parameters`). DuckDB's own printer writes DuckDB-isms Trino does
 * not read (`count_star()`, `a ~~ b` for LIKE, `main.date_part`, `to_days(...)` for intervals),
 * so Trino clusters get the same verified tree printed here. Only the constructs the Gateway
 * allows are known; anything else (or without a Trino equivalent: QUALIFY, GROUP BY ALL,
 * NATURAL or POSITIONAL joins, SELECT * EXCLUDE, ...) is refused for Trino clusters.
 */
export function printTrino(statement: Statement, parameters: string[] = []): string {
  printed = parameters;
  try {
    return query(statement.node);
  } finally {
    printed = [];
  }
}

/** Names of the `?` parameters of the statement being printed, in order (printing is synchronous). */
let printed: string[] = [];

const unsupported = (what: string) =>
  forbidden(`${what} is not supported on Trino clusters.`, { field: 'sql', reason: 'NOT_SUPPORTED_ON_ENGINE' });

const obj = (v: JsonValue | undefined, what: string): JsonObject => {
  if (!isObject(v)) throw unsupported(what);
  return v;
};

const withAlias = (sql: string, alias: JsonValue | undefined) =>
  str(alias) ? `${sql} AS ${quoteIdent(str(alias))}` : sql;

function ctes(node: JsonObject): string {
  const entries = list(obj(node.cte_map, 'WITH').map);
  if (entries.length === 0) return '';
  const parts = entries.map((e) => {
    const entry = obj(e, 'WITH');
    const value = obj(entry.value, 'WITH');
    const aliases = list(value.aliases).map((a) => quoteIdent(String(a)));
    const body = obj(value.query, 'WITH').node;
    return `${quoteIdent(str(entry.key))}${aliases.length ? `(${aliases.join(', ')})` : ''} AS (${query(obj(body, 'WITH'))})`;
  });
  return `WITH ${parts.join(', ')} `;
}

function modifiers(node: JsonObject): { distinct: boolean; tail: string } {
  let distinct = false;
  let order = '';
  let limit = '';
  let offset = '';
  for (const m of list(node.modifiers)) {
    const mod = obj(m, 'a modifier');
    if (mod.type === 'DISTINCT_MODIFIER') {
      if (list(mod.distinct_on_targets).length) throw unsupported('DISTINCT ON');
      distinct = true;
    } else if (mod.type === 'ORDER_MODIFIER') {
      order = ` ORDER BY ${orders(mod.orders)}`;
    } else if (mod.type === 'LIMIT_MODIFIER') {
      if (isObject(mod.limit)) limit = ` LIMIT ${expr(mod.limit)}`;
      if (isObject(mod.offset)) offset = ` OFFSET ${expr(mod.offset)}`;
    } else {
      throw unsupported(String(mod.type));
    }
  }
  // Trino: ORDER BY, then OFFSET, then LIMIT.
  return { distinct, tail: `${order}${offset}${limit}` };
}

function orders(value: JsonValue | undefined): string {
  return list(value)
    .map((o) => {
      const order = obj(o, 'ORDER BY');
      const dir = order.type === 'DESCENDING' ? ' DESC' : order.type === 'ASCENDING' ? ' ASC' : '';
      const nulls =
        order.null_order === 'NULLS_FIRST' ? ' NULLS FIRST' : order.null_order === 'NULLS_LAST' ? ' NULLS LAST' : '';
      return `${expr(order.expression)}${dir}${nulls}`;
    })
    .join(', ');
}

function query(node: JsonObject): string {
  const { distinct, tail } = modifiers(node);
  const prefix = ctes(node);
  if (node.type === 'SET_OPERATION_NODE') {
    const op = str(node.setop_type);
    if (!['UNION', 'EXCEPT', 'INTERSECT'].includes(op)) throw unsupported(op.replaceAll('_', ' '));
    const all = node.setop_all === true ? ' ALL' : op === 'UNION' ? '' : ' DISTINCT';
    const sides = list(node.children).length ? list(node.children) : [node.left, node.right];
    return `${prefix}${sides.map((s) => `(${query(obj(s, 'a set operation'))})`).join(` ${op}${all} `)}${tail}`;
  }
  if (node.type !== 'SELECT_NODE') throw unsupported(String(node.type));
  if (isObject(node.qualify)) throw unsupported('QUALIFY');
  if (isObject(node.sample)) throw unsupported('USING SAMPLE');
  if (node.aggregate_handling !== 'STANDARD_HANDLING') throw unsupported('GROUP BY ALL');
  const select = list(node.select_list)
    .map((e) => withAlias(expr(e), obj(e, 'a column').alias))
    .join(', ');
  const from = fromClause(obj(node.from_table, 'FROM'));
  const where = isObject(node.where_clause) ? ` WHERE ${expr(node.where_clause)}` : '';
  const groups = list(node.group_expressions).map((g) => expr(g));
  const sets = list(node.group_sets).map((s) => list(s).map(Number));
  let groupBy = '';
  if (groups.length) {
    const single = sets.length <= 1 && (sets[0]?.length ?? groups.length) === groups.length;
    groupBy = single
      ? ` GROUP BY ${groups.join(', ')}`
      : ` GROUP BY GROUPING SETS (${sets.map((s) => `(${s.map((i) => groups[i]).join(', ')})`).join(', ')})`;
  }
  const having = isObject(node.having) ? ` HAVING ${expr(node.having)}` : '';
  return `${prefix}SELECT ${distinct ? 'DISTINCT ' : ''}${select}${from ? ` FROM ${from}` : ''}${where}${groupBy}${having}${tail}`;
}

function fromClause(ref: JsonObject): string {
  if (isObject(ref.sample)) throw unsupported('TABLESAMPLE');
  const columns = list(ref.column_name_alias).map((c) => quoteIdent(String(c)));
  const aliased = (sql: string) => {
    const alias = str(ref.alias);
    if (!alias) return sql;
    return `${sql} AS ${quoteIdent(alias)}${columns.length ? `(${columns.join(', ')})` : ''}`;
  };
  switch (ref.type) {
    case 'EMPTY':
      return '';
    case 'BASE_TABLE':
      return aliased(
        [ref.catalog_name, ref.schema_name, ref.table_name].map(str).filter(Boolean).map(quoteIdent).join('.'),
      );
    case 'SUBQUERY':
      return aliased(`(${query(obj(obj(ref.subquery, 'a subquery').node, 'a subquery'))})`);
    case 'EXPRESSION_LIST': {
      const rows = list(ref.values).map((r) => `(${list(r).map(expr).join(', ')})`);
      return aliased(`(VALUES ${rows.join(', ')})`);
    }
    case 'JOIN': {
      const left = fromClause(obj(ref.left, 'JOIN'));
      const right = fromClause(obj(ref.right, 'JOIN'));
      const refType = str(ref.ref_type);
      if (refType === 'CROSS') return `${left} CROSS JOIN ${right}`;
      if (refType === 'DEPENDENT') return `${left} CROSS JOIN LATERAL ${right}`;
      if (refType !== 'REGULAR') throw unsupported(`${refType} JOIN`);
      const kind = ({ INNER: 'INNER', LEFT: 'LEFT', RIGHT: 'RIGHT', OUTER: 'FULL' } as Record<string, string>)[
        str(ref.join_type)
      ];
      if (!kind) throw unsupported(`${str(ref.join_type)} JOIN`);
      const using = list(ref.using_columns).map((c) => quoteIdent(String(c)));
      const on = using.length
        ? ` USING (${using.join(', ')})`
        : isObject(ref.condition)
          ? ` ON ${expr(ref.condition)}`
          : ' ON TRUE';
      return `${left} ${kind} JOIN ${right}${on}`;
    }
    default:
      throw unsupported(`This table reference (${String(ref.type)})`);
  }
}

const INFIX: Record<string, string> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '||': '||' };
const LIKE: Record<string, [negate: boolean, insensitive: boolean]> = {
  '~~': [false, false],
  '!~~': [true, false],
  '~~*': [false, true],
  '!~~*': [true, true],
};

function typeName(t: JsonObject): string {
  const id = str(t.id);
  const simple: Record<string, string> = {
    VARCHAR: 'varchar',
    INTEGER: 'integer',
    BIGINT: 'bigint',
    SMALLINT: 'smallint',
    TINYINT: 'tinyint',
    DOUBLE: 'double',
    FLOAT: 'real',
    BOOLEAN: 'boolean',
    DATE: 'date',
    TIMESTAMP: 'timestamp',
    BLOB: 'varbinary',
    TIME: 'time',
    'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
  };
  if (simple[id]) return simple[id];
  if (id === 'DECIMAL' && isObject(t.type_info))
    return `decimal(${Number(t.type_info.width)}, ${Number(t.type_info.scale)})`;
  throw unsupported(`The type ${id}`);
}

function constant(value: JsonObject): string {
  const v = obj(value.value, 'a constant');
  if (v.is_null === true) return 'NULL';
  const type = obj(v.type, 'a constant');
  const raw = v.value;
  switch (type.id) {
    case 'VARCHAR':
      return quoteLiteral(String(raw));
    case 'BOOLEAN':
      return raw ? 'TRUE' : 'FALSE';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
    case 'HUGEINT':
    case 'UBIGINT':
    case 'UINTEGER':
      return numberText(raw);
    case 'DOUBLE':
    case 'FLOAT':
      if (!Number.isFinite(Number(numberText(raw)))) throw unsupported('A non-finite number');
      return `${Number(numberText(raw)).toExponential()}`.replace('e+', 'E').replace('e-', 'E-');
    case 'DECIMAL': {
      const info = obj(type.type_info, 'a decimal');
      const digits = numberText(raw);
      const scale = Number(info.scale);
      const negative = digits.startsWith('-');
      const abs = (negative ? digits.slice(1) : digits).padStart(scale + 1, '0');
      const text = scale ? `${abs.slice(0, abs.length - scale)}.${abs.slice(abs.length - scale)}` : abs;
      // A plain decimal literal is a DECIMAL in Trino (and in DuckDB).
      return `${negative ? '-' : ''}${text}`;
    }
    default:
      throw unsupported(`A ${String(type.id)} constant`);
  }
}

/** DuckDB functions whose Trino counterpart has the same meaning under another name. */
const TRINO_NAMES: Record<string, string> = { arg_max: 'max_by', arg_min: 'min_by' };

function fn(node: JsonObject): string {
  const name = str(node.function_name).toLowerCase();
  const args = list(node.children).map(expr);
  if (node.is_operator === true) {
    if (INFIX[name] && args.length === 2) return `(${args[0]} ${INFIX[name]} ${args[1]})`;
    if (name === '-' && args.length === 1) return `(- ${args[0]})`;
    const like = LIKE[name];
    if (like && args.length === 2) {
      const [negate, insensitive] = like;
      const [a, b] = insensitive ? [`lower(${args[0]})`, `lower(${args[1]})`] : args;
      return `(${a} ${negate ? 'NOT ' : ''}LIKE ${b})`;
    }
    if (name === '^' || name === '**') return `power(${args.join(', ')})`;
    throw unsupported(`The operator ${name}`);
  }
  if (name === 'count_star' && args.length === 0) return `count(*)${filterOf(node)}`;
  if (name === 'date_part' && args.length === 2 && /^'[a-z]+'$/.test(args[0]!))
    return `EXTRACT(${args[0]!.slice(1, -1).toUpperCase()} FROM ${args[1]})`;
  if (name === 'list_value') return `ARRAY[${args.join(', ')}]`;
  if (name === 'row') return `ROW(${args.join(', ')})`;
  if (name === 'regexp_full_match' && args.length === 2) return `regexp_like(${args[0]}, '^(?:' || ${args[1]} || ')$')`;
  if (
    name === 'struct_pack' ||
    (name.startsWith('to_') && /^(to_days|to_hours|to_minutes|to_seconds|to_months|to_years|to_weeks)$/.test(name))
  ) {
    throw unsupported(`${name} (struct literals and intervals)`);
  }
  const distinct = node.distinct === true ? 'DISTINCT ' : '';
  const order =
    isObject(node.order_bys) && list(node.order_bys.orders).length ? ` ORDER BY ${orders(node.order_bys.orders)}` : '';
  return `${TRINO_NAMES[name] ?? name}(${distinct}${args.join(', ')}${order})${filterOf(node)}`;
}

const filterOf = (node: JsonObject) => (isObject(node.filter) ? ` FILTER (WHERE ${expr(node.filter)})` : '');

const FRAME: Record<string, (e: string) => string> = {
  UNBOUNDED_PRECEDING: () => 'UNBOUNDED PRECEDING',
  UNBOUNDED_FOLLOWING: () => 'UNBOUNDED FOLLOWING',
  CURRENT_ROW_ROWS: () => 'CURRENT ROW',
  CURRENT_ROW_RANGE: () => 'CURRENT ROW',
  EXPR_PRECEDING_ROWS: (e) => `${e} PRECEDING`,
  EXPR_FOLLOWING_ROWS: (e) => `${e} FOLLOWING`,
  EXPR_PRECEDING_RANGE: (e) => `${e} PRECEDING`,
  EXPR_FOLLOWING_RANGE: (e) => `${e} FOLLOWING`,
};

function windowFn(node: JsonObject): string {
  if (
    node.ignore_nulls === true ||
    isObject(node.filter_expr) ||
    node.distinct === true ||
    list(node.arg_orders).length ||
    (node.exclude_clause && node.exclude_clause !== 'NO_OTHER')
  ) {
    throw unsupported('This window function option');
  }
  const name = str(node.function_name).toLowerCase();
  const args = list(node.children).map(expr);
  if (isObject(node.offset_expr)) args.push(expr(node.offset_expr));
  if (isObject(node.default_expr)) args.push(expr(node.default_expr));
  const over: string[] = [];
  const partitions = list(node.partitions).map(expr);
  if (partitions.length) over.push(`PARTITION BY ${partitions.join(', ')}`);
  if (list(node.orders).length) over.push(`ORDER BY ${orders(node.orders)}`);
  const start = str(node.start);
  const end = str(node.end);
  const isDefault = (start === 'UNBOUNDED_PRECEDING' || start === '') && (end === 'CURRENT_ROW_RANGE' || end === '');
  if (!isDefault) {
    const unit = start.endsWith('_RANGE') || end.endsWith('_RANGE') ? 'RANGE' : 'ROWS';
    const bound = (kind: string, e: JsonValue | undefined) => {
      const f = FRAME[kind];
      if (!f) throw unsupported('This window frame');
      return f(isObject(e) ? expr(e) : '');
    };
    over.push(`${unit} BETWEEN ${bound(start, node.start_expr)} AND ${bound(end, node.end_expr)}`);
  }
  return `${name === 'count_star' ? 'count(*)' : `${name}(${args.join(', ')})`} OVER (${over.join(' ')})`;
}

function expr(value: JsonValue | undefined): string {
  const node = obj(value, 'an expression');
  switch (node.class) {
    case 'CONSTANT':
      return constant(node);
    case 'COLUMN_REF':
      return list(node.column_names)
        .map((c) => quoteIdent(String(c)))
        .join('.');
    case 'PARAMETER':
      // Only the Gateway's own hash keys reach here (verified); Trino binds `?` by position.
      printed.push(str(node.identifier));
      return '?';
    case 'STAR': {
      if (
        node.columns === true ||
        list(node.exclude_list).length ||
        list(node.replace_list).length ||
        list(node.rename_list).length ||
        list(node.qualified_exclude_list).length
      ) {
        throw unsupported('SELECT * EXCLUDE / REPLACE / COLUMNS()');
      }
      return str(node.relation_name) ? `${quoteIdent(str(node.relation_name))}.*` : '*';
    }
    case 'FUNCTION':
      return fn(node);
    case 'WINDOW':
      return windowFn(node);
    case 'CAST':
      return `${node.try_cast === true ? 'TRY_CAST' : 'CAST'}(${expr(node.child)} AS ${typeName(obj(node.cast_type, 'a type'))})`;
    case 'COMPARISON': {
      const op = COMPARISON_OPERATORS[str(node.type)];
      if (!op) throw unsupported(str(node.type));
      return `(${expr(node.left)} ${op} ${expr(node.right)})`;
    }
    case 'CONJUNCTION':
      return `(${list(node.children)
        .map(expr)
        .join(node.type === 'CONJUNCTION_OR' ? ' OR ' : ' AND ')})`;
    case 'OPERATOR': {
      const args = list(node.children).map(expr);
      switch (node.type) {
        case 'OPERATOR_NOT':
          return `(NOT ${args[0]})`;
        case 'OPERATOR_IS_NULL':
          return `(${args[0]} IS NULL)`;
        case 'OPERATOR_IS_NOT_NULL':
          return `(${args[0]} IS NOT NULL)`;
        case 'COMPARE_IN':
          return `(${args[0]} IN (${args.slice(1).join(', ')}))`;
        case 'COMPARE_NOT_IN':
          return `(${args[0]} NOT IN (${args.slice(1).join(', ')}))`;
        case 'OPERATOR_COALESCE':
          return `coalesce(${args.join(', ')})`;
        case 'ARRAY_EXTRACT':
          return `${args[0]}[${args[1]}]`;
        default:
          throw unsupported(`The operator ${String(node.type)}`);
      }
    }
    case 'CASE': {
      const checks = list(node.case_checks).map((c) => {
        const check = obj(c, 'CASE');
        return `WHEN ${expr(check.when_expr)} THEN ${expr(check.then_expr)}`;
      });
      return `CASE ${checks.join(' ')} ELSE ${expr(node.else_expr)} END`;
    }
    case 'SUBQUERY': {
      const sub = query(obj(obj(node.subquery, 'a subquery').node, 'a subquery'));
      switch (node.subquery_type) {
        case 'SCALAR':
          return `(${sub})`;
        case 'EXISTS':
          return `EXISTS (${sub})`;
        case 'NOT_EXISTS':
          return `NOT EXISTS (${sub})`;
        case 'ANY':
        case 'ALL': {
          const op = COMPARISON_OPERATORS[str(node.comparison_type)];
          if (!op) throw unsupported('This subquery comparison');
          if (node.subquery_type === 'ANY' && op === '=') return `(${expr(node.child)} IN (${sub}))`;
          return `(${expr(node.child)} ${op} ${String(node.subquery_type)} (${sub}))`;
        }
        default:
          throw unsupported(`${String(node.subquery_type)} subqueries`);
      }
    }
    case 'BETWEEN':
      return `(${expr(node.input)} BETWEEN ${expr(node.lower)} AND ${expr(node.upper)})`;
    default:
      throw unsupported(`This expression (${String(node.class)})`);
  }
}
