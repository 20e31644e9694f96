import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode, forbidden, serviceUnavailable } from '@dataos/errors';
import { CursorCodec, isOffset } from '@dataos/subgraph-kit';
import type { Caller, ColumnCatalog } from './catalog.js';
import { needsConcepts, withConcepts, type ConceptSource } from './concepts.js';
import type { ClusterDoc } from './clusters.js';
import { EngineError, type Engine, type ResultPage } from './engines/engine.js';
import { callerSafeMessage, type MessageContext } from './engines/messages.js';
import { shapeMismatch } from './engines/shape.js';
import type { QueryDoc, QueryHistory } from './history.js';
import type { QueryProgressFeed } from './live/progress.js';
import type { DataPolicyDoc } from './policies/model.js';
import { planScan, type ScanPlan } from './policies/resolve.js';
import type { Subject } from './policies/subject.js';
import type { JsonValue } from './sql/ast.js';
import type { Routing } from './routing.js';
import type { QueryRewriter, Rewritten } from './sql/pipeline.js';
import type { Analysis } from './sql/rewrite.js';

export const DEFAULT_LIMIT = 100;
/** Defaults of GATEWAY_MAX_ROWS and GATEWAY_QUERY_TIMEOUT_MS (src/settings.ts). */
export const MAX_LIMIT = 10_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;

/** May the caller read this dataset? (Heimdall `read` on its URN; batched by the caller.) */
export type ReadCheck = (urn: string) => Promise<boolean>;

export interface QueryRequest {
  subject: Subject;
  caller: Caller;
  canRead: ReadCheck;
  cluster: ClusterDoc;
  sql: string;
  source?: 'query' | 'preview';
  /** Chosen by the caller to follow the run on `queryProgress`; otherwise random (start and end still reported). */
  queryId?: string;
  /** How `cluster` was chosen, for the history. */
  routing?: Routing;
}

export interface QueryResult {
  queryId: string;
  cluster: string;
  columns: ResultPage['columns'];
  rows: JsonValue[][];
  rowCount: number;
  limit: number;
  offset: number;
  hasMore: boolean;
  cursor: string | null;
  durationMs: number;
  datasets: string[];
  policies: string[];
}

export interface QueryServiceDeps {
  rewriter: QueryRewriter;
  catalog: ColumnCatalog;
  /**
   * Odin: the columns' concepts, asked once per query when a policy selects by concept. Unreachable:
   * concept masks apply to every column (fail closed). Absent (unit tests): concept selectors match nothing.
   */
  concepts?: ConceptSource;
  policies: { all(): Promise<DataPolicyDoc[]> };
  engineFor(cluster: ClusterDoc): Engine;
  history?: QueryHistory;
  /** 0: no limit. */
  timeoutMs?: number;
  /** Largest page (default MAX_LIMIT). */
  maxRows?: number;
  /** Where runs report their start, progress (caller-chosen ids only) and end. */
  progress?: QueryProgressFeed;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Not sealed: a result cursor holds an offset and a digest of what it is bound to. */
const cursors = new CursorCodec();

/** Runtime engine messages may quote values of masked columns or filtered rows: only their kind is shown. */
function engineFailure(error: EngineError, context: MessageContext): GraphQLError {
  if (error.kind === 'unavailable')
    return serviceUnavailable('The query engine could not be reached.', { reason: 'ENGINE_UNAVAILABLE' });
  // User SQL cannot name `__gw_scan`: a binder error about it means the catalog lists a column
  // the physical table lacks (qualified references keep it from binding to anything else).
  // (DuckDB quotes it `"__gw_scan"`, Trino `'__gw_scan.<column>'`.)
  if (error.kind === 'planning' && /"__gw_scan"|'__gw_scan\./.test(error.message.split('\n')[0]!)) {
    return badUserInput(
      'A dataset of this query cannot be read: its catalog lists columns the table does not have. Ask its owner to fix the catalog entry.',
      {
        field: 'sql',
        reason: 'CATALOG_MISMATCH',
      },
    );
  }
  if (error.kind === 'planning') {
    // The engine planned the rewritten SQL: its message is shown only if it quotes the caller alone.
    const shown = callerSafeMessage(error.message, context);
    return shown
      ? badUserInput(`The engine refused the query: ${shown}`, { field: 'sql', reason: 'ENGINE_PLANNING' })
      : badUserInput(
          "The engine refused the query; its message quotes the Gateway's rewriting of it and is withheld (check names, types and aggregates).",
          {
            field: 'sql',
            reason: 'ENGINE_PLANNING',
          },
        );
  }
  if (error.kind === 'limit') return badUserInput(error.message, { field: 'sql', reason: 'RESOURCE_LIMIT' });
  const kind =
    /^([A-Za-z ]+ Error):/.exec(error.message)?.[1] ??
    (/interrupted|cancelled/.test(error.message) ? 'Timeout' : 'Execution error');
  return badUserInput(`The query failed while running (${kind}); details are withheld because they may quote data.`, {
    field: 'sql',
    reason: 'ENGINE_RUNTIME',
  });
}

/** Names the Gateway gives its own parts of a query; never in what a caller receives. */
const REWRITE_TEXT = /__gw/i;

/**
 * Last check of a page: column names and types come from the caller's query (names.ts), so a
 * `__gw` name there means some form of naming escaped it; then the page is withheld rather than
 * shown. Values are checked for the Gateway's own names too (struct keys cast to text).
 */
function rewriteInResult(page: ResultPage): boolean {
  if (page.columns.some((c) => REWRITE_TEXT.test(c.name) || REWRITE_TEXT.test(c.type))) return true;
  return page.rows.some((row) => /__gw_(scan|cte_|key_|page)/i.test(JSON.stringify(row)));
}

/**
 * runQuery and explain: parse → refuse the unsafe → Heimdall `read` on every dataset → columns
 * and tags from the catalog → data policies → rewrite → verify → run → history.
 */
export class QueryService {
  constructor(private readonly deps: QueryServiceDeps) {}

  /** The plans of each dataset of a query, for this subject; refuses unreadable or unknown datasets. */
  async planScans(
    analysis: Analysis,
    req: Pick<QueryRequest, 'subject' | 'caller' | 'canRead' | 'cluster'>,
  ): Promise<Map<string, ScanPlan>> {
    const urns = analysis.datasets.map((d) => d.urn);
    const depots = req.cluster.depots ?? [];
    const offDepot = analysis.datasets.filter((d) => depots.length > 0 && !depots.includes(d.depot));
    if (offDepot.length) {
      throw forbidden(
        `Cluster "${req.cluster._id}" does not read depot(s) ${[...new Set(offDepot.map((d) => d.depot))].join(', ')}.`,
        {
          reason: 'DEPOT_NOT_SERVED',
        },
      );
    }
    if (urns.length === 0) return new Map();
    const [decisions, catalog, policies] = await Promise.all([
      Promise.all(urns.map((u) => req.canRead(u))),
      this.deps.catalog.datasets(urns, req.caller),
      this.deps.policies.all(),
    ]);
    const denied = urns.filter((_, i) => !decisions[i]);
    if (denied.length) {
      throw forbidden(`You may not read ${denied.join(', ')}.`, { reason: 'NO_READ', datasets: denied });
    }
    const unknown = urns.filter((u) => !catalog.get(u));
    if (unknown.length) {
      throw forbidden(`Not in the catalog (or not visible to you): ${unknown.join(', ')}.`, {
        reason: 'UNKNOWN_DATASET',
        datasets: unknown,
      });
    }
    let datasets = urns.map((u) => catalog.get(u)!);
    if (this.deps.concepts && needsConcepts(policies))
      datasets = (await withConcepts(datasets, this.deps.concepts, req.caller)).datasets;
    return new Map(urns.map((u, i) => [u, planScan(datasets[i]!, req.subject, policies)]));
  }

  async plan(req: QueryRequest, engine: Engine): Promise<Rewritten> {
    const analysis = await this.deps.rewriter.analyze(req.sql);
    const plans = await this.planScans(analysis, req);
    return this.deps.rewriter.rewrite(analysis, plans, req.subject, engine.dialect);
  }

  async explain(req: QueryRequest): Promise<Rewritten> {
    return this.plan(req, this.deps.engineFor(req.cluster));
  }

  async run(req: QueryRequest, limit = DEFAULT_LIMIT, cursor?: string | null): Promise<QueryResult> {
    const maxRows = this.deps.maxRows ?? MAX_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > maxRows) {
      throw badUserInput(`limit must be an integer from 1 to ${maxRows}.`, { field: 'limit' });
    }
    // bound to cluster, SQL and caller: a cursor cannot page another query or someone else's
    const bound = [req.cluster._id, req.sql, req.subject.id];
    const offset = cursor ? cursors.decode('result', cursor, { field: 'cursor', is: isOffset, bind: bound }) : 0;
    if (req.cluster.state === 'STOPPED' || req.cluster.state === 'PROVISIONING') {
      throw badUserInput(`Cluster "${req.cluster._id}" is ${req.cluster.state.toLowerCase()}.`, {
        field: 'cluster',
        reason: 'CLUSTER_NOT_RUNNING',
      });
    }
    const engine = this.deps.engineFor(req.cluster);
    const queryId = req.queryId ?? randomUUID();
    // Every run is reported (queryChanges); progress updates only for a run followed by its queryId.
    const report = this.deps.progress?.start(
      queryId,
      { subject: req.subject.id, cluster: req.cluster._id, source: req.source ?? 'query' },
      Boolean(req.queryId),
    );
    const started = performance.now();
    const startedAt = new Date();
    let rewritten: Rewritten | undefined;
    let page: ResultPage | undefined;
    let failure: GraphQLError | undefined;
    let internal: unknown;
    try {
      rewritten = await this.plan(req, engine);
      report?.running({ progress: null, rows: 0 });
      page = await engine.execute(
        rewritten.engineSql,
        { limit, offset },
        {
          timeoutMs: this.deps.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
          parameters: rewritten.parameters,
          user: req.subject.sub,
          topLevelPage: rewritten.topLevelPage,
          ...(report && req.queryId ? { onProgress: report.running } : {}),
        },
      );
      if (rewriteInResult(page)) {
        page = undefined;
        throw forbidden(
          "The answer would show the Gateway's rewriting of the query (in a column name, a type or a struct key) and is withheld: give that expression an alias (AS name).",
          {
            field: 'sql',
            reason: 'REWRITE_IN_RESULT',
          },
        );
      }
      // An engine (or anything between it and us) that answers another shape than the verified
      // SELECT's is not trusted with the rest of its answer either.
      const mismatch = shapeMismatch(page, rewritten.shape);
      if (mismatch) {
        page = undefined;
        throw new GraphQLError(`The engine's answer does not match the query and is withheld: ${mismatch}.`, {
          extensions: { code: ErrorCode.EngineError, reason: 'ANSWER_SHAPE' },
        });
      }
    } catch (error) {
      if (error instanceof EngineError) {
        failure = engineFailure(error, {
          sql: req.sql,
          columns: rewritten?.scans.flatMap((s) => s.plan.columns.map((c) => c.name)) ?? [],
          secrets: rewritten?.parameters.map((p) => p.value) ?? [],
        });
      } else if (error instanceof GraphQLError) failure = error;
      else {
        // A bug or an unexpected failure: still one history record (its message is not stored:
        // it could quote anything), then the original error goes to the server's error handling.
        internal = error;
        failure = new GraphQLError('The query failed inside the Gateway.', {
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      }
    }
    const durationMs = round(performance.now() - started);
    const code = String(failure?.extensions.code ?? '');
    const doc: QueryDoc = {
      _id: queryId,
      cluster: req.cluster._id,
      subject: req.subject.id,
      source: req.source ?? 'query',
      sql: req.sql,
      rewrittenSql: rewritten?.engineSql ?? null,
      datasets: rewritten?.analysis.datasets.map((d) => d.urn) ?? [],
      policies: rewritten?.policies ?? [],
      state: !failure
        ? 'SUCCEEDED'
        : ['FORBIDDEN', 'UNAUTHENTICATED'].includes(code) || (code === 'BAD_USER_INPUT' && !page && !rewritten)
          ? 'REFUSED'
          : 'FAILED',
      error: failure ? { code, message: failure.message } : null,
      rows: page?.rows.length ?? 0,
      offset,
      durationMs,
      startedAt,
      finishedAt: new Date(),
      requestId: req.caller.requestId ?? null,
      routing: req.routing ?? null,
    };
    // Every query is in the history before anything is answered: no record, no rows.
    try {
      await this.deps.history?.record(doc);
    } catch (error) {
      await report?.finished({
        phase: 'FAILED',
        rows: 0,
        error: { code: 'SERVICE_UNAVAILABLE', message: 'The query history could not be written.' },
      });
      throw serviceUnavailable('The query history could not be written; the result is withheld.', {
        cause: (error as Error).message,
      });
    }
    // After the history: a subscriber told the run ended finds its record.
    await report?.finished({ phase: doc.state, rows: doc.rows, error: doc.error });
    if (internal !== undefined) throw internal;
    if (failure) throw failure;
    return {
      queryId,
      cluster: req.cluster._id,
      columns: page!.columns,
      rows: page!.rows,
      rowCount: page!.rows.length,
      limit,
      offset,
      hasMore: page!.hasMore,
      cursor: page!.hasMore ? cursors.encode('result', offset + limit, bound) : null,
      durationMs,
      datasets: doc.datasets,
      policies: doc.policies,
    };
  }
}
