import { BasicAuth, Trino, type QueryResult } from 'trino-client';
import { quoteLiteral } from '../sql/ast.js';
import { EngineError, type Engine, type ExecuteOptions, type Page, type ResultPage } from './engine.js';

export interface TrinoEngineOptions {
  /** Coordinator URL, e.g. https://minerva.example.com:8443 */
  endpoint: string;
  /** The Gateway's own principal: TRINO_USER (default `dataos-gateway`), TRINO_PASSWORD when the coordinator wants basic auth. */
  user?: string;
  password?: string;
  source?: string;
  /**
   * TRINO_IMPERSONATION: `caller` (default) runs each query as the caller (`X-Trino-User`), the
   * Gateway being the authenticated principal, so Trino's access control, resource groups and
   * query history see real users; `off` runs every query as the Gateway's user, the caller only
   * in `X-Trino-Client-Info`, for coordinators that may not let the Gateway impersonate.
   */
  impersonation?: Impersonation;
}

export type Impersonation = 'caller' | 'off';
export const IMPERSONATION_MODES = ['caller', 'off'] as const;

/** What Trino accepts as a user name, and what a header value may hold: anything else is refused, never passed on. */
const TRINO_USER = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

/**
 * Trino error names whose messages are about the query text (names, types), never about data:
 * only these are shown. Anything else (casts, division, INVALID_FUNCTION_ARGUMENT, ...) may quote
 * a value, whatever its message looks like: a `line 1:8:` prefix does not make it a planning error.
 */
export const PLANNING_ERRORS: ReadonlySet<string> = new Set([
  'SYNTAX_ERROR',
  'COLUMN_NOT_FOUND',
  'TABLE_NOT_FOUND',
  'FUNCTION_NOT_FOUND',
  'TYPE_MISMATCH',
  'MISSING_CATALOG_NAME',
  'MISSING_SCHEMA_NAME',
  'CATALOG_NOT_FOUND',
  'SCHEMA_NOT_FOUND',
  'AMBIGUOUS_NAME',
  'MISSING_COLUMN_NAME',
  'DUPLICATE_COLUMN_NAME',
  'MISSING_COLUMN_ALIASES',
  'MISMATCHED_COLUMN_ALIASES',
  'EXPRESSION_NOT_AGGREGATE',
  'MISSING_GROUP_BY',
  'NESTED_AGGREGATION',
  'NESTED_WINDOW',
  'INVALID_COLUMN_REFERENCE',
]);

/** A runtime message never leaves this engine: only a well-formed error name is kept. */
function runtimeError(errorName: unknown): EngineError {
  const name = typeof errorName === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(errorName) ? errorName : 'RUNTIME';
  return new EngineError(`${name.replaceAll('_', ' ').toLowerCase()} Error: details withheld`, 'runtime');
}

/**
 * A Minerva cluster served by Trino: depots are Trino catalogs, collections schemas. The SQL it
 * receives is the Gateway's rewritten, verified SQL (printed by DuckDB's printer: standard
 * quoting, CAST, CASE; mask expressions written in Trino's functions).
 */
export class TrinoEngine implements Engine {
  readonly kind = 'trino' as const;
  readonly dialect = 'trino' as const;
  private readonly client: Trino;

  private readonly principal: string;

  constructor(private readonly options: TrinoEngineOptions) {
    this.principal = options.user ?? 'dataos-gateway';
    const password = options.password;
    this.client = Trino.create({
      server: options.endpoint,
      source: options.source ?? 'dataos-gateway',
      ...(password
        ? { auth: new BasicAuth(this.principal, password) }
        : { extraHeaders: { 'X-Trino-User': this.principal } }),
    });
  }

  /**
   * Headers of one query. Trino's user and principal: authenticated (basic auth) as the Gateway,
   * `X-Trino-User` names the caller and Trino checks that the principal may impersonate them.
   * Without a password (a coordinator with no authenticator) `X-Trino-Original-User` names the
   * Gateway, so the same impersonation rules apply to it (Trino checks the original user may set
   * the session user).
   */
  private identity(caller: string | undefined): { user: string; extraHeaders: Record<string, string> } {
    if (this.options.impersonation === 'off' || caller === undefined) {
      const info: Record<string, string> =
        caller === undefined ? {} : { 'X-Trino-Client-Info': JSON.stringify({ user: caller }) };
      return { user: this.principal, extraHeaders: info };
    }
    if (!TRINO_USER.test(caller))
      throw new EngineError('The caller has no user name Trino can run a query as.', 'planning');
    return {
      user: caller,
      extraHeaders: this.options.password ? {} : { 'X-Trino-Original-User': this.principal },
    };
  }

  async execute(sql: string, page: Page, options: ExecuteOptions = {}): Promise<ResultPage> {
    // Trino drops a subquery's ORDER BY under an outer SELECT: the page goes on the top level when
    // it has no LIMIT/OFFSET of its own; otherwise the order of a page is Trino's.
    const tail = `OFFSET ${page.offset} LIMIT ${page.limit + 1}`;
    const select = options.topLevelPage ? `${sql} ${tail}` : `SELECT * FROM (${sql}) AS __gw_page ${tail}`;
    // Trino's protocol has no binary binding: parameter values travel in the USING clause of
    // EXECUTE IMMEDIATE. What it sees is a derived key of one policy (never a master key), to a
    // coordinator whose operators can read the raw tables anyway.
    const parameters = options.parameters ?? [];
    const paged = parameters.length
      ? `EXECUTE IMMEDIATE ${quoteLiteral(select)} USING ${parameters.map((p) => quoteLiteral(p.value)).join(', ')}`
      : select;
    const deadline = options.timeoutMs ? Date.now() + options.timeoutMs : Infinity;
    let queryId: string | undefined;
    let columns: ResultPage['columns'] = [];
    const rows: ResultPage['rows'] = [];
    try {
      const iterator = await this.client.query({ query: paged, ...this.identity(options.user) });
      // The client's iterator answers the last page twice (once more with done) and never the
      // first answer alone: read every distinct answer, including the final one.
      let seen: QueryResult | undefined;
      for (;;) {
        const { value: result, done } = (await iterator.next()) as IteratorResult<QueryResult, QueryResult>;
        if (result && result !== seen) {
          seen = result;
          queryId = result.id;
          if (result.error) {
            const planning = PLANNING_ERRORS.has(result.error.errorName);
            throw planning ? new EngineError(result.error.message, 'planning') : runtimeError(result.error.errorName);
          }
          if (result.stats) {
            const percent = result.stats.progressPercentage;
            options.onProgress?.({
              progress: typeof percent === 'number' && Number.isFinite(percent) ? Math.min(1, percent / 100) : null,
              rows: result.stats.processedRows ?? 0,
            });
          }
          if (result.columns) columns = result.columns.map((c) => ({ name: c.name, type: c.type }));
          for (const row of result.data ?? []) rows.push(row as ResultPage['rows'][number]);
        }
        if (done || rows.length > page.limit) break;
        if (Date.now() > deadline)
          throw new EngineError('The query was cancelled: it ran longer than the time limit.', 'runtime');
      }
    } catch (error) {
      if (queryId) await this.client.cancel(queryId).catch(() => undefined);
      if (error instanceof EngineError) throw error;
      throw new EngineError(`Trino could not be reached: ${(error as Error).message}`, 'unavailable');
    }
    if (rows.length > page.limit && queryId) await this.client.cancel(queryId).catch(() => undefined);
    return { columns, rows: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
  }

  async ping(): Promise<void> {
    await this.execute('SELECT 1', { limit: 1, offset: 0 }, { timeoutMs: 5000 });
  }

  async close(): Promise<void> {}
}
