import { isObject, type JsonObject, type JsonValue } from './ast.js';
import { numberText } from './numbers.js';

/**
 * Size caps on functions whose output can be far larger than their input: one call of
 * `repeat('x', 2000000000)` would allocate 2 GB outside DuckDB's memory limit (string heaps are
 * not buffer-managed). These apply to the user's SQL only; the Gateway's own mask expressions
 * (lpad to a value's length, a policy's regexp replacement) are checked by the approved-scan
 * comparison instead.
 */

/** The longest string one call may generate (repeat, lpad, rpad, printf widths). */
export const MAX_GENERATED = 100_000;
/** The longest replacement text of replace / regexp_replace (output ≤ input × replacement). */
export const MAX_REPLACEMENT = 100;

const constantOf = (node: JsonValue | undefined): { type: string; value: unknown } | null => {
  if (!isObject(node) || node.class !== 'CONSTANT' || !isObject(node.value)) return null;
  const v = node.value;
  if (v.is_null === true) return null;
  return { type: isObject(v.type) ? String(v.type.id) : '', value: v.value };
};

const INTEGER =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INTEGER_LITERAL)$/;

function integerConstant(node: JsonValue | undefined): number | null {
  const c = constantOf(node);
  if (!c || !INTEGER.test(c.type)) return null;
  const n = Number(numberText(c.value as JsonValue));
  return Number.isSafeInteger(n) ? n : Infinity;
}

function stringConstant(node: JsonValue | undefined): string | null {
  const c = constantOf(node);
  return c && c.type === 'VARCHAR' && typeof c.value === 'string' ? c.value : null;
}

/** printf widths/precisions of 6+ digits or `*`; {fmt} widths of 6+ digits or nested `{}` fields. */
const WIDE_FORMAT = /%[-+ #0]*(\d{6,}|\*)|%[^%a-zA-Z]*\.(\d{6,}|\*)|\{[^{}]*\{|\{[^{}]*\d{6,}/;

/**
 * Why a FUNCTION node of the user's SQL exceeds the caps, or null. Counts and lengths must be
 * integer constants (a column or an expression could be anything), repeat's text a constant.
 */
export function sizeViolation(node: JsonObject): string | null {
  const name = String(node.function_name ?? '').toLowerCase();
  const args = Array.isArray(node.children) ? node.children : [];
  switch (name) {
    case 'repeat': {
      const text = stringConstant(args[0]);
      const count = integerConstant(args[1]);
      if (text === null || count === null) return 'repeat() takes a constant text and a constant count';
      return Math.max(count, 0) * text.length > MAX_GENERATED
        ? `repeat() may generate at most ${MAX_GENERATED} characters`
        : null;
    }
    case 'lpad':
    case 'rpad': {
      const length = integerConstant(args[1]);
      if (length === null) return `${name}() takes a constant length`;
      return length > MAX_GENERATED ? `${name}() pads to at most ${MAX_GENERATED} characters` : null;
    }
    case 'replace':
    case 'regexp_replace': {
      const replacement = stringConstant(args[2]);
      if (replacement === null) return `${name}() takes a constant replacement`;
      return replacement.length > MAX_REPLACEMENT
        ? `${name}() takes a replacement of at most ${MAX_REPLACEMENT} characters`
        : null;
    }
    case 'printf':
    case 'format': {
      const format = stringConstant(args[0]);
      if (format === null) return `${name}() takes a constant format`;
      return WIDE_FORMAT.test(format)
        ? `${name}() widths and precisions are limited to 5 digits, without * or nested fields`
        : null;
    }
    default:
      return null;
  }
}
