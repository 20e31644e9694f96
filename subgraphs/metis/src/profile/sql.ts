import type { DatasetUrn } from '../urn.js';

/** Columns per profiling query: one query's work stays bounded. */
export const MAX_PROFILED_COLUMNS = 200;

const PLAIN = /^[a-z_][a-z0-9_]*$/;
/** An identifier as the Gateway's SQL reads it: bare when plain, else double-quoted. */
export const ident = (name: string) => (PLAIN.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/** The table name the Gateway resolves to a Metis dataset: `depot.collection.dataset`. */
export const tableOf = (u: DatasetUrn) => [u.depot, u.collection, u.name].map(ident).join('.');

export interface ProfiledColumn {
  name: string;
  /** Masked for the profiling principal: its min/max are hashes or redactions, not asked for. */
  masked: boolean;
}

/**
 * One aggregate query for the whole table: row count, then per column non-null count, distinct
 * count and (unless masked) min and max as text. Aliases are positional (c0_n, ...), so a column
 * name never has to survive as an alias.
 */
export function profileSql(table: string, columns: readonly ProfiledColumn[]): string {
  const parts = ['count(*) AS row_count'];
  columns.forEach((c, i) => {
    const col = ident(c.name);
    parts.push(`count(${col}) AS c${i}_n`, `count(DISTINCT ${col}) AS c${i}_d`);
    if (!c.masked) parts.push(`CAST(min(${col}) AS VARCHAR) AS c${i}_min`, `CAST(max(${col}) AS VARCHAR) AS c${i}_max`);
  });
  return `SELECT ${parts.join(', ')} FROM ${table}`;
}

export interface ColumnStats {
  name: string;
  nullCount: number;
  distinctCount: number;
  min: string | null;
  max: string | null;
  masked: boolean;
}

const num = (v: unknown) => {
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw new Error(`The Gateway answered a count that is not a number.`);
  return n;
};
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** Reads the one row of `profileSql`'s answer back into counts per column. */
export function readProfile(
  columns: readonly ProfiledColumn[],
  names: readonly string[],
  row: readonly unknown[],
): { rowCount: number; stats: ColumnStats[] } {
  const at = (alias: string) => {
    const i = names.indexOf(alias);
    if (i < 0) throw new Error(`The Gateway's answer has no column ${alias}.`);
    return row[i];
  };
  const rowCount = num(at('row_count'));
  const stats = columns.map((c, i) => ({
    name: c.name,
    nullCount: rowCount - num(at(`c${i}_n`)),
    distinctCount: num(at(`c${i}_d`)),
    min: c.masked ? null : str(at(`c${i}_min`)),
    max: c.masked ? null : str(at(`c${i}_max`)),
    masked: c.masked,
  }));
  return { rowCount, stats };
}
