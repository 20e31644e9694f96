import { isAllowed } from '@dataos/subgraph-kit';
import type { Context } from '../context.js';
import type { Resolvers } from '../generated/resolvers.js';
import { connection, visiblePage } from '../paging.js';
import type { ColumnRecord, DatasetRecord, JobRunRecord } from '../store/records.js';
import { objectPaths, parseResourceUrn, resourceUrn } from '../urn.js';
import { pageSize } from '../validate.js';
import {
  datasetConnection,
  domainParent,
  readDataset,
  readDatasets,
  readDomain,
  readResource,
  readTerms,
  resourceParent,
  runParent,
  sourceParent,
  termParent,
  termRecord,
} from './access.js';
import { classificationFields, columnRefResolvers } from './classifications.js';
import { columnLineage } from './column-lineage.js';
import { countLater, countRuns } from './counts.js';
import { datasetHistory } from './history.js';
import { lifecycleFields } from './lifecycle.js';
import { suggestionFields } from './suggestions.js';
import { buildLineage, lineageDepth } from './lineage.js';

type RunKey = [startedAt: string, id: string];

/** Runs newest first; `visible` filters runs by their dataset (all visible under a dataset). */
async function runConnection(
  ctx: Context,
  by: 'dataset' | 'resource',
  urn: string,
  first: number | null | undefined,
  after: string | null | undefined,
) {
  const size = pageSize(first, 10);
  const start = after ? ctx.cursors.decode<RunKey>('run', after) : null;
  const page = await visiblePage<JobRunRecord, RunKey | null>({
    first: size,
    after: start,
    fetch: (from, scan) => ctx.loaders.runPage.load({ by, request: { urn, after: from }, scan }),
    keyOf: (r) => [r.startedAt, r.id],
    visible: async (runs) => {
      if (by === 'dataset') return runs;
      const readable = new Set(
        (await readDatasets(ctx, [...new Set(runs.map((r) => r.datasetUrn))])).map((d) => d.urn),
      );
      return runs.filter((r) => readable.has(r.datasetUrn));
    },
  });
  const conn = connection(ctx.cursors, 'run', page, (r) => [r.startedAt, r.id]);
  return {
    ...conn,
    edges: conn.edges.map((e) => ({ ...e, node: runParent(e.node) })),
    totalCount: countLater(() => countRuns(ctx, by, urn)),
  };
}

/** Readable datasets that are not soft-deleted: what lists of linked datasets show. */
const liveDatasets = async (ctx: Context, urns: readonly string[]) =>
  (await readDatasets(ctx, urns)).filter((d) => !d.deletedAt);

function freshness(d: DatasetRecord) {
  const last = d.lastRefreshedAt ? new Date(d.lastRefreshedAt) : null;
  const ageSeconds = last ? Math.max(0, Math.floor((Date.now() - last.getTime()) / 1000)) : null;
  return {
    lastRefreshedAt: d.lastRefreshedAt,
    ageSeconds,
    sloSeconds: d.freshnessSloSeconds,
    stale: d.freshnessSloSeconds == null ? null : ageSeconds === null || ageSeconds > d.freshnessSloSeconds,
  };
}

export const typeResolvers: Resolvers = {
  Dataset: {
    __resolveReference: (ref, ctx) => readDataset(ctx, ref.urn),
    source: async (d, _args, ctx) => {
      const s = await ctx.loaders.source.load(d.sourceName);
      return sourceParent(
        s ?? {
          name: d.sourceName,
          type: 'unknown',
          description: null,
          connection: [],
          createdAt: null,
          updatedAt: null,
        },
      );
    },
    domain: async (d, _args, ctx) => {
      const domain = await readDomain(ctx, d.domainName);
      return domain && domainParent(domain);
    },
    glossaryTerms: async (d, _args, ctx) => (await readTerms(ctx, d.glossaryTermNames)).map(termParent),
    columns: (d, _args, ctx) => ctx.loaders.columns.load(d.urn),
    freshness: (d) => freshness(d),
    runs: (d, { first, after }, ctx) => runConnection(ctx, 'dataset', d.urn, first, after),
    lineage: (d, { direction, depth, includeDeleted }, ctx) =>
      buildLineage(ctx, d, direction ?? 'BOTH', lineageDepth(depth), includeDeleted ?? false),
    ...datasetHistory,
    ...lifecycleFields,
    ...suggestionFields,
  },
  Column: {
    __resolveReference: async (ref, ctx) => {
      if (!(await readDataset(ctx, ref.datasetUrn))) return null;
      const columns = await ctx.loaders.columns.load(ref.datasetUrn);
      return columns.find((c) => c.name === ref.name) ?? null;
    },
    dataset: async (c, _args, ctx) => {
      const d = await ctx.loaders.dataset.load(c.datasetUrn);
      if (!d) throw new Error(`dataset ${c.datasetUrn} of a column vanished`);
      return d;
    },
    glossaryTerms: async (c, _args, ctx) => (await readTerms(ctx, c.glossaryTermNames)).map(termParent),
    lineage: (c, { direction, depth }, ctx) => columnLineage(ctx, c, direction ?? 'BOTH', lineageDepth(depth)),
    ...classificationFields,
  },
  ColumnRef: columnRefResolvers,
  Source: {
    connection: async (s, _args, ctx) =>
      (await isAllowed(ctx, 'read', { path: objectPaths.depot(s.name) })) ? (s.connection ?? []) : null,
    resource: async (s, _args, ctx) => {
      const r = await readResource(ctx, resourceUrn('DEPOT', 'system', s.name));
      return r && resourceParent(r);
    },
    datasets: (s, { first, after }, ctx) =>
      datasetConnection(ctx, { source: s.name, domain: null, owner: null, tag: null, layer: null }, first, after),
  },
  Domain: {
    datasets: (d, { first, after }, ctx) =>
      datasetConnection(ctx, { source: null, domain: d.name, owner: null, tag: null, layer: null }, first, after),
  },
  GlossaryTerm: {
    domain: async (t, _args, ctx) => {
      const d = await readDomain(ctx, termRecord(t).domainName);
      return d && domainParent(d);
    },
    related: async (t, _args, ctx) => (await readTerms(ctx, termRecord(t).relatedNames)).map(termParent),
    datasets: async (t, _args, ctx) => liveDatasets(ctx, (await ctx.loaders.termLinks.load(t.name)).datasetUrns),
    columns: async (t, _args, ctx) => {
      const { columns } = await ctx.loaders.termLinks.load(t.name);
      const readable = new Set(
        (await liveDatasets(ctx, [...new Set(columns.map((c) => c.datasetUrn))])).map((d) => d.urn),
      );
      return columns.filter((c: ColumnRecord) => readable.has(c.datasetUrn));
    },
  },
  Resource: {
    __resolveReference: async (ref, ctx) => {
      const r = await readResource(ctx, parseResourceUrn(ref.urn)?.urn);
      return r && resourceParent(r);
    },
    inputs: async (r, _args, ctx) => liveDatasets(ctx, (await ctx.loaders.resourceLinks.load(r.urn)).inputs),
    outputs: async (r, _args, ctx) => liveDatasets(ctx, (await ctx.loaders.resourceLinks.load(r.urn)).outputs),
    runs: (r, { first, after }, ctx) => runConnection(ctx, 'resource', r.urn, first, after),
  },
  JobRun: {
    dataset: (r, _args, ctx) => readDataset(ctx, r.datasetUrn),
    resource: async (r, _args, ctx) => {
      const res = await readResource(ctx, r.resourceUrn);
      return res && resourceParent(res);
    },
  },
  CatalogSearchResult: {
    __resolveType: (node) => ('datasetUrn' in node ? 'Column' : 'urn' in node ? 'Dataset' : 'GlossaryTerm'),
  },
};
