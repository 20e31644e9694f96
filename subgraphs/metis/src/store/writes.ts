import { createHash, randomUUID } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import { badUserInput, notFound } from '@dataos/errors';
import type { Neo4jStore } from '@dataos/stores';
import { ftKey, ftText } from '../text.js';
import { parseDatasetUrn, resourceUrn } from '../urn.js';
import type {
  DatasetIngest,
  GlossaryTermUpsert,
  LineageInput,
  OwnerInput,
  Refs,
  ResourceUpsert,
  RunInput,
  SourceIngest,
} from './inputs.js';
import { ftOwners, ownerRows, replaceOwners } from './owners.js';
import { recordVersions } from './versions.js';

// The input types lived here; importers outside Metis's own modules still find them here.
export type * from './inputs.js';

export interface IngestCounts {
  created: number;
  updated: number;
  unchanged: number;
}

const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const ftTags = (tags: string[]) => ftText(...tags.map((t) => t.replace(SEPARATORS, ' ')));

/** Bumped when ingest writes more derived properties: re-ingesting then rewrites unchanged input. */
const WRITE_VERSION = 3;

/** A stable digest of what an ingest was given for one dataset: same input, same digest. */
export function fingerprint(dataset: DatasetIngest): string {
  return createHash('sha256')
    .update(JSON.stringify([WRITE_VERSION, dataset]))
    .digest('base64url');
}

async function assertRefs(tx: ManagedTransaction, refs: Refs): Promise<void> {
  const params = {
    datasets: refs.datasets ?? [],
    columns: refs.columns ?? [],
    resources: refs.resources ?? [],
    domains: refs.domains ?? [],
    terms: refs.terms ?? [],
  };
  if (Object.values(params).every((l) => l.length === 0)) return;
  const res = await tx.run(
    `CALL () { UNWIND $datasets AS r OPTIONAL MATCH (x:Dataset {urn: r.urn}) WITH r, x WHERE x IS NULL
               RETURN collect({field: r.field, what: 'dataset "' + r.urn + '"'}) AS a }
     CALL () { UNWIND $columns AS r OPTIONAL MATCH (x:Column {datasetUrn: r.datasetUrn, name: r.name}) WITH r, x WHERE x IS NULL
               RETURN collect({field: r.field, what: 'column "' + r.name + '" of ' + r.datasetUrn}) AS b }
     CALL () { UNWIND $resources AS r OPTIONAL MATCH (x:Resource {urn: r.urn}) WITH r, x WHERE x IS NULL
               RETURN collect({field: r.field, what: 'resource "' + r.urn + '"'}) AS c }
     CALL () { UNWIND $domains AS r OPTIONAL MATCH (x:Domain {name: r.name}) WITH r, x WHERE x IS NULL
               RETURN collect({field: r.field, what: 'domain "' + r.name + '"'}) AS d }
     CALL () { UNWIND $terms AS r OPTIONAL MATCH (x:GlossaryTerm {name: r.name}) WITH r, x WHERE x IS NULL
               RETURN collect({field: r.field, what: 'glossary term "' + r.name + '"'}) AS e }
     RETURN a + b + c + d + e AS missing`,
    params,
  );
  const missing = res.records[0]?.get('missing') as { field: string; what: string }[] | undefined;
  const first = missing?.[0];
  if (first) throw notFound(`Unknown ${first.what}.`, { field: first.field, missing: missing!.length });
}

/** Every write of Metis: one transaction per call, references checked first, idempotent. */
export class CatalogWriter {
  constructor(private readonly neo4j: Neo4jStore) {}

  async write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    const session = this.neo4j.driver.session({ database: this.neo4j.database });
    try {
      return await session.executeWrite(work);
    } finally {
      await session.close();
    }
  }

  /**
   * Bulk upsert of one source's datasets with their columns, in one transaction; each dataset
   * whose schema or description changed gets a version by `author` (store/versions.ts).
   */
  ingest(
    source: SourceIngest,
    datasets: DatasetIngest[],
    refs: Refs,
    author: string | null = null,
    now = new Date(),
  ): Promise<IngestCounts> {
    const rows = datasets.map((d) => {
      const urn = parseDatasetUrn(d.urn)!;
      const props: Record<string, unknown> = {
        name: d.name,
        source: urn.depot,
        collection: urn.collection,
        kind: d.kind,
        ftName: ftText(d.name),
        ftKey: ftKey(d.name),
        ftContext: ftText(urn.depot, urn.collection),
        ftSource: urn.depot,
        ftType: 'dataset',
      };
      if (d.description !== undefined) props.description = d.description;
      if (d.format !== undefined) props.format = d.format;
      if (d.layer !== undefined) props.layer = d.layer;
      if (d.tags !== undefined) Object.assign(props, { tags: d.tags, ftTags: ftTags(d.tags) });
      if (d.domain !== undefined) Object.assign(props, { domain: d.domain, ftDomain: d.domain });
      if (d.owners !== undefined) props.ftOwners = ftOwners(d.owners);
      if (d.freshnessSloSeconds !== undefined) props.freshnessSloSeconds = d.freshnessSloSeconds;
      return {
        urn: d.urn,
        fingerprint: fingerprint(d),
        props,
        setDomain: d.domain !== undefined,
        domain: d.domain ?? null,
        owners: ownerRows(d.owners),
        terms: d.glossaryTerms ?? null,
        columnNames: d.columns.map((c) => c.name),
      };
    });
    return this.write(async (tx) => {
      await assertRefs(tx, refs);
      const status = await tx.run(
        `UNWIND $rows AS row OPTIONAL MATCH (d:Dataset {urn: row.urn})
         RETURN row.urn AS urn, d IS NULL AS created, d.fingerprint = row.fingerprint AS unchanged`,
        { rows: rows.map((r) => ({ urn: r.urn, fingerprint: r.fingerprint })) },
      );
      const state = new Map(status.records.map((r) => [r.get('urn') as string, r]));
      const created = rows.filter((r) => state.get(r.urn)?.get('created') === true).length;
      const changed = new Set(rows.filter((r) => state.get(r.urn)?.get('unchanged') !== true).map((r) => r.urn));

      const sourceProps: Record<string, unknown> = {};
      if (source.type !== undefined) sourceProps.type = source.type;
      if (source.description !== undefined) sourceProps.description = source.description;
      if (source.connection !== undefined) sourceProps.connectionJson = JSON.stringify(source.connection);
      await tx.run(
        `MERGE (s:Source {name: $name})
         ON CREATE SET s.createdAt = datetime($now), s.type = 'unknown', s.updatedAt = datetime($now)
         WITH s, properties(s) AS before
         SET s += $props
         WITH s, before WHERE before <> properties(s)
         SET s.updatedAt = datetime($now)`,
        { name: source.name, props: sourceProps, now: now.toISOString() },
      );
      const changedRows = rows.filter((r) => changed.has(r.urn));
      // The state about to be replaced, for datasets catalogued before history was kept.
      const overwritten = changedRows.filter((r) => state.get(r.urn)?.get('created') === false).map((r) => r.urn);
      await recordVersions(tx, overwritten, null, now, true);
      if (changedRows.length) {
        await tx.run(
          `UNWIND $rows AS row
           MATCH (s:Source {name: $source})
           MERGE (d:Dataset {urn: row.urn})
           ON CREATE SET d.createdAt = datetime($now)
           SET d += row.props, d.updatedAt = datetime($now), d.fingerprint = row.fingerprint
           MERGE (s)-[:CONTAINS]->(d)
           WITH d, row
           CALL (d, row) {
             WITH * WHERE row.setDomain
             OPTIONAL MATCH (d)-[r:IN_DOMAIN]->() DELETE r
             WITH DISTINCT d, row WHERE row.domain IS NOT NULL
             MATCH (dom:Domain {name: row.domain}) MERGE (d)-[:IN_DOMAIN]->(dom)
           }
           ${replaceOwners('d', 'row.owners')}
           CALL (d, row) {
             WITH * WHERE row.terms IS NOT NULL
             OPTIONAL MATCH (d)-[r:HAS_TERM]->() DELETE r
             WITH DISTINCT d, row UNWIND row.terms AS t
             MATCH (g:GlossaryTerm {name: t}) MERGE (d)-[:HAS_TERM]->(g)
           }
           CALL (d, row) {
             MATCH (d)-[:HAS_COLUMN]->(c:Column) WHERE NOT c.name IN row.columnNames
             DETACH DELETE c
           }`,
          { rows: changedRows, source: source.name, now: now.toISOString() },
        );
        // Columns grouped by dataset: new datasets get theirs created outright (nothing to merge
        // with), changed ones merged by (datasetUrn, name).
        const isNew = new Set(rows.filter((r) => state.get(r.urn)?.get('created') === true).map((r) => r.urn));
        const groups = datasets
          .filter((d) => changed.has(d.urn))
          .map((d) => ({
            urn: d.urn,
            fresh: isNew.has(d.urn),
            columns: d.columns.map((c, position) => {
              const props: Record<string, unknown> = {
                type: c.type,
                nullable: c.nullable,
                position,
                ftName: ftText(c.name),
                ftKey: ftKey(c.name),
                ftContext: ftText(d.name),
                ftSource: parseDatasetUrn(d.urn)!.depot,
                ftType: 'column',
              };
              if (c.description !== undefined) props.description = c.description;
              if (c.tags !== undefined) Object.assign(props, { tags: c.tags, ftTags: ftTags(c.tags) });
              return { name: c.name, props, terms: c.glossaryTerms ?? null };
            }),
          }));
        const fresh = groups.filter((g) => g.fresh && g.columns.length);
        const existing = groups.filter((g) => !g.fresh && g.columns.length);
        if (fresh.length) {
          await tx.run(
            `UNWIND $groups AS g
             MATCH (d:Dataset {urn: g.urn})
             UNWIND g.columns AS col
             CREATE (d)-[:HAS_COLUMN]->(c:Column {datasetUrn: g.urn, name: col.name, tags: [], ftTags: ''})
             SET c += col.props, c.layer = d.layer, c.ftDomain = d.ftDomain, c.ftOwners = d.ftOwners
             WITH c, col WHERE col.terms IS NOT NULL
             UNWIND col.terms AS t
             MATCH (term:GlossaryTerm {name: t}) CREATE (c)-[:HAS_TERM]->(term)`,
            { groups: fresh },
          );
        }
        if (existing.length) {
          await tx.run(
            `UNWIND $groups AS g
             MATCH (d:Dataset {urn: g.urn})
             UNWIND g.columns AS col
             MERGE (c:Column {datasetUrn: g.urn, name: col.name})
             ON CREATE SET c.tags = [], c.ftTags = ''
             SET c += col.props, c.layer = d.layer, c.ftDomain = d.ftDomain, c.ftOwners = d.ftOwners
             MERGE (d)-[:HAS_COLUMN]->(c)
             WITH c, col WHERE col.terms IS NOT NULL
             CALL (c) { OPTIONAL MATCH (c)-[r:HAS_TERM]->() DELETE r }
             WITH c, col UNWIND col.terms AS t
             MATCH (term:GlossaryTerm {name: t}) MERGE (c)-[:HAS_TERM]->(term)`,
            { groups: existing },
          );
        }
      }
      await recordVersions(tx, [...changed], author, now);
      return { created, updated: changed.size - created, unchanged: rows.length - changed.size };
    });
  }

  /** `description` undefined leaves the dataset's description alone. */
  describe(
    urn: string,
    description: string | null | undefined,
    columns: { name: string; description: string | null }[],
    refs: Refs,
    author: string | null = null,
    now = new Date(),
  ) {
    return this.write(async (tx) => {
      await assertRefs(tx, refs);
      await recordVersions(tx, [urn], null, now, true);
      await tx.run(
        `MATCH (d:Dataset {urn: $urn})
         SET d.updatedAt = datetime($now), d.description = CASE WHEN $set THEN $description ELSE d.description END
         WITH d UNWIND $columns AS col
         MATCH (d)-[:HAS_COLUMN]->(c:Column {name: col.name}) SET c.description = col.description`,
        { urn, set: description !== undefined, description: description ?? null, columns, now: now.toISOString() },
      );
      await recordVersions(tx, [urn], author, now);
    });
  }

  /** Adds and removes tags of a dataset (column null) or of one of its columns. */
  tag(
    urn: string,
    column: string | null,
    add: string[],
    remove: string[],
    refs: Refs,
    author: string | null = null,
    now = new Date(),
  ) {
    return this.write(async (tx) => {
      await assertRefs(tx, refs);
      await recordVersions(tx, [urn], null, now, true);
      const res = await tx.run(
        `MATCH (d:Dataset {urn: $urn})
         OPTIONAL MATCH (d)-[:HAS_COLUMN]->(c:Column {name: $column})
         WITH d, CASE WHEN $column IS NULL THEN d ELSE c END AS n
         WITH d, n, [t IN coalesce(n.tags, []) WHERE NOT t IN $remove] AS kept
         SET n.tags = kept + [t IN $add WHERE NOT t IN kept], d.updatedAt = datetime($now)
         RETURN n.tags AS tags`,
        { urn, column, add, remove, now: now.toISOString() },
      );
      const tags = (res.records[0]?.get('tags') as string[] | undefined) ?? [];
      await tx.run(
        `MATCH (d:Dataset {urn: $urn}) OPTIONAL MATCH (d)-[:HAS_COLUMN]->(c:Column {name: $column})
         WITH CASE WHEN $column IS NULL THEN d ELSE c END AS n SET n.ftTags = $ft`,
        { urn, column, ft: ftTags(tags) },
      );
      await recordVersions(tx, [urn], author, now);
      return tags;
    });
  }

  setOwners(urn: string, owners: OwnerInput[], now = new Date()) {
    return this.write(async (tx) => {
      await tx.run(
        `MATCH (d:Dataset {urn: $urn}) SET d.updatedAt = datetime($now), d.ftOwners = $ftOwners
         WITH d CALL (d) { MATCH (d)-[:HAS_COLUMN]->(c:Column) SET c.ftOwners = $ftOwners }
         ${replaceOwners('d', '$owners')}`,
        { urn, owners: ownerRows(owners), ftOwners: ftOwners(owners), now: now.toISOString() },
      );
    });
  }

  setGlossaryTerms(urn: string, column: string | null, terms: string[], refs: Refs, now = new Date()) {
    return this.write(async (tx) => {
      await assertRefs(tx, refs);
      await tx.run(
        `MATCH (d:Dataset {urn: $urn}) SET d.updatedAt = datetime($now)
         WITH d OPTIONAL MATCH (d)-[:HAS_COLUMN]->(c:Column {name: $column})
         WITH CASE WHEN $column IS NULL THEN d ELSE c END AS n
         CALL (n) { OPTIONAL MATCH (n)-[r:HAS_TERM]->() DELETE r }
         WITH n UNWIND $terms AS t
         MATCH (g:GlossaryTerm {name: t}) MERGE (n)-[:HAS_TERM]->(g)`,
        { urn, column, terms, now: now.toISOString() },
      );
    });
  }

  /** Idempotent: one FEEDS edge per (upstream, downstream, via, job). */
  addLineage(edges: LineageInput[], refs: Refs) {
    const rows = edges.map((e) => ({ ...e, via: e.via ?? '', job: e.job ?? '' }));
    return this.write(async (tx) => {
      await assertRefs(tx, refs);
      await tx.run(
        `UNWIND $rows AS row
         MATCH (a:Dataset {urn: row.upstream}), (b:Dataset {urn: row.downstream})
         MERGE (a)-[e:FEEDS {via: row.via, job: row.job}]->(b)
         ON CREATE SET e.createdAt = datetime()
         WITH a, b, row UNWIND row.columns AS col
         MATCH (a)-[:HAS_COLUMN]->(ca:Column {name: col.upstream}), (b)-[:HAS_COLUMN]->(cb:Column {name: col.downstream})
         MERGE (ca)-[ce:COLUMN_FEEDS {via: row.via, job: row.job}]->(cb)
         SET ce.transformation = col.transformation`,
        { rows },
      );
    });
  }

  /** Records (or updates, by id) a run; a successful run refreshes the dataset's operational metadata. */
  recordRun(run: RunInput, refs: Refs): Promise<string> {
    const id = run.id ?? randomUUID();
    return this.write(async (tx) => {
      await assertRefs(tx, refs);
      // The id is claimed in this transaction: MERGE on the unique id locks it, so of two racing
      // recordings of one id on two datasets, the second sees the first's run and is refused
      // (nothing moves, no second PRODUCED edge). The answer is the same whatever the other
      // dataset is, readable or not, so it tells nothing about it.
      const claim = await tx.run(
        `MERGE (r:JobRun {id: $id}) ON CREATE SET r.datasetUrn = $urn RETURN r.datasetUrn = $urn AS mine`,
        { id, urn: run.datasetUrn },
      );
      if (claim.records[0]?.get('mine') !== true) {
        throw badUserInput(`Run id "${id}" is already used by another run: choose another id.`, { field: 'input.id' });
      }
      await tx.run(
        `MATCH (d:Dataset {urn: $run.datasetUrn})
         MATCH (r:JobRun {id: $id})
         SET r.datasetUrn = $run.datasetUrn, r.resourceUrn = $run.resourceUrn, r.job = $run.job, r.status = $run.status,
             r.startedAt = datetime($run.startedAt),
             r.finishedAt = CASE WHEN $run.finishedAt IS NULL THEN null ELSE datetime($run.finishedAt) END,
             r.rowCount = $run.rowCount, r.sizeBytes = $run.sizeBytes
         MERGE (r)-[:PRODUCED]->(d)
         WITH r, d
         CALL (r) {
           WITH r WHERE r.resourceUrn IS NOT NULL
           MATCH (res:Resource {urn: r.resourceUrn}) MERGE (res)-[:RAN]->(r)
         }
         WITH r, d
         WHERE r.status = 'SUCCEEDED' AND r.finishedAt IS NOT NULL
           AND (d.lastRefreshedAt IS NULL OR r.finishedAt >= d.lastRefreshedAt)
         SET d.lastRefreshedAt = r.finishedAt,
             d.rowCount = coalesce(r.rowCount, d.rowCount), d.sizeBytes = coalesce(r.sizeBytes, d.sizeBytes)
         WITH r, d UNWIND $profiles AS p
         MATCH (d)-[:HAS_COLUMN]->(c:Column {name: p.name})
         // A column keeps its newest profile: an older run (a seed replayed, a late report) does not
         // overwrite what Metis's own profiler or a later run found.
         WITH r, p, c WHERE c.profiledAt IS NULL OR c.profiledAt <= r.finishedAt
         SET c.nullCount = p.nullCount, c.distinctCount = p.distinctCount, c.min = p.min, c.max = p.max,
             c.mean = p.mean, c.profileMasked = null, c.profiledAt = r.finishedAt, c.profileRowCount = r.rowCount`,
        {
          id,
          run: {
            ...run,
            startedAt: run.startedAt.toISOString(),
            finishedAt: run.finishedAt?.toISOString() ?? null,
          },
          profiles: run.columnProfiles,
        },
      );
      return id;
    });
  }

  upsertResource(resource: ResourceUpsert, now = new Date()): Promise<string> {
    const urn = resourceUrn(resource.kind, resource.workspace, resource.name);
    const props: Record<string, unknown> = { kind: resource.kind, workspace: resource.workspace, name: resource.name };
    if (resource.version !== undefined) props.version = resource.version;
    if (resource.state !== undefined) props.state = resource.state;
    if (resource.description !== undefined) props.description = resource.description;
    if (resource.tags !== undefined) props.tags = resource.tags;
    // A resource has at most one owner: null removes it, undefined leaves it as it is.
    const owners = resource.owner === undefined ? null : ownerRows(resource.owner ? [resource.owner] : []);
    return this.write(async (tx) => {
      await tx.run(
        `MERGE (r:Resource {urn: $urn})
         ON CREATE SET r.createdAt = datetime($now)
         WITH r, properties(r) AS before
         SET r += $props
         WITH r, before, properties(r) <> before AS changed
         SET r.updatedAt = CASE WHEN changed OR r.updatedAt IS NULL THEN datetime($now) ELSE r.updatedAt END
         WITH r
         ${replaceOwners('r', '$owners')}`,
        { urn, props, owners, now: now.toISOString() },
      );
      return urn;
    });
  }

  upsertGlossaryTerm(term: GlossaryTermUpsert, refs: Refs) {
    return this.write(async (tx) => {
      await assertRefs(tx, refs);
      await tx.run(
        `MERGE (g:GlossaryTerm {name: $term.name})
         SET g.description = $term.definition, g.synonyms = $term.synonyms, g.domain = $term.domain,
             g.ftName = $ftName, g.ftKey = $ftKey, g.ftTags = '', g.ftContext = $ftContext,
             g.ftType = 'term', g.ftDomain = $term.domain
         // Only the relations this term asserts: those other terms assert are theirs to change
         // (their own write permission), even though reads show relations both ways.
         WITH g CALL (g) { OPTIONAL MATCH (g)-[r:RELATED_TO]->() DELETE r }
         WITH g UNWIND $term.related AS other
         MATCH (o:GlossaryTerm {name: other}) MERGE (g)-[:RELATED_TO]->(o)`,
        { term, ftName: ftText(term.name, ...term.synonyms), ftKey: ftKey(term.name), ftContext: ftText(term.domain) },
      );
    });
  }

  upsertDomain(name: string, description: string | null | undefined) {
    return this.write(async (tx) => {
      await tx.run(
        `MERGE (d:Domain {name: $name}) SET d.description = CASE WHEN $set THEN $description ELSE d.description END`,
        { name, set: description !== undefined, description: description ?? null },
      );
    });
  }
}
