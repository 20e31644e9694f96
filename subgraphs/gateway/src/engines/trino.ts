import { quoteLiteral } from '../sql/ast.js';
import { TrinoProtocol } from './trino-protocol.js';
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
  private readonly protocol: TrinoProtocol;
  private readonly principal: string;

  constructor(private readonly options: TrinoEngineOptions) {
    this.principal = options.user ?? 'dataos-gateway';
    const password = options.password;
    this.protocol = new TrinoProtocol(options.endpoint, {
      'X-Trino-Source': options.source ?? 'dataos-gateway',
      ...(password
        ? { Authorization: `Basic ${Buffer.from(`${this.principal}:${password}`).toString('base64')}` }
        : {}),
    });
  }

  /**
   * Headers of one query. Trino's user and principal: authenticated (basic auth) as the Gateway,
   * `X-Trino-User` names the caller and Trino checks that the principal may impersonate them.
   * Without a password (a coordinator with no authenticator) `X-Trino-Original-User` names the
   * Gateway, so the same impersonation rules apply to it (Trino checks the original user may set
   * the session user).
   */
  private identity(caller: string | undefined): Record<string, string> {
    if (this.options.impersonation === 'off' || caller === undefined) {
      const info: Record<string, string> =
        caller === undefined ? {} : { 'X-Trino-Client-Info': JSON.stringify({ user: caller }) };
      return { 'X-Trino-User': this.principal, ...info };
    }
    if (!TRINO_USER.test(caller))
      throw new EngineError('The caller has no user name Trino can run a query as.', 'planning');
    return {
      'X-Trino-User': caller,
      ...(this.options.password ? {} : { 'X-Trino-Original-User': this.principal }),
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
    const deadline = options.timeoutMs ? Date.now() + options.timeoutMs : Date.now() + 24 * 3600_000;
    const headers = this.identity(options.user);
    let next: string | undefined;
    let columns: ResultPage['columns'] = [];
    const rows: ResultPage['rows'] = [];
    try {
      let answer = await this.protocol.start(paged, headers, deadline);
      for (;;) {
        next = answer.nextUri;
        if (answer.error) {
          const planning = PLANNING_ERRORS.has(answer.error.errorName);
          throw planning ? new EngineError(answer.error.message, 'planning') : runtimeError(answer.error.errorName);
        }
        if (answer.stats) {
          const percent = answer.stats.progressPercentage;
          options.onProgress?.({
            progress: typeof percent === 'number' && Number.isFinite(percent) ? Math.min(1, percent / 100) : null,
            rows: answer.stats.processedRows ?? 0,
          });
        }
        if (answer.columns) columns = answer.columns.map((c) => ({ name: c.name, type: c.type }));
        for (const row of answer.data ?? []) rows.push(row);
        if (!next || rows.length > page.limit) break;
        if (Date.now() > deadline)
          throw new EngineError('The query was cancelled: it ran longer than the time limit.', 'runtime');
        answer = await this.protocol.next(next, deadline);
      }
    } catch (error) {
      if (next) await this.protocol.cancel(next).catch(() => undefined);
      if (error instanceof EngineError) throw error;
      if ((error as Error).name === 'TimeoutError' || (error as Error).message === 'Trino did not answer in time')
        throw new EngineError('The query was cancelled: it ran longer than the time limit.', 'runtime');
      throw new EngineError(`Trino could not be reached: ${(error as Error).message}`, 'unavailable');
    }
    if (next) await this.protocol.cancel(next).catch(() => undefined);
    // The API's promise: 64-bit integers as text (Trino's JSON has them as numbers).
    const big = columns.map((c) => c.type === 'bigint');
    const out = rows
      .slice(0, page.limit)
      .map((row) => row.map((v, i) => (big[i] && typeof v === 'number' ? String(v) : v)));
    return { columns, rows: out, hasMore: rows.length > page.limit };
  }

  async ping(): Promise<void> {
    await this.execute('SELECT 1', { limit: 1, offset: 0 }, { timeoutMs: 5000 });
  }

  async close(): Promise<void> {}
}
