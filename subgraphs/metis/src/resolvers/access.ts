import { badUserInput, notFound } from '@dataos/errors';
import { datasetObject, isAllowed } from '@dataos/subgraph-kit';
import type { Context } from '../context.js';
import type { WriteCheck } from '../dataset-access.js';
import type { DatasetFilter, ResolversParentTypes, ResolversTypes } from '../generated/resolvers.js';
import { connection, visiblePage } from '../paging.js';
import type {
  DatasetRecord,
  DomainRecord,
  GlossaryTermRecord,
  JobRunRecord,
  ResourceRecord,
  SourceRecord,
} from '../store/records.js';
import { deletionOf, deprecationOf, type LifecycleFields } from '../store/lifecycle.js';
import { assertDepot, objectPaths } from '../urn.js';
import { domainName, ownerId, pageSize, tag as tagOf } from '../validate.js';
import { countDatasets, countLater } from './counts.js';

/** What resolvers return for a type (the parent of its field resolvers, without federation references). */
export type Out<K extends keyof ResolversTypes> = Awaited<ResolversTypes[K]>;
type Parents = { [K in keyof ResolversTypes]: Out<K> };

/**
 * Codegen maps only Dataset and Column to store records; for the other types, the fields in K are
 * filled by field resolvers, and `recordOf` reads the record behind a parent.
 */
export const lazy = <T, K extends keyof T>(value: Omit<T, K>): T => value as T;

/** A record with its soft deletion and deprecation as the GraphQL types show them. */
const withLifecycle = <T extends LifecycleFields>(r: T) => ({
  ...r,
  deletion: deletionOf(r),
  deprecation: deprecationOf(r),
});

export const sourceParent = (s: SourceRecord) => lazy<Parents['Source'], 'datasets' | 'scanRuns'>(s);
export const domainParent = (d: DomainRecord) => lazy<Parents['Domain'], 'datasets'>(withLifecycle(d));
export const termParent = (t: GlossaryTermRecord) =>
  lazy<Parents['GlossaryTerm'], 'columns' | 'datasets' | 'related'>(withLifecycle(t));
export const resourceParent = (r: ResourceRecord) =>
  lazy<Parents['Resource'], 'inputs' | 'outputs' | 'runs'>(withLifecycle(r));
export const runParent = (r: JobRunRecord) => lazy<Parents['JobRun'], never>(r);
export const termRecord = (parent: ResolversParentTypes['GlossaryTerm']) => parent as unknown as GlossaryTermRecord;

/** A dataset, or null when unknown or the caller may not read it (never FORBIDDEN: no leak). */
export async function readDataset(ctx: Context, urn: string): Promise<DatasetRecord | null> {
  const d = await ctx.loaders.dataset.load(urn);
  return d && (await ctx.access.canReadDataset(d)) ? d : null;
}

/** The readable datasets among these URNs, in their order. */
export async function readDatasets(ctx: Context, urns: readonly string[]): Promise<DatasetRecord[]> {
  const found = (await ctx.loaders.dataset.loadMany(urns)).filter(
    (d): d is DatasetRecord => d !== null && !(d instanceof Error),
  );
  return ctx.access.readable(found, (d) => d);
}

export async function readResource(ctx: Context, urn: string | null | undefined): Promise<ResourceRecord | null> {
  if (!urn) return null;
  const r = await ctx.loaders.resource.load(urn);
  return r && (await isAllowed(ctx, 'read', { path: objectPaths.resource(r.urn) })) ? r : null;
}

export async function readTerms(ctx: Context, names: readonly string[]): Promise<GlossaryTermRecord[]> {
  const found = (await ctx.loaders.term.loadMany(names)).filter(
    (t): t is GlossaryTermRecord => t !== null && !(t instanceof Error),
  );
  return ctx.access.readablePaths(found, (t) => objectPaths.glossaryTerm(t.name));
}

export async function readDomain(ctx: Context, name: string | null | undefined): Promise<DomainRecord | null> {
  if (!name) return null;
  const d = await ctx.loaders.domain.load(name);
  return d && (await isAllowed(ctx, 'read', { path: objectPaths.domain(d.name) })) ? d : null;
}

export async function readSource(ctx: Context, name: string): Promise<SourceRecord | null> {
  const s = await ctx.loaders.source.load(name);
  return s && (await isAllowed(ctx, 'read', { path: objectPaths.source(s.name) })) ? s : null;
}

/** A dataset the caller must be able to read (else NOT_FOUND) and write (else FORBIDDEN). */
export async function writableDataset(
  ctx: Context,
  urn: string,
  field: string,
  extra: WriteCheck[] = [],
): Promise<DatasetRecord> {
  const d = await readDataset(ctx, urn);
  if (!d) throw notFound(`Unknown dataset "${urn}".`, { field });
  await ctx.access.requireWrites([{ object: datasetObject(d, d.domainName), field }, ...extra]);
  return d;
}

export function forgetDataset(ctx: Context, urn: string): void {
  ctx.loaders.dataset.clear(urn);
  ctx.loaders.columns.clear(urn);
}

export function datasetFilter(filter: DatasetFilter | null | undefined, includeDeleted?: boolean | null) {
  return {
    includeDeleted: includeDeleted ?? false,
    source: filter?.source == null ? null : assertDepot(filter.source, 'filter.source'),
    domain: filter?.domain == null ? null : domainName(filter.domain, 'filter.domain'),
    owner: filter?.owner == null ? null : ownerId(filter.owner, 'filter.owner'),
    tag: filter?.tag == null ? null : tagOf(filter.tag, 'filter.tag'),
    layer: filter?.layer ?? null,
  };
}

/** A connection of readable datasets in URN order (keyset, stable under inserts). */
export async function datasetConnection(
  ctx: Context,
  filter: Omit<ReturnType<typeof datasetFilter>, 'includeDeleted'> & { includeDeleted?: boolean },
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const size = pageSize(first);
  const start = after ? ctx.cursors.decode<string>('dataset', after) : '';
  if (typeof start !== 'string') throw badUserInput('The cursor is not valid here.', { field: 'after' });
  const page = await visiblePage<DatasetRecord>({
    first: size,
    after: start,
    fetch: (from, scan) => ctx.loaders.datasetPage.load({ request: { ...filter, after: from }, scan }),
    keyOf: (d) => d.urn,
    visible: (rows) => ctx.access.readable(rows, (d) => d),
  });
  for (const d of page.items) ctx.loaders.dataset.prime(d.urn, d);
  return {
    ...connection(ctx.cursors, 'dataset', page, (d) => d.urn),
    totalCount: countLater(() => countDatasets(ctx, filter)),
  };
}
