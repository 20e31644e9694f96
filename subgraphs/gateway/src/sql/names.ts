import { randomBytes } from 'node:crypto';
import { isObject, type JsonObject, type JsonValue, type Statement } from './ast.js';

/**
 * Result column names from the caller's own query. DuckDB names an unaliased select-list
 * expression by its printed text, and so do struct keys (`SELECT t FROM (SELECT ...) t`), casts
 * of whole rows, `to_json` and `COLUMNS('<regex>')`. After rewriting, an expression holding a
 * subquery would print the rewritten SQL (masks, filters, `__gw` names) instead: so at every
 * SELECT level, such an expression gets the caller's own text as an explicit alias, printed from
 * the tree as parsed, before anything is rewritten. Aliases only where the text would change:
 * an alias is a name other clauses can reference, and a plain `max(email)` keeps DuckDB's own
 * naming untouched.
 */
export interface PendingName {
  /** The select-list expression of the tree that will be rewritten (its alias is set later). */
  target: JsonObject;
  /** A copy taken before rewriting, printed for its name. */
  original: JsonObject;
}

/** Would this expression print differently once rewritten? (subqueries; DOUBLE constants, see keepDoubleType) */
function changesWhenRewritten(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(changesWhenRewritten);
  if (!isObject(value)) return false;
  if (value.class === 'SUBQUERY') return true;
  if (value.class === 'CONSTANT') {
    const type = isObject(value.value) && isObject(value.value.type) ? value.value.type.id : null;
    return type === 'DOUBLE' || type === 'FLOAT';
  }
  return Object.values(value).some(changesWhenRewritten);
}

/** Finds, in the tree as parsed, every unaliased select-list expression whose name rewriting would change. */
export function pendingNames(statement: Statement): PendingName[] {
  const out: PendingName[] = [];
  const visit = (value: JsonValue): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    if (value.type === 'SELECT_NODE' && Array.isArray(value.select_list)) {
      for (const item of value.select_list) {
        if (!isObject(item) || item.alias || item.class === 'STAR' || item.class === 'COLUMN_REF') continue;
        if (changesWhenRewritten(item)) out.push({ target: item, original: structuredClone(item) });
      }
    }
    Object.values(value).forEach(visit);
  };
  visit(statement.node);
  return out;
}

/**
 * Sets each pending expression's alias to its original text, as DuckDB prints (and would have
 * named) it. One print for all of them: each is printed with a marker alias holding a random
 * nonce, which the caller's text cannot contain, and the text between markers is cut out.
 */
export async function applyNames(
  pending: PendingName[],
  print: (statement: Statement) => Promise<string>,
): Promise<void> {
  if (pending.length === 0) return;
  const nonce = randomBytes(12).toString('hex');
  const marker = (i: number) => `__gw_name_${nonce}_${i}_`;
  const statement: Statement = {
    node: {
      type: 'SELECT_NODE',
      modifiers: [],
      cte_map: { map: [] },
      select_list: pending.map(({ original }, i) => ({ ...original, alias: marker(i) })),
      from_table: { type: 'EMPTY', alias: '', sample: null, query_location: 0 },
      where_clause: null,
      group_expressions: [],
      group_sets: [],
      aggregate_handling: 'STANDARD_HANDLING',
      having: null,
      sample: null,
      qualify: null,
    },
    named_param_map: [],
  };
  const printed = await print(statement);
  if (!printed.startsWith('SELECT ')) throw new Error('unexpected printer output');
  let from = 'SELECT '.length;
  for (const [i, { target }] of pending.entries()) {
    const at = printed.indexOf(` AS ${marker(i)}`, from);
    if (at < 0) throw new Error('unexpected printer output');
    target.alias = printed.slice(from, at);
    from = at + ` AS ${marker(i)}`.length + ', '.length;
  }
}
