import type { Context } from '../context.js';
import type { ResourceKind, Resolvers } from '../generated/resolvers.js';
import { connection, visiblePage } from '../paging.js';
import type { GlossaryTermRecord, ResourceRecord, SourceRecord } from '../store/records.js';
import { assertResourceUrn, assertUrn, objectPaths } from '../urn.js';
import { domainName, pageSize, termName, text } from '../validate.js';
import {
  datasetConnection,
  datasetFilter,
  domainParent,
  readDataset,
  readDomain,
  readResource,
  readSource,
  readTerms,
  resourceParent,
  sourceParent,
  termParent,
} from './access.js';
import { buildLineage, lineageDepth } from './lineage.js';
import { countLater, countPaths } from './counts.js';
import { search } from './search.js';
import { suggest } from './suggest.js';

/** A keyed listing (sources, resources, glossary terms) filtered by `read` on each item's path. */
async function pathPage<T>(
  ctx: Context,
  kind: string,
  first: number | null | undefined,
  after: string | null | undefined,
  fetch: (after: string, scan: number) => Promise<T[]>,
  keyOf: (item: T) => string,
  pathOf: (item: T) => string,
) {
  // Counted over every item from the start of the list, whatever page this is.
  const totalCount = countLater(() => countPaths(ctx, (limit) => fetch('', limit), pathOf));
  const page = await visiblePage<T>({
    first: pageSize(first),
    after: after ? ctx.cursors.decode<string>(kind, after) : '',
    fetch,
    keyOf,
    visible: (rows) => ctx.access.readablePaths(rows, pathOf),
  });
  return { ...connection(ctx.cursors, kind, page, keyOf), totalCount };
}

export const queryResolvers: Resolvers = {
  Query: {
    dataset: (_root, { urn }, ctx) => readDataset(ctx, assertUrn(urn)),
    datasets: (_root, { first, after, filter, includeDeleted }, ctx) =>
      datasetConnection(ctx, datasetFilter(filter, includeDeleted), first, after),
    column: async (_root, { datasetUrn, name }, ctx) => {
      if (!(await readDataset(ctx, assertUrn(datasetUrn, 'datasetUrn')))) return null;
      return (await ctx.loaders.columns.load(datasetUrn)).find((c) => c.name === name) ?? null;
    },
    search: (_root, { query, first, after, filter, includeDeleted, sort }, ctx, info) =>
      search(ctx, query, first, after, filter, info, includeDeleted ?? false, sort === 'USAGE'),
    suggest: (_root, { prefix, first, types }, ctx) => suggest(ctx, prefix, first, types),
    lineage: async (_root, { urn, direction, depth, includeDeleted }, ctx) => {
      const d = lineageDepth(depth);
      const root = await readDataset(ctx, assertUrn(urn));
      return root && buildLineage(ctx, root, direction ?? 'BOTH', d, includeDeleted ?? false);
    },
    source: async (_root, { name }, ctx) => {
      const s = await readSource(ctx, text(name, 'name', 64));
      return s && sourceParent(s);
    },
    sources: async (_root, { first, after }, ctx) => {
      const conn = await pathPage<SourceRecord>(
        ctx,
        'source',
        first,
        after,
        (from, scan) => ctx.store.sourcePage(from, scan),
        (s) => s.name,
        (s) => objectPaths.source(s.name),
      );
      return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: sourceParent(e.node) })) };
    },
    resource: async (_root, { urn }, ctx) => {
      const r = await readResource(ctx, assertResourceUrn(urn).urn);
      return r && resourceParent(r);
    },
    resources: async (_root, { first, after, kind, includeDeleted }, ctx) => {
      const conn = await pathPage<ResourceRecord>(
        ctx,
        `resource:${kind ?? ''}`,
        first,
        after,
        (from, scan) =>
          ctx.store.resourcePage(
            { after: from, kind: (kind ?? null) as ResourceKind | null, includeDeleted: includeDeleted ?? false },
            scan,
          ),
        (r) => r.urn,
        (r) => objectPaths.resource(r.urn),
      );
      return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: resourceParent(e.node) })) };
    },
    glossaryTerm: async (_root, { name }, ctx) => {
      const [t] = await readTerms(ctx, [termName(name, 'name')]);
      return t ? termParent(t) : null;
    },
    glossaryTerms: async (_root, { first, after, includeDeleted }, ctx) => {
      const conn = await pathPage<GlossaryTermRecord>(
        ctx,
        'term',
        first,
        after,
        (from, scan) => ctx.store.termPage(from, scan, includeDeleted ?? false),
        (t) => t.name,
        (t) => objectPaths.glossaryTerm(t.name),
      );
      return { ...conn, edges: conn.edges.map((e) => ({ ...e, node: termParent(e.node) })) };
    },
    domain: async (_root, { name }, ctx) => {
      const d = await readDomain(ctx, domainName(name, 'name'));
      return d && domainParent(d);
    },
    domains: async (_root, { includeDeleted }, ctx) => {
      const all = await ctx.store.allDomains(includeDeleted ?? false);
      return (await ctx.access.readablePaths(all, (d) => objectPaths.domain(d.name))).map(domainParent);
    },
  },
};
