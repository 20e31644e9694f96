import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Neo4jStore } from '@dataos/stores';

/** The subject id scans write as: the author of the versions they record, who deprecates what was dropped. */
export const SCANNER_ID = 'services:id:metis-scanner';

/** The job name of lineage edges derived from view definitions (workflow: none). */
export const VIEW_JOB = 'view-definition';

/** Runs kept per depot; older ones are removed when a run finishes. */
export const RUNS_KEPT = 200;

/** A run still RUNNING after this long is taken as dead (its replica stopped): another may start. */
export const STALE_RUN_MS = 15 * 60_000;

export type ScanTrigger = 'SCHEDULE' | 'ON_DEMAND';
export type ScanStatus = 'RUNNING' | 'SUCCEEDED' | 'PARTIAL' | 'FAILED';

export interface ScanCounts {
  found: number;
  created: number;
  updated: number;
  unchanged: number;
  deprecated: number;
  restored: number;
  columnEdges: number;
}

export interface ScanRunRecord extends ScanCounts {
  id: string;
  depot: string;
  trigger: ScanTrigger;
  requestedBy: string | null;
  status: ScanStatus;
  startedAt: string;
  finishedAt: string | null;
  errors: string[];
}

export const NO_COUNTS: ScanCounts = {
  found: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  deprecated: 0,
  restored: 0,
  columnEdges: 0,
};

const RUN_PROJECTION = `r {
  .id, .depot, .trigger, .requestedBy, .status, .errors, .found, .created, .updated, .unchanged,
  .deprecated, .restored, .columnEdges,
  startedAt: toString(r.startedAt), finishedAt: toString(r.finishedAt)
}`;

const toRun = (raw: Record<string, unknown>): ScanRunRecord => {
  const num = (v: unknown) => (neo4j.isInt(v) ? v.toNumber() : Number(v ?? 0));
  const r = raw as unknown as ScanRunRecord;
  return {
    ...r,
    requestedBy: r.requestedBy ?? null,
    finishedAt: r.finishedAt ?? null,
    errors: r.errors ?? [],
    found: num(r.found),
    created: num(r.created),
    updated: num(r.updated),
    unchanged: num(r.unchanged),
    deprecated: num(r.deprecated),
    restored: num(r.restored),
    columnEdges: num(r.columnEdges),
  };
};

/** Scan runs, the per-depot lock, and what scans keep on datasets (digests, keys). */
export class ScanStore {
  constructor(private readonly neo4j: Neo4jStore) {}

  private async run<T = Record<string, unknown>>(
    cypher: string,
    params: Record<string, unknown>,
    mode: 'READ' | 'WRITE' = 'WRITE',
  ) {
    const session = this.neo4j.driver.session({ database: this.neo4j.database, defaultAccessMode: mode });
    try {
      const res = await (mode === 'READ'
        ? session.executeRead((tx) => tx.run(cypher, params))
        : session.executeWrite((tx) => tx.run(cypher, params)));
      return res.records.map((r) => r.toObject() as T);
    } finally {
      await session.close();
    }
  }

  /** Idempotent, safe from several replicas at once (IF NOT EXISTS). */
  async migrate(): Promise<void> {
    for (const statement of [
      'CREATE CONSTRAINT metis_scan_lock IF NOT EXISTS FOR (l:ScanLock) REQUIRE l.depot IS UNIQUE',
      'CREATE CONSTRAINT metis_scan_run IF NOT EXISTS FOR (r:ScanRun) REQUIRE r.id IS UNIQUE',
      'CREATE INDEX metis_scan_run_depot IF NOT EXISTS FOR (r:ScanRun) ON (r.depot, r.startedAt)',
    ]) {
      await this.run(statement, {});
    }
  }

  /**
   * Starts a run unless one of the depot is under way (on any replica): the lock node serializes
   * the check, so two replicas never scan one depot at once. Null: one is running (see `running`).
   */
  async start(depot: string, trigger: ScanTrigger, requestedBy: string | null): Promise<ScanRunRecord | null> {
    const rows = await this.run<{ r: Record<string, unknown> | null }>(
      `MERGE (l:ScanLock {depot: $depot}) SET l.touchedAt = datetime()
       WITH l
       OPTIONAL MATCH (busy:ScanRun {depot: $depot, status: 'RUNNING'})
       WHERE busy.startedAt > datetime() - duration({milliseconds: $stale})
       WITH l, count(busy) AS busy WHERE busy = 0
       CREATE (r:ScanRun {id: $id, depot: $depot, trigger: $trigger, requestedBy: $requestedBy, status: 'RUNNING',
                          startedAt: datetime(), errors: [], found: 0, created: 0, updated: 0, unchanged: 0,
                          deprecated: 0, restored: 0, columnEdges: 0})
       RETURN ${RUN_PROJECTION} AS r`,
      { depot, trigger, requestedBy, id: `${depot}:${randomUUID()}`, stale: STALE_RUN_MS },
    );
    return rows[0]?.r ? toRun(rows[0].r) : null;
  }

  async running(depot: string): Promise<ScanRunRecord | null> {
    const rows = await this.run<{ r: Record<string, unknown> }>(
      `MATCH (r:ScanRun {depot: $depot, status: 'RUNNING'}) RETURN ${RUN_PROJECTION} AS r ORDER BY r.startedAt DESC LIMIT 1`,
      { depot },
      'READ',
    );
    return rows[0] ? toRun(rows[0].r) : null;
  }

  async finish(id: string, status: ScanStatus, counts: ScanCounts, errors: string[]): Promise<ScanRunRecord> {
    const rows = await this.run<{ r: Record<string, unknown> }>(
      `MATCH (r:ScanRun {id: $id})
       SET r += $counts, r.status = $status, r.errors = $errors, r.finishedAt = datetime()
       WITH r
       CALL (r) {
         MATCH (old:ScanRun {depot: r.depot}) WITH old ORDER BY old.startedAt DESC SKIP $kept DETACH DELETE old
       }
       RETURN ${RUN_PROJECTION} AS r`,
      { id, status, counts, errors, kept: neo4j.int(RUNS_KEPT) },
    );
    return toRun(rows[0]!.r);
  }

  async runs(depot: string, first: number): Promise<ScanRunRecord[]> {
    const rows = await this.run<{ r: Record<string, unknown> }>(
      `MATCH (r:ScanRun {depot: $depot}) RETURN ${RUN_PROJECTION} AS r ORDER BY r.startedAt DESC, r.id LIMIT $first`,
      { depot, first: neo4j.int(first) },
      'READ',
    );
    return rows.map((r) => toRun(r.r));
  }

  /**
   * The last `first` runs of each depot, in one query (a sources list shows each source's last
   * run): depot name to its runs, newest first; a depot never scanned maps to none.
   */
  async runsOf(depots: readonly string[], first: number): Promise<Map<string, ScanRunRecord[]>> {
    const rows = await this.run<{ depot: string; runs: Record<string, unknown>[] }>(
      `UNWIND $depots AS depot
       CALL (depot) {
         MATCH (r:ScanRun {depot: depot})
         WITH r ORDER BY r.startedAt DESC, r.id LIMIT $first
         RETURN collect(${RUN_PROJECTION}) AS runs
       }
       RETURN depot, runs`,
      { depots: [...new Set(depots)], first: neo4j.int(first) },
      'READ',
    );
    return new Map(rows.map((r) => [r.depot, r.runs.map(toRun)]));
  }

  /**
   * The depot's datasets as scans left them: digest of the last scanned state (null when another
   * ingest has rewritten the dataset since, so that the next scan writes the source's state again),
   * whether a scan ever found it, and its deprecation.
   */
  async known(
    depot: string,
  ): Promise<Map<string, { digest: string | null; scanned: boolean; deprecatedBy: string | null }>> {
    const rows = await this.run<{ urn: string; digest: string | null; scanned: boolean; deprecatedBy: string | null }>(
      `MATCH (:Source {name: $depot})-[:CONTAINS]->(d:Dataset)
       RETURN d.urn AS urn, d.scanDigest IS NOT NULL AS scanned, d.deprecatedBy AS deprecatedBy,
              CASE WHEN d.fingerprint = d.scanFingerprint THEN d.scanDigest END AS digest`,
      { depot },
      'READ',
    );
    return new Map(rows.map((r) => [r.urn, { digest: r.digest, scanned: r.scanned, deprecatedBy: r.deprecatedBy }]));
  }

  /**
   * After a dataset's ingest: its scan digest and keys (primary key columns, foreign key targets
   * as `datasetUrn`/`column`), and its view edges replaced by `edges` (only the scanner's own
   * edges, job `view-definition`, are removed: lineage recorded by anyone else stays).
   */
  async recordScanned(
    rows: {
      urn: string;
      digest: string;
      primaryKey: string[];
      foreignKeys: { column: string; datasetUrn: string; referencedColumn: string }[];
      edges: { upstream: string; upstreamColumn: string; downstreamColumn: string; transformation: string | null }[];
    }[],
  ): Promise<number> {
    if (!rows.length) return 0;
    const res = await this.run<{ edges: unknown }>(
      `UNWIND $rows AS row
       MATCH (d:Dataset {urn: row.urn})
       SET d.scanDigest = row.digest, d.scanFingerprint = d.fingerprint
       WITH d, row
       CALL (d, row) {
         MATCH (d)-[:HAS_COLUMN]->(c:Column)
         SET c.primaryKey = c.name IN row.primaryKey,
             c.referencesDataset = null, c.referencesColumn = null
       }
       CALL (d, row) {
         UNWIND row.foreignKeys AS fk
         MATCH (d)-[:HAS_COLUMN]->(c:Column {name: fk.column})
         SET c.referencesDataset = fk.datasetUrn, c.referencesColumn = fk.referencedColumn
       }
       CALL (d) {
         OPTIONAL MATCH (:Dataset)-[e:FEEDS {via: '', job: $job}]->(d)
         DELETE e
       }
       CALL (d) {
         OPTIONAL MATCH (:Column)-[ce:COLUMN_FEEDS {via: '', job: $job}]->(:Column {datasetUrn: d.urn})
         DELETE ce
       }
       CALL (d, row) {
         UNWIND row.edges AS e
         MATCH (up:Dataset {urn: e.upstream})-[:HAS_COLUMN]->(uc:Column {name: e.upstreamColumn})
         MATCH (d)-[:HAS_COLUMN]->(dc:Column {name: e.downstreamColumn})
         MERGE (up)-[f:FEEDS {via: '', job: $job}]->(d)
         ON CREATE SET f.createdAt = datetime()
         MERGE (uc)-[ce:COLUMN_FEEDS {via: '', job: $job}]->(dc)
         SET ce.transformation = e.transformation
         RETURN count(ce) AS edges
       }
       RETURN sum(edges) AS edges`,
      { rows, job: VIEW_JOB },
    );
    return Number(res[0]?.edges ?? 0);
  }
}
