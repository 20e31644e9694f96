import neo4j from 'neo4j-driver';
import type { Neo4jStore } from '@dataos/stores';

/** One finished query the Gateway ran, as it reports it. */
export interface QueryUsage {
  queryId: string;
  /** Heimdall subject id of who ran it. */
  subject: string;
  sql: string;
  datasets: string[];
  finishedAt: Date;
}

export const WINDOW_DAYS = { D1: 1, D7: 7, D30: 30 } as const;
export type UsageWindow = keyof typeof WINDOW_DAYS;
/** Events older than the longest window are pruned (at most PRUNE_BATCH per report). */
const RETENTION_DAYS = 30;
const PRUNE_BATCH = 5_000;
/** The most recent events one aggregation reads per dataset: a read's cost stays bounded. */
export const MAX_EVENTS_READ = 50_000;
const TOP = 5;

export interface UsageSummary {
  queries: number;
  distinctUsers: number;
  lastQueriedAt: Date | null;
  topUsers: { subject: string; queries: number }[];
  topQueries: { sql: string; queries: number; datasets: string[] }[];
  columns: { name: string; queries: number }[];
}

const SQL_TOKEN = /"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*)|(\*)|'(?:[^']|'')*'|(\S)/g;
/** What may stand before a `*` that selects columns (`SELECT *`, `a, *`, `c.*`), not `count(*)` or `a * b`. */
const BEFORE_STAR = new Set(['select', 'distinct', 'all', ',', '.']);

/**
 * Columns of a dataset a query names: its identifiers (quoted or not, case-insensitive) that are
 * column names of the dataset, all of them for a select-list `*`. Approximate by design (no parse):
 * a name two joined datasets share counts for both, a `*` of another table counts for every dataset.
 */
export function columnsUsed(sql: string, columns: readonly string[]): string[] {
  const words = new Set<string>();
  let star = false;
  let previous = '';
  for (const m of sql.matchAll(SQL_TOKEN)) {
    let token = '';
    if (m[3]) star ||= BEFORE_STAR.has(previous);
    else if (m[1] !== undefined || m[2] !== undefined) {
      token = (m[1]?.replace(/""/g, '"') ?? m[2]!).toLowerCase();
      words.add(token);
    } else token = m[4] ?? '';
    previous = m[3] ? '*' : token;
  }
  return star ? [...columns] : columns.filter((c) => words.has(c.toLowerCase()));
}

/**
 * Usage events in Neo4j: one `UsageEvent` per (query, dataset), keyed by both, so a query reported
 * twice (a retried batch, two Gateway replicas) counts once. Aggregated at read time per window.
 */
export class UsageStore {
  constructor(private readonly store: Neo4jStore) {}

  async migrate(): Promise<void> {
    const run = (q: string) => this.store.driver.executeQuery(q, {}, { database: this.store.database });
    await run('CREATE CONSTRAINT metis_usage_key IF NOT EXISTS FOR (u:UsageEvent) REQUIRE u.key IS UNIQUE');
    await run('CREATE INDEX metis_usage_dataset IF NOT EXISTS FOR (u:UsageEvent) ON (u.datasetUrn, u.at)');
    await run('CREATE INDEX metis_usage_at IF NOT EXISTS FOR (u:UsageEvent) ON (u.at)');
  }

  /** Writes the events of datasets the catalog has (others are skipped); answers how many were new. */
  async record(queries: readonly QueryUsage[]): Promise<{ recorded: number; duplicates: number; skipped: number }> {
    const rows = queries.flatMap((q) =>
      q.datasets.map((urn) => ({
        key: `${q.queryId}|${urn}`,
        queryId: q.queryId,
        urn,
        subject: q.subject,
        sql: q.sql,
        datasets: q.datasets,
        at: q.finishedAt.toISOString(),
      })),
    );
    const { records } = await this.store.driver.executeQuery(
      `UNWIND $rows AS r
       OPTIONAL MATCH (d:Dataset {urn: r.urn})
       OPTIONAL MATCH (d)-[:HAS_COLUMN]->(c:Column)
       WITH r, d, collect(c.name) AS columns
       CALL (r, d, columns) {
         WITH r, d, columns WHERE d IS NOT NULL
         MERGE (u:UsageEvent {key: r.key})
         ON CREATE SET u.queryId = r.queryId, u.datasetUrn = r.urn, u.subject = r.subject, u.sql = r.sql,
                       u.datasets = r.datasets, u.at = datetime(r.at), u.columnNames = columns, u.created = true
         WITH u, u.created AS created
         REMOVE u.created
         RETURN created
       }
       RETURN count(d) AS known, sum(CASE WHEN created THEN 1 ELSE 0 END) AS created`,
      { rows },
      { database: this.store.database },
    );
    const known = Number(records[0]?.get('known') ?? 0);
    const created = Number(records[0]?.get('created') ?? 0);
    await this.prune();
    return { recorded: created, duplicates: known - created, skipped: rows.length - known };
  }

  private async prune(): Promise<void> {
    await this.store.driver.executeQuery(
      `MATCH (u:UsageEvent) WHERE u.at < datetime() - duration({days: $days})
       WITH u LIMIT $batch DETACH DELETE u`,
      { days: neo4j.int(RETENTION_DAYS), batch: neo4j.int(PRUNE_BATCH) },
      { database: this.store.database },
    );
  }

  /** Usage of one dataset over the window; columns from each query's SQL against the dataset's columns then. */
  async summary(urn: string, window: UsageWindow, now = new Date()): Promise<UsageSummary> {
    const since = new Date(now.getTime() - WINDOW_DAYS[window] * 86_400_000).toISOString();
    const { records } = await this.store.driver.executeQuery(
      `MATCH (u:UsageEvent {datasetUrn: $urn}) WHERE u.at >= datetime($since)
       WITH u ORDER BY u.at DESC LIMIT $max
       RETURN u.subject AS subject, u.sql AS sql, u.datasets AS datasets, u.columnNames AS columns, u.at AS at`,
      { urn, since, max: neo4j.int(MAX_EVENTS_READ) },
      { database: this.store.database, routing: 'READ' },
    );
    const users = new Map<string, number>();
    const texts = new Map<string, { queries: number; datasets: string[] }>();
    const columns = new Map<string, number>();
    let last: Date | null = null;
    for (const r of records) {
      const subject = r.get('subject') as string;
      const sql = r.get('sql') as string;
      users.set(subject, (users.get(subject) ?? 0) + 1);
      const t = texts.get(sql) ?? { queries: 0, datasets: r.get('datasets') as string[] };
      t.queries++;
      texts.set(sql, t);
      for (const c of columnsUsed(sql, r.get('columns') as string[])) columns.set(c, (columns.get(c) ?? 0) + 1);
      const at = new Date((r.get('at') as { toString(): string }).toString());
      if (!last || at > last) last = at;
    }
    const top = <T>(m: Map<string, T>, count: (v: T) => number) =>
      [...m].sort((a, b) => count(b[1]) - count(a[1]) || (a[0] < b[0] ? -1 : 1));
    return {
      queries: records.length,
      distinctUsers: users.size,
      lastQueriedAt: last,
      topUsers: top(users, (n) => n)
        .slice(0, TOP)
        .map(([subject, queries]) => ({ subject, queries })),
      // More than TOP: the reader's filter (datasets they may read) drops some.
      topQueries: top(texts, (t) => t.queries)
        .slice(0, TOP * 4)
        .map(([sql, t]) => ({ sql, ...t })),
      columns: top(columns, (n) => n).map(([name, queries]) => ({ name, queries })),
    };
  }

  /** 30-day query counts of datasets, for ranking search results by usage. */
  async counts(urns: readonly string[], now = new Date()): Promise<Map<string, number>> {
    const since = new Date(now.getTime() - RETENTION_DAYS * 86_400_000).toISOString();
    const { records } = await this.store.driver.executeQuery(
      `UNWIND $urns AS urn
       OPTIONAL MATCH (u:UsageEvent {datasetUrn: urn}) WHERE u.at >= datetime($since)
       RETURN urn, count(u) AS n`,
      { urns, since },
      { database: this.store.database, routing: 'READ' },
    );
    return new Map(records.map((r) => [r.get('urn') as string, Number(r.get('n'))]));
  }
}
