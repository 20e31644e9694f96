import type { CatalogWriter } from './writes.js';

/**
 * Soft delete, deprecation and hard delete of catalog things, one statement each. The state lives
 * on the node (or FEEDS relationship) itself: `deletedAt/By`, `deprecatedAt/By`,
 * `deprecationNote`, `replacementUrn`; a soft-deleted dataset's columns carry `deletedAt` too, so
 * that search drops them without reading their dataset.
 */
export type TargetKind = 'DATASET' | 'LINEAGE_EDGE' | 'RESOURCE' | 'GLOSSARY_TERM' | 'DOMAIN';

export type Target =
  | { kind: 'DATASET' | 'RESOURCE' | 'GLOSSARY_TERM' | 'DOMAIN'; key: string }
  | { kind: 'LINEAGE_EDGE'; upstream: string; downstream: string; via: string; job: string };

/** What every lifecycle-aware record carries (null when never set). */
export interface LifecycleFields {
  deletedAt?: string | null;
  deletedBy?: string | null;
  deprecatedAt?: string | null;
  deprecatedBy?: string | null;
  deprecationNote?: string | null;
  replacementUrn?: string | null;
}

/** A Cypher map projection of the lifecycle fields of `n`, to append inside another projection. */
export const lifecycleProjection = (n: string) =>
  `deletedAt: toString(${n}.deletedAt), deletedBy: ${n}.deletedBy, deprecatedAt: toString(${n}.deprecatedAt),
   deprecatedBy: ${n}.deprecatedBy, deprecationNote: ${n}.deprecationNote, replacementUrn: ${n}.replacementUrn`;

export const deletionOf = (r: LifecycleFields) =>
  r.deletedAt ? { at: r.deletedAt, by: r.deletedBy ?? 'unknown' } : null;

export const deprecationOf = (r: LifecycleFields) =>
  r.deprecatedAt
    ? {
        note: r.deprecationNote ?? '',
        replacementUrn: r.replacementUrn ?? null,
        at: r.deprecatedAt,
        by: r.deprecatedBy ?? 'unknown',
      }
    : null;

const MATCH: Record<TargetKind, string> = {
  DATASET: 'MATCH (n:Dataset {urn: $t.key})',
  RESOURCE: 'MATCH (n:Resource {urn: $t.key})',
  GLOSSARY_TERM: 'MATCH (n:GlossaryTerm {name: $t.key})',
  DOMAIN: 'MATCH (n:Domain {name: $t.key})',
  LINEAGE_EDGE:
    'MATCH (:Dataset {urn: $t.upstream})-[n:FEEDS {via: $t.via, job: $t.job}]->(:Dataset {urn: $t.downstream})',
};

export type LifecycleChange =
  | { op: 'delete' }
  | { op: 'restore' }
  | { op: 'deprecate'; note: string; replacementUrn: string | null }
  | { op: 'undeprecate' };

const SET: Record<LifecycleChange['op'], string> = {
  // The first deletion is kept: deleting again records nothing new.
  delete: `SET n.deletedAt = coalesce(n.deletedAt, datetime($now)), n.deletedBy = coalesce(n.deletedBy, $by)`,
  restore: `REMOVE n.deletedAt, n.deletedBy`,
  deprecate: `SET n.deprecatedAt = datetime($now), n.deprecatedBy = $by, n.deprecationNote = $change.note,
                  n.replacementUrn = $change.replacementUrn`,
  undeprecate: `REMOVE n.deprecatedAt, n.deprecatedBy, n.deprecationNote, n.replacementUrn`,
};

/**
 * What a soft delete or restore copies onto dependants: a dataset's columns (search drops them
 * without reading their dataset), a lineage edge's column edges (column lineage hides them).
 */
const CASCADE: Partial<Record<TargetKind, string>> = {
  DATASET: `CALL (n) { MATCH (n)-[:HAS_COLUMN]->(c:Column) SET c.deletedAt = n.deletedAt }`,
  LINEAGE_EDGE: `CALL (n) {
    MATCH (:Dataset {urn: $t.upstream})-[:HAS_COLUMN]->(:Column)-[ce:COLUMN_FEEDS {via: $t.via, job: $t.job}]
          ->(:Column {datasetUrn: $t.downstream})
    SET ce.deletedAt = n.deletedAt
  }`,
};

/** Applies a change; the target's lifecycle fields after it, or null when there is no such target. */
export async function changeLifecycle(
  writer: CatalogWriter,
  target: Target,
  change: LifecycleChange,
  by: string,
  now = new Date(),
): Promise<LifecycleFields | null> {
  return writer.write(async (tx) => {
    const res = await tx.run(
      `${MATCH[target.kind]} ${SET[change.op]}
       WITH n
       ${change.op === 'delete' || change.op === 'restore' ? (CASCADE[target.kind] ?? '') : ''}
       RETURN n {${lifecycleProjection('n')}} AS state`,
      { t: target, change, op: change.op, by, now: now.toISOString() },
    );
    return (res.records[0]?.get('state') as LifecycleFields | undefined) ?? null;
  });
}

/**
 * Removes the target for good. A dataset goes with its columns, versions, runs and every edge; a
 * lineage edge with the column edges of the same workflow and job between its two datasets.
 */
export async function purge(writer: CatalogWriter, target: Target): Promise<boolean> {
  return writer.write(async (tx) => {
    const res = await tx.run(
      target.kind === 'DATASET'
        ? `MATCH (n:Dataset {urn: $t.key})
           OPTIONAL MATCH (n)-[:HAS_COLUMN]->(c:Column)
           OPTIONAL MATCH (n)-[:HAS_VERSION]->(v:DatasetVersion)
           OPTIONAL MATCH (r:JobRun)-[:PRODUCED]->(n)
           OPTIONAL MATCH (x:DeclassificationEvent|SuggestionDecision {datasetUrn: $t.key})
           WITH n, collect(DISTINCT c) + collect(DISTINCT v) + collect(DISTINCT r) + collect(DISTINCT x) AS parts
           FOREACH (p IN parts | DETACH DELETE p)
           DETACH DELETE n
           RETURN count(*) AS gone`
        : target.kind === 'LINEAGE_EDGE'
          ? `${MATCH.LINEAGE_EDGE}
             OPTIONAL MATCH (:Dataset {urn: $t.upstream})-[:HAS_COLUMN]->(:Column)-[ce:COLUMN_FEEDS {via: $t.via, job: $t.job}]
                            ->(:Column {datasetUrn: $t.downstream})
             WITH n, collect(ce) AS columnEdges
             FOREACH (e IN columnEdges | DELETE e)
             DELETE n
             RETURN count(*) AS gone`
          : `${MATCH[target.kind]} DETACH DELETE n RETURN count(*) AS gone`,
      { t: target },
    );
    return Number(res.records[0]?.get('gone') ?? 0) > 0;
  });
}
