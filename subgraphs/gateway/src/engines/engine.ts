import type { JsonValue } from '../sql/ast.js';
import type { KeyParameter } from '../policies/keys.js';
import type { Dialect } from '../sql/masks.js';

export interface ResultColumn {
  name: string;
  type: string;
}

export interface ResultPage {
  columns: ResultColumn[];
  /** At most `limit` rows, each in column order; values as JSON (64-bit integers and decimals as strings). */
  rows: JsonValue[][];
  /** More rows follow this page. */
  hasMore: boolean;
}

export interface Page {
  limit: number;
  offset: number;
}

/** An error of the engine while planning or running a query (not a Gateway refusal). */
export class EngineError extends Error {
  constructor(
    message: string,
    /**
     * planning: parser, binder or catalog errors, which carry no data and may be shown as is;
     * runtime: errors while reading rows, whose messages may quote values: never shown;
     * unavailable: the engine could not be reached;
     * limit: a resource limit of the Gateway's own (memory, result size), with our own message.
     */
    readonly kind: 'planning' | 'runtime' | 'unavailable' | 'limit',
  ) {
    super(message);
  }
}

export interface ExecuteOptions {
  timeoutMs?: number;
  parameters?: KeyParameter[];
  /**
   * Who asks, as the engine should see them (the token's `sub`): Trino runs the query as this
   * user (impersonation), DuckDB has no users.
   */
  user?: string;
  /** The SQL's top level has no LIMIT or OFFSET: the page may be appended to it instead of wrapping it. */
  topLevelPage?: boolean;
  /** Called with the engine's statistics while the query runs (engines that report them: Trino). */
  onProgress?: (stats: { progress: number | null; rows: number }) => void;
}

/** A query engine behind a Minerva cluster: the embedded DuckDB or a Trino coordinator. */
export interface Engine {
  readonly kind: 'duckdb' | 'trino';
  readonly dialect: Dialect;
  /**
   * Runs a verified, rewritten SELECT and returns one page of it. `parameters` are the hash keys
   * it reads: bound by the engine, never written into the SQL text (DuckDB: by name; Trino: `?`
   * in order).
   */
  execute(sql: string, page: Page, options?: ExecuteOptions): Promise<ResultPage>;
  /** Throws when the engine does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
