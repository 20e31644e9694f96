import { createHash } from 'node:crypto';
import { int, type ManagedTransaction } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';

/**
 * Schema history. Every write that can change a dataset's schema or description (ingest,
 * describe, tag) ends by recording versions in its own transaction: the dataset's state is read
 * back, and a `DatasetVersion` is created only when its digest differs from the last version's,
 * so an idempotent re-ingest (or a write that changes nothing) adds none. A version holds the
 * whole state (a few KB); diffs are computed on read between any two versions.
 */
export interface VersionColumn {
  name: string;
  type: string;
  nullable: boolean;
  description: string | null;
  tags: string[];
}

export interface SchemaState {
  description: string | null;
  tags: string[];
  columns: VersionColumn[];
}

export interface VersionRecord extends SchemaState {
  datasetUrn: string;
  number: number;
  createdAt: string;
  /** Null for the state found when history started (datasets written before versions existed). */
  author: string | null;
}

export const stateDigest = (s: SchemaState) => createHash('sha256').update(JSON.stringify(s)).digest('base64url');

const sorted = (tags: readonly string[] | null | undefined) => [...(tags ?? [])].sort();

/**
 * Records a version for each dataset whose state differs from its last version. `baseline` records
 * only datasets that have no version yet, with no author: called before a write, it keeps the state
 * the write is about to replace for datasets catalogued before history was kept.
 */
export async function recordVersions(
  tx: ManagedTransaction,
  urns: readonly string[],
  author: string | null,
  now: Date,
  baseline = false,
): Promise<number> {
  if (!urns.length) return 0;
  const res = await tx.run(
    `UNWIND $urns AS urn MATCH (d:Dataset {urn: urn})
     ${baseline ? 'WHERE d.versionCount IS NULL' : ''}
     RETURN urn, d.description AS description, d.tags AS tags, coalesce(d.versionCount, 0) AS count,
            d.versionDigest AS digest,
            COLLECT { MATCH (d)-[:HAS_COLUMN]->(c:Column)
                      RETURN c {.name, .type, .nullable, .description, .tags, .position}
                      ORDER BY c.position, c.name } AS columns`,
    { urns },
  );
  const rows = res.records.flatMap((r) => {
    const state: SchemaState = {
      description: (r.get('description') as string | null) ?? null,
      tags: sorted(r.get('tags') as string[] | null),
      columns: (r.get('columns') as Record<string, unknown>[]).map((c) => ({
        name: c.name as string,
        type: c.type as string,
        nullable: (c.nullable as boolean | null) ?? true,
        description: (c.description as string | null) ?? null,
        tags: sorted(c.tags as string[] | null),
      })),
    };
    const digest = stateDigest(state);
    if (digest === r.get('digest')) return [];
    const count = Number(r.get('count'));
    return [{ urn: r.get('urn') as string, number: int(count + 1), digest, state: JSON.stringify(state) }];
  });
  if (!rows.length) return 0;
  await tx.run(
    `UNWIND $rows AS row MATCH (d:Dataset {urn: row.urn})
     SET d.versionCount = row.number, d.versionDigest = row.digest
     CREATE (d)-[:HAS_VERSION]->(:DatasetVersion {datasetUrn: row.urn, number: row.number, createdAt: datetime($now),
                                                  author: $author, state: row.state})`,
    { rows, author, now: now.toISOString() },
  );
  return rows.length;
}

interface RawVersion {
  datasetUrn: string;
  number: number;
  createdAt: string;
  author: string | null;
  state: string;
}

const toVersion = (v: RawVersion): VersionRecord => ({
  datasetUrn: v.datasetUrn,
  number: Number(v.number),
  createdAt: v.createdAt,
  author: v.author ?? null,
  ...(JSON.parse(v.state) as SchemaState),
});

const VERSION_PROJECTION = `v {.datasetUrn, .number, createdAt: toString(v.createdAt), .author, .state}`;

export interface VersionPageRequest {
  urn: string;
  /** The number of the last version of the previous page (newest first); null for the first page. */
  before: number | null;
}

/** Pages of at most `size` versions, newest first, for several datasets in one round trip. */
export async function versionPages(store: CatalogStore, requests: readonly VersionPageRequest[], size: number) {
  const rows = await store.read<{ i: number; versions: RawVersion[] }>(
    `UNWIND $reqs AS req
     CALL (req) {
       MATCH (v:DatasetVersion {datasetUrn: req.urn}) WHERE req.before IS NULL OR v.number < req.before
       WITH v ORDER BY v.number DESC LIMIT $size
       RETURN collect(${VERSION_PROJECTION}) AS versions
     }
     RETURN req.i AS i, versions`,
    {
      reqs: requests.map((r, i) => ({ i, urn: r.urn, before: r.before === null ? null : int(r.before) })),
      size: int(size),
    },
  );
  const out: VersionRecord[][] = requests.map(() => []);
  for (const r of rows) out[Number(r.i)] = r.versions.map(toVersion);
  return out;
}

/** Versions by (dataset, number), with the version before each (for `changes`). */
export async function versionsByNumber(
  store: CatalogStore,
  keys: readonly { urn: string; number: number }[],
): Promise<(VersionRecord | null)[]> {
  const rows = await store.read<{ i: number; v: RawVersion | null }>(
    `UNWIND $keys AS k
     OPTIONAL MATCH (v:DatasetVersion {datasetUrn: k.urn, number: k.number})
     RETURN k.i AS i, CASE WHEN v IS NULL THEN null ELSE ${VERSION_PROJECTION} END AS v`,
    { keys: keys.map((k, i) => ({ i, urn: k.urn, number: int(k.number) })) },
  );
  const out: (VersionRecord | null)[] = keys.map(() => null);
  for (const r of rows) out[Number(r.i)] = r.v ? toVersion(r.v) : null;
  return out;
}

/** The number of versions of each dataset. */
export async function versionCounts(store: CatalogStore, urns: readonly string[]): Promise<number[]> {
  const rows = await store.read<{ urn: string; count: number }>(
    `UNWIND $urns AS urn MATCH (d:Dataset {urn: urn}) RETURN urn, coalesce(d.versionCount, 0) AS count`,
    { urns },
  );
  const byUrn = new Map(rows.map((r) => [r.urn, Number(r.count)]));
  return urns.map((u) => byUrn.get(u) ?? 0);
}
