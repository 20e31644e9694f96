import { int } from 'neo4j-driver';
import type { Neo4jStore } from '@dataos/stores';
import { parseDatasetUrn } from '../urn.js';
import { lifecycleProjection } from './lifecycle.js';
import type {
  ColumnProfileRecord,
  ColumnRecord,
  DatasetRecord,
  DomainRecord,
  GlossaryTermRecord,
  JobRunRecord,
  OwnerRecord,
  ResourceKind,
  ResourceRecord,
  SourceRecord,
} from './records.js';

export type { ColumnRecord, DatasetRecord } from './records.js';

/** Cypher map projections, shared by every query that returns these records. */
export const DATASET_PROJECTION = `d {
  .urn, .name, sourceName: d.source, .collection, .kind, .description, .format, .layer,
  tags: coalesce(d.tags, []), domainName: d.domain,
  owners: [(d)-[:OWNED_BY]->(o:Owner) | o {.id, .kind, .name, .email}],
  glossaryTermNames: [(d)-[:HAS_TERM]->(g:GlossaryTerm) | g.name],
  createdAt: toString(d.createdAt), updatedAt: toString(d.updatedAt),
  .rowCount, .sizeBytes, lastRefreshedAt: toString(d.lastRefreshedAt), .freshnessSloSeconds,
  ${lifecycleProjection('d')}
}`;

const COLUMN_PROJECTION = `c {
  .datasetUrn, .name, .type, .description, nullable: coalesce(c.nullable, true), position: coalesce(c.position, 0),
  tags: coalesce(c.tags, []), glossaryTermNames: [(c)-[:HAS_TERM]->(g:GlossaryTerm) | g.name],
  profile: CASE WHEN c.profiledAt IS NULL THEN null ELSE {
    rowCount: c.profileRowCount, nullCount: c.nullCount, distinctCount: c.distinctCount, min: c.min, max: c.max,
    mean: c.mean, profiledAt: toString(c.profiledAt), masked: coalesce(c.profileMasked, false) } END
}`;

const RESOURCE_PROJECTION = `r {
  .urn, .kind, .workspace, .name, .version, .state, .description, tags: coalesce(r.tags, []),
  owner: head([(r)-[:OWNED_BY]->(o:Owner) | o {.id, .kind, .name, .email}]),
  createdAt: toString(r.createdAt), updatedAt: toString(r.updatedAt), ${lifecycleProjection('r')}
}`;

const TERM_PROJECTION = `g {
  .name, definition: coalesce(g.description, ''), synonyms: coalesce(g.synonyms, []), domainName: g.domain,
  relatedNames: [(g)-[:RELATED_TO]-(x:GlossaryTerm) | x.name], ${lifecycleProjection('g')}
}`;

const RUN_PROJECTION = `r {
  .id, .status, .datasetUrn, .resourceUrn, .job, startedAt: toString(r.startedAt),
  finishedAt: toString(r.finishedAt), .rowCount, .sizeBytes
}`;

const SOURCE_PROJECTION = `s {
  .name, type: coalesce(s.type, 'unknown'), .description, connectionJson: s.connectionJson,
  createdAt: toString(s.createdAt), updatedAt: toString(s.updatedAt)
}`;

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Fills what datasets written before this schema (or by other tools) may lack. */
export function toDatasetRecord(raw: Record<string, unknown>): DatasetRecord {
  const d = raw as unknown as DatasetRecord;
  const parsed = parseDatasetUrn(d.urn);
  return {
    ...d,
    name: d.name ?? parsed?.name ?? d.urn,
    sourceName: d.sourceName ?? parsed?.depot ?? '',
    collection: d.collection ?? parsed?.collection ?? '',
    kind: d.kind ?? 'TABLE',
    description: d.description ?? null,
    format: d.format ?? null,
    layer: d.layer ?? null,
    domainName: d.domainName ?? null,
    owners: [...(d.owners as OwnerRecord[])]
      .map((o) => ({ id: o.id, kind: o.kind ?? 'PERSON', name: o.name ?? null, email: o.email ?? null }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    glossaryTermNames: [...d.glossaryTermNames].sort(),
    rowCount: d.rowCount ?? null,
    sizeBytes: d.sizeBytes ?? null,
    freshnessSloSeconds: d.freshnessSloSeconds ?? null,
  };
}

function toColumnRecord(raw: Record<string, unknown>): ColumnRecord {
  const c = raw as unknown as ColumnRecord;
  return {
    ...c,
    description: c.description ?? null,
    glossaryTermNames: [...c.glossaryTermNames].sort(),
    profile: c.profile ? (c.profile as ColumnProfileRecord) : null,
  };
}

function toResourceRecord(raw: Record<string, unknown>): ResourceRecord {
  const r = raw as unknown as ResourceRecord;
  return {
    ...r,
    version: r.version ?? null,
    state: r.state ?? null,
    description: r.description ?? null,
    owner: r.owner ? { ...r.owner, name: r.owner.name ?? null, email: r.owner.email ?? null } : null,
  };
}

function toTermRecord(raw: Record<string, unknown>): GlossaryTermRecord {
  const g = raw as unknown as GlossaryTermRecord;
  return { ...g, domainName: g.domainName ?? null, relatedNames: [...new Set(g.relatedNames)].sort() };
}

function toSourceRecord(raw: Record<string, unknown>): SourceRecord {
  const { connectionJson, ...s } = raw as Omit<SourceRecord, 'connection'> & { connectionJson: string | null };
  return {
    ...s,
    description: s.description ?? null,
    connection: connectionJson ? (JSON.parse(connectionJson) as SourceRecord['connection']) : [],
  };
}

function toRunRecord(raw: Record<string, unknown>): JobRunRecord {
  const r = raw as unknown as JobRunRecord;
  return {
    ...r,
    resourceUrn: r.resourceUrn ?? null,
    job: r.job ?? null,
    rowCount: r.rowCount ?? null,
    sizeBytes: r.sizeBytes ?? null,
  };
}

export interface DatasetPageRequest {
  /** Exclusive lower bound on the URN ('' for the first page). */
  after: string;
  source?: string | null;
  domain?: string | null;
  owner?: string | null;
  tag?: string | null;
  layer?: string | null;
  /** Soft-deleted datasets too (hidden by default). */
  includeDeleted?: boolean;
}

export interface KeyPageRequest {
  after: string;
  kind?: ResourceKind | null;
  includeDeleted?: boolean;
}

export interface RunPageRequest {
  urn: string;
  /** [startedAt, id] of the last run of the previous page, newest first. */
  after: [string, string] | null;
}

/** Hand-written Cypher reads over Metis's labels; every method answers a batch in one round trip. */
export class CatalogStore {
  constructor(readonly neo4j: Neo4jStore) {}

  async read<T = Record<string, unknown>>(cypher: string, params: Record<string, unknown>): Promise<T[]> {
    const { records } = await this.neo4j.driver.executeQuery(cypher, params, {
      database: this.neo4j.database,
      routing: 'READ',
    });
    return records.map((r) => r.toObject() as T);
  }

  async datasetsByUrn(urns: readonly string[]): Promise<DatasetRecord[]> {
    const rows = await this.read<{ d: Record<string, unknown> }>(
      `UNWIND $urns AS urn MATCH (d:Dataset {urn: urn}) RETURN ${DATASET_PROJECTION} AS d`,
      { urns },
    );
    return rows.map((r) => toDatasetRecord(r.d));
  }

  async columnsOf(urns: readonly string[]): Promise<ColumnRecord[]> {
    const rows = await this.read<{ c: Record<string, unknown> }>(
      `UNWIND $urns AS urn MATCH (:Dataset {urn: urn})-[:HAS_COLUMN]->(c:Column)
       RETURN ${COLUMN_PROJECTION} AS c ORDER BY c.datasetUrn, c.position, c.name`,
      { urns },
    );
    return rows.map((r) => toColumnRecord(r.c));
  }

  /**
   * Several keyset pages of datasets in URN order at once, each at most `scan` rows (stable under
   * inserts: a page starts strictly after the last URN seen).
   */
  async datasetPages(requests: readonly DatasetPageRequest[], scan: number): Promise<DatasetRecord[][]> {
    const reqs = requests.map((r, i) => ({
      i,
      after: r.after,
      source: r.source ?? null,
      domain: r.domain ?? null,
      owner: r.owner ?? null,
      tag: r.tag ?? null,
      layer: r.layer ?? null,
      includeDeleted: r.includeDeleted ?? false,
    }));
    const rows = await this.read<{ i: number; rows: Record<string, unknown>[] }>(
      `UNWIND $reqs AS req
       CALL (req) {
         MATCH (d:Dataset)
         WHERE d.urn > req.after
           AND (req.source IS NULL OR d.source = req.source)
           AND (req.domain IS NULL OR d.domain = req.domain)
           AND (req.layer IS NULL OR d.layer = req.layer)
           AND (req.tag IS NULL OR req.tag IN d.tags)
           AND (req.owner IS NULL OR EXISTS { (d)-[:OWNED_BY]->(:Owner {id: req.owner}) })
           AND (req.includeDeleted OR d.deletedAt IS NULL)
         WITH d ORDER BY d.urn LIMIT $scan
         RETURN collect(${DATASET_PROJECTION}) AS rows
       }
       RETURN req.i AS i, rows`,
      { reqs, scan: int(scan) },
    );
    const out: DatasetRecord[][] = requests.map(() => []);
    for (const r of rows) out[r.i] = r.rows.map(toDatasetRecord);
    return out;
  }

  async sourcesByName(names: readonly string[]): Promise<SourceRecord[]> {
    const rows = await this.read<{ s: Record<string, unknown> }>(
      `UNWIND $names AS name MATCH (s:Source {name: name}) RETURN ${SOURCE_PROJECTION} AS s`,
      { names },
    );
    return rows.map((r) => toSourceRecord(r.s));
  }

  async sourcePage(after: string, scan: number): Promise<SourceRecord[]> {
    const rows = await this.read<{ s: Record<string, unknown> }>(
      `MATCH (s:Source) WHERE s.name > $after WITH s ORDER BY s.name LIMIT $scan RETURN ${SOURCE_PROJECTION} AS s`,
      { after, scan: int(scan) },
    );
    return rows.map((r) => toSourceRecord(r.s));
  }

  async domainsByName(names: readonly string[]): Promise<DomainRecord[]> {
    return this.read<DomainRecord>(
      `UNWIND $names AS name MATCH (d:Domain {name: name}) RETURN d {.name, .description, ${lifecycleProjection('d')}} AS d`,
      { names },
    ).then((rows) => rows.map((r) => (r as unknown as { d: DomainRecord }).d));
  }

  async allDomains(includeDeleted = false): Promise<DomainRecord[]> {
    const rows = await this.read<{ d: DomainRecord }>(
      `MATCH (d:Domain) WHERE $includeDeleted OR d.deletedAt IS NULL
       RETURN d {.name, .description, ${lifecycleProjection('d')}} AS d ORDER BY d.name LIMIT 1000`,
      { includeDeleted },
    );
    return rows.map((r) => r.d);
  }

  async termsByName(names: readonly string[]): Promise<GlossaryTermRecord[]> {
    const rows = await this.read<{ g: Record<string, unknown> }>(
      `UNWIND $names AS name MATCH (g:GlossaryTerm {name: name}) RETURN ${TERM_PROJECTION} AS g`,
      { names },
    );
    return rows.map((r) => toTermRecord(r.g)).sort(byName);
  }

  async termPage(after: string, scan: number, includeDeleted = false): Promise<GlossaryTermRecord[]> {
    const rows = await this.read<{ g: Record<string, unknown> }>(
      `MATCH (g:GlossaryTerm) WHERE g.name > $after AND ($includeDeleted OR g.deletedAt IS NULL)
       WITH g ORDER BY g.name LIMIT $scan RETURN ${TERM_PROJECTION} AS g`,
      { after, scan: int(scan), includeDeleted },
    );
    return rows.map((r) => toTermRecord(r.g));
  }

  /** Datasets and columns a glossary term is linked to, for several terms. */
  async termLinks(
    names: readonly string[],
  ): Promise<{ name: string; datasetUrns: string[]; columns: ColumnRecord[] }[]> {
    const rows = await this.read<{ name: string; datasetUrns: string[]; columns: Record<string, unknown>[] }>(
      `UNWIND $names AS name MATCH (g:GlossaryTerm {name: name})
       RETURN name,
         [(d:Dataset)-[:HAS_TERM]->(g) | d.urn] AS datasetUrns,
         [(c:Column)-[:HAS_TERM]->(g) | ${COLUMN_PROJECTION}] AS columns`,
      { names },
    );
    return rows.map((r) => ({
      name: r.name,
      datasetUrns: [...r.datasetUrns].sort(),
      columns: r.columns
        .map(toColumnRecord)
        .sort((a, b) => `${a.datasetUrn} ${a.name}`.localeCompare(`${b.datasetUrn} ${b.name}`)),
    }));
  }

  async resourcesByUrn(urns: readonly string[]): Promise<ResourceRecord[]> {
    const rows = await this.read<{ r: Record<string, unknown> }>(
      `UNWIND $urns AS urn MATCH (r:Resource {urn: urn}) RETURN ${RESOURCE_PROJECTION} AS r`,
      { urns },
    );
    return rows.map((r) => toResourceRecord(r.r));
  }

  async resourcePage(request: KeyPageRequest, scan: number): Promise<ResourceRecord[]> {
    const rows = await this.read<{ r: Record<string, unknown> }>(
      `MATCH (r:Resource) WHERE r.urn > $after AND ($kind IS NULL OR r.kind = $kind)
         AND ($includeDeleted OR r.deletedAt IS NULL)
       WITH r ORDER BY r.urn LIMIT $scan RETURN ${RESOURCE_PROJECTION} AS r`,
      {
        after: request.after,
        kind: request.kind ?? null,
        scan: int(scan),
        includeDeleted: request.includeDeleted ?? false,
      },
    );
    return rows.map((r) => toResourceRecord(r.r));
  }

  /** The datasets read and written through each resource (its lineage edges). */
  async resourceLinks(urns: readonly string[]): Promise<{ urn: string; inputs: string[]; outputs: string[] }[]> {
    return this.read(
      `UNWIND $urns AS urn
       OPTIONAL MATCH (a:Dataset)-[e:FEEDS {via: urn}]->(b:Dataset)
       RETURN urn, collect(DISTINCT a.urn) AS inputs, collect(DISTINCT b.urn) AS outputs`,
      { urns },
    );
  }

  /** Runs of datasets or resources, newest first, `scan` per request. */
  async runPages(
    by: 'dataset' | 'resource',
    requests: readonly RunPageRequest[],
    scan: number,
  ): Promise<JobRunRecord[][]> {
    const property = by === 'dataset' ? 'datasetUrn' : 'resourceUrn';
    const reqs = requests.map((r, i) => ({
      i,
      urn: r.urn,
      afterTime: r.after?.[0] ?? null,
      afterId: r.after?.[1] ?? null,
    }));
    const rows = await this.read<{ i: number; runs: Record<string, unknown>[] }>(
      `UNWIND $reqs AS req
       CALL (req) {
         MATCH (r:JobRun) WHERE r.${property} = req.urn
         WITH r WHERE req.afterTime IS NULL OR r.startedAt < datetime(req.afterTime)
           OR (r.startedAt = datetime(req.afterTime) AND r.id < req.afterId)
         WITH r ORDER BY r.startedAt DESC, r.id DESC LIMIT $scan
         RETURN collect(${RUN_PROJECTION}) AS runs
       }
       RETURN req.i AS i, runs`,
      { reqs, scan: int(scan) },
    );
    const out: JobRunRecord[][] = requests.map(() => []);
    for (const r of rows) out[r.i] = r.runs.map(toRunRecord);
    return out;
  }

  async runsById(ids: readonly string[]): Promise<JobRunRecord[]> {
    const rows = await this.read<{ r: Record<string, unknown> }>(
      `UNWIND $ids AS id MATCH (r:JobRun {id: id}) RETURN ${RUN_PROJECTION} AS r`,
      { ids },
    );
    return rows.map((r) => toRunRecord(r.r));
  }

  /**
   * What authorization needs of every dataset of a list (its URN, tags and domain), for exact
   * counts: at most `limit` rows, in URN order.
   */
  async datasetFactsOf(request: Omit<DatasetPageRequest, 'after'>, limit: number) {
    return this.read<{ urn: string; tags: string[]; domainName: string | null }>(
      `MATCH (d:Dataset)
       WHERE ($source IS NULL OR d.source = $source)
         AND ($domain IS NULL OR d.domain = $domain)
         AND ($layer IS NULL OR d.layer = $layer)
         AND ($tag IS NULL OR $tag IN d.tags)
         AND ($owner IS NULL OR EXISTS { (d)-[:OWNED_BY]->(:Owner {id: $owner}) })
         AND ($includeDeleted OR d.deletedAt IS NULL)
       WITH d ORDER BY d.urn LIMIT $limit
       RETURN d.urn AS urn, coalesce(d.tags, []) AS tags, d.domain AS domainName`,
      {
        source: request.source ?? null,
        domain: request.domain ?? null,
        layer: request.layer ?? null,
        tag: request.tag ?? null,
        owner: request.owner ?? null,
        includeDeleted: request.includeDeleted ?? false,
        limit: int(limit),
      },
    );
  }

  /** Runs of a dataset or resource, counted per dataset they produced (for exact counts). */
  async runCounts(by: 'dataset' | 'resource', urn: string): Promise<{ datasetUrn: string; count: number }[]> {
    const property = by === 'dataset' ? 'datasetUrn' : 'resourceUrn';
    const rows = await this.read<{ datasetUrn: string; count: number }>(
      `MATCH (r:JobRun) WHERE r.${property} = $urn RETURN r.datasetUrn AS datasetUrn, count(*) AS count`,
      { urn },
    );
    return rows.map((r) => ({ datasetUrn: r.datasetUrn, count: Number(r.count) }));
  }

  /** A trivial round trip, the baseline the bench compares with. */
  async ping(): Promise<void> {
    await this.read('RETURN 1 AS one', {});
  }
}
