import type { Context } from '../context.js';
import type { ColumnResolvers, ColumnRefResolvers } from '../generated/resolvers.js';
import type { ColumnKey } from '../store/column-lineage.js';
import type { ColumnRecord } from '../store/records.js';
import type { Out } from './access.js';
import { readDatasets } from './access.js';

type Ref = Out<'ColumnRef'>;

/**
 * The upstream columns of a column with their paths, as the caller may see them: one loader call
 * per column (one Cypher query for every column of the request), one authorization of the
 * datasets on the paths (Heimdall grants, per request). A column of a dataset the caller may not
 * read stays on the path and keeps its tags, without its name: a classification never disappears
 * because its source is hidden, and hiding never reveals a name.
 */
async function visibleOrigins(ctx: Context, c: ColumnRecord) {
  const { origins, truncated } = await ctx.loaders.origins.load(c);
  const urns = [...new Set(origins.flatMap((o) => o.path.map((p) => p.datasetUrn)))];
  const readable = new Set((await readDatasets(ctx, urns)).map((d) => d.urn));
  readable.add(c.datasetUrn);
  const ref = (k: ColumnKey): Ref =>
    readable.has(k.datasetUrn)
      ? { datasetUrn: k.datasetUrn, name: k.name, hidden: false }
      : { datasetUrn: null, name: null, hidden: true };
  return {
    truncated,
    origins: origins.map((o) => ({
      column: ref(o.column),
      tags: o.tags,
      distance: o.path.length - 1,
      path: o.path.map(ref),
    })),
  };
}

export const classificationFields: Pick<
  ColumnResolvers,
  'classifications' | 'classificationOrigins' | 'classificationOriginsTruncated' | 'declassificationHistory'
> = {
  classificationOrigins: async (c, _args, ctx) => (await visibleOrigins(ctx, c)).origins,
  classificationOriginsTruncated: async (c, _args, ctx) => (await visibleOrigins(ctx, c)).truncated,
  classifications: async (c, _args, ctx) => {
    const own = c.tags.map((tag) => ({ tag, propagated: false, source: null, path: [] }));
    const { origins } = await visibleOrigins(ctx, c);
    const inherited = origins.flatMap((o) =>
      o.tags.map((tag) => ({ tag, propagated: true, source: o.column, path: o.path })),
    );
    return [...own, ...inherited];
  },
  declassificationHistory: async (c, _args, ctx) => {
    const events = await ctx.loaders.declassificationEvents.load(c);
    const readable = new Set(
      (await readDatasets(ctx, [...new Set(events.map((e) => e.upstream.datasetUrn))])).map((d) => d.urn),
    );
    const ref = (k: ColumnKey): Ref =>
      k.datasetUrn === c.datasetUrn || readable.has(k.datasetUrn)
        ? { datasetUrn: k.datasetUrn, name: k.name, hidden: false }
        : { datasetUrn: null, name: null, hidden: true };
    return events.map((e) => ({ ...e, upstream: ref(e.upstream), downstream: ref(e.downstream) }));
  },
};

export const columnRefResolvers: ColumnRefResolvers = {
  // Only refs of readable datasets carry a name, so loading their columns shows nothing hidden.
  column: async (r, _args, ctx) => {
    if (r.hidden || !r.datasetUrn) return null;
    const columns = await ctx.loaders.columns.load(r.datasetUrn);
    return columns.find((x) => x.name === r.name) ?? null;
  },
};
