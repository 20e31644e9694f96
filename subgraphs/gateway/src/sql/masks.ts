import type { MaskSpec } from '../policies/model.js';
import { quoteLiteral, sqlLiteral } from './ast.js';

/** The SQL dialect of the engine a scan runs on (mask expressions differ a little). */
export type Dialect = 'duckdb' | 'trino';

const NUMERIC =
  /^(tinyint|smallint|int|integer|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|decimal|numeric|double|float|real)\b/i;
const TEMPORAL = /^(date|timestamp|timestamptz|datetime)\b/i;
const DATE_ONLY = /^date$/i;

export const isNumericType = (type: string) => NUMERIC.test(type.trim());
export const isTemporalType = (type: string) => TEMPORAL.test(type.trim());

const text = (col: string) => `CAST(${col} AS VARCHAR)`;

function randomDigit(): string {
  return 'CAST(CAST(floor(random() * 10) AS INTEGER) AS VARCHAR)';
}

function randomLetter(base: 65 | 97): string {
  return `chr(${base} + CAST(floor(random() * 26) AS INTEGER))`;
}

/** 60 random digits (four 15-digit draws), cut to the value's length. */
function randomDigitsLike(value: string): string {
  const draw = "lpad(CAST(CAST(floor(random() * 1000000000000000) AS BIGINT) AS VARCHAR), 15, '0')";
  return `substr(${[draw, draw, draw, draw].join(' || ')}, 1, length(${value}))`;
}

/**
 * The masked expression of one column, named by its quoted identifier `col`. NULL stays NULL.
 * Operators that do not fit the column's type fall back to redaction (fail closed):
 * bucket_number needs a numeric column, bucket_date a date or timestamp. `key` is the SQL of the
 * hash key: a parameter (`$__gw_key_...`), bound when the query runs, never the key's text.
 */
export function maskExpression(spec: MaskSpec, col: string, type: string, dialect: Dialect, key: string): string {
  switch (spec.operator) {
    case 'pass_through':
      return col;
    case 'hash': {
      const input = `${key} || ${text(col)}`;
      const algorithm = spec.algorithm ?? 'sha256';
      return dialect === 'trino' ? `lower(to_hex(${algorithm}(to_utf8(${input}))))` : `${algorithm}(${input})`;
    }
    case 'redact':
      return `CASE WHEN ${col} IS NULL THEN NULL ELSE ${quoteLiteral(spec.replacement ?? '[REDACTED]')} END`;
    case 'partial': {
      const first = spec.keepFirst ?? 0;
      const last = spec.keepLast ?? 0;
      const v = text(col);
      return (
        `CASE WHEN ${col} IS NULL THEN NULL WHEN length(${v}) <= ${first + last} THEN lpad('', CAST(length(${v}) AS INTEGER), '*') ` +
        `ELSE substr(${v}, 1, ${first}) || lpad('', CAST(length(${v}) - ${first + last} AS INTEGER), '*') || substr(${v}, length(${v}) - ${last} + 1) END`
      );
    }
    case 'bucket_number': {
      if (!isNumericType(type)) return maskExpression({ operator: 'redact' }, col, type, dialect, key);
      if (spec.bucketSize) return `floor(${col} / ${sqlLiteral(spec.bucketSize)}) * ${sqlLiteral(spec.bucketSize)}`;
      const bounds = [...(spec.buckets ?? [])].reverse();
      return `CASE ${bounds.map((b) => `WHEN ${col} >= ${sqlLiteral(b)} THEN ${sqlLiteral(b)}`).join(' ')} ELSE NULL END`;
    }
    case 'bucket_date': {
      if (!isTemporalType(type)) return maskExpression({ operator: 'redact' }, col, type, dialect, key);
      const truncated = `date_trunc(${quoteLiteral(spec.precision ?? 'day')}, ${col})`;
      return DATE_ONLY.test(type.trim()) ? `CAST(${truncated} AS DATE)` : truncated;
    }
    case 'regex_replace': {
      const args = `${text(col)}, ${quoteLiteral(spec.pattern ?? '.')}, ${quoteLiteral(spec.replacement ?? '*')}`;
      return dialect === 'trino' ? `regexp_replace(${args})` : `regexp_replace(${args}, 'g')`;
    }
    case 'rand_pattern': {
      if (!spec.pattern) return `CASE WHEN ${col} IS NULL THEN NULL ELSE ${randomDigitsLike(text(col))} END`;
      const parts: string[] = [];
      let literal = '';
      const flush = () => {
        if (literal) parts.push(quoteLiteral(literal));
        literal = '';
      };
      for (const c of spec.pattern) {
        if (c === '#' || c === 'A' || c === 'a') {
          flush();
          parts.push(c === '#' ? randomDigit() : randomLetter(c === 'A' ? 65 : 97));
        } else literal += c;
      }
      flush();
      return `CASE WHEN ${col} IS NULL THEN NULL ELSE ${parts.join(' || ')} END`;
    }
  }
}
