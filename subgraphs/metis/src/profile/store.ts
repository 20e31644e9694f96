import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import type { Neo4jStore } from '@dataos/stores';
import type { ColumnStats } from './sql.js';

export type ProfileStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface ProfileRunRecord {
  id: string;
  datasetUrn: string;
  status: ProfileStatus;
  startedAt: string;
  finishedAt: string | null;
  columns: number;
  error: string | null;
  /** The Minerva cluster asked for, then the one that ran it; null: the Gateway's routing, not run yet. */
  cluster: string | null;
}

export interface DatasetProfileRecord {
  rowCount: number | null;
  profiledAt: string | null;
  lastRun: ProfileRunRecord;
}

/** Runs kept per dataset; older ones are deleted when a run finishes. */
const KEEP_RUNS = 20;

const RUN = `r { .id, .datasetUrn, .status, .columns, .error, .cluster,
  startedAt: toString(r.startedAt), finishedAt: toString(r.finishedAt) }`;

/** Profiling runs (:ProfileRun) and their results on the dataset's columns. */
export class ProfileStore {
  constructor(private readonly store: Neo4jStore) {}

  private q(query: string, params: Record<string, unknown>) {
    return this.store.driver.executeQuery(query, params, { database: this.store.database });
  }

  async migrate(): Promise<void> {
    await this.q('CREATE CONSTRAINT metis_profile_run_id IF NOT EXISTS FOR (r:ProfileRun) REQUIRE r.id IS UNIQUE', {});
    await this.q(
      'CREATE INDEX metis_profile_run_dataset IF NOT EXISTS FOR (r:ProfileRun) ON (r.datasetUrn, r.startedAt)',
      {},
    );
  }

  async start(datasetUrn: string, columns: number, cluster: string | null = null): Promise<ProfileRunRecord> {
    const { records } = await this.q(
      `CREATE (r:ProfileRun {id: $id, datasetUrn: $urn, status: 'RUNNING', startedAt: datetime(), columns: $columns,
         cluster: $cluster})
       RETURN ${RUN} AS run`,
      { id: randomUUID(), urn: datasetUrn, columns, cluster },
    );
    return records[0]!.get('run') as ProfileRunRecord;
  }

  /** Writes the counts (min/max only where the principal saw clear values) and closes the run, in one transaction. */
  async succeed(
    run: ProfileRunRecord,
    cluster: string,
    rowCount: number,
    stats: readonly ColumnStats[],
  ): Promise<ProfileRunRecord> {
    const { records } = await this.q(
      `MATCH (r:ProfileRun {id: $id})
       SET r.status = 'SUCCEEDED', r.finishedAt = datetime(), r.columns = $count, r.cluster = $cluster
       WITH r
       MATCH (d:Dataset {urn: r.datasetUrn})
       SET d.profileRowCount = $rowCount, d.profiledAt = r.finishedAt
       WITH r, d
       CALL (r, d) {
         UNWIND $stats AS s
         MATCH (d)-[:HAS_COLUMN]->(c:Column {name: s.name})
         SET c.nullCount = s.nullCount, c.distinctCount = s.distinctCount, c.min = s.min, c.max = s.max,
             c.mean = null, c.profileMasked = s.masked, c.profiledAt = r.finishedAt, c.profileRowCount = $rowCount
       }
       RETURN ${RUN} AS run`,
      { id: run.id, cluster, rowCount, stats, count: stats.length },
    );
    // The dataset was hard-deleted during the run: nothing was written.
    if (!records[0]) return this.fail(run, 'The dataset was deleted while it was profiled.');
    await this.prune(run.datasetUrn);
    return records[0].get('run') as ProfileRunRecord;
  }

  async fail(run: ProfileRunRecord, error: string): Promise<ProfileRunRecord> {
    const { records } = await this.q(
      `MATCH (r:ProfileRun {id: $id}) SET r.status = 'FAILED', r.finishedAt = datetime(), r.error = $error
       RETURN ${RUN} AS run`,
      { id: run.id, error: error.slice(0, 2000) },
    );
    await this.prune(run.datasetUrn);
    return records[0]!.get('run') as ProfileRunRecord;
  }

  async datasetProfile(urn: string): Promise<DatasetProfileRecord | null> {
    const { records } = await this.q(
      `MATCH (r:ProfileRun {datasetUrn: $urn}) WITH r ORDER BY r.startedAt DESC LIMIT 1
       OPTIONAL MATCH (d:Dataset {urn: $urn})
       RETURN ${RUN} AS run, d.profileRowCount AS rowCount, toString(d.profiledAt) AS profiledAt`,
      { urn },
    );
    const rec = records[0];
    if (!rec) return null;
    const rowCount = rec.get('rowCount') as number | null;
    return {
      rowCount: rowCount === null ? null : Number(rowCount),
      profiledAt: rec.get('profiledAt'),
      lastRun: rec.get('run'),
    };
  }

  private async prune(urn: string): Promise<void> {
    await this.q(
      `MATCH (r:ProfileRun {datasetUrn: $urn}) WITH r ORDER BY r.startedAt DESC SKIP $keep DETACH DELETE r`,
      { urn, keep: neo4j.int(KEEP_RUNS) },
    );
  }
}
