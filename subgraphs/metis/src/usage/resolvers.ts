import { badUserInput } from '@dataos/errors';
import { isAllowed, requireAllowed } from '@dataos/subgraph-kit';
import type { Resolvers } from '../generated/resolvers.js';
import { readDatasets } from '../resolvers/access.js';
import { assertUrn } from '../urn.js';
import { text } from '../validate.js';
import type { QueryUsage, UsageWindow } from './store.js';

/** Queries per report and datasets per query: a report's work stays bounded. */
export const MAX_QUERIES_PER_REPORT = 200;
export const MAX_DATASETS_PER_QUERY = 50;
const MAX_SQL = 100_000;
const TOP = 5;
/** The right that shows who queried and what: the same as reading everyone's Gateway history. */
const HISTORY_OBJECT = { path: '/gateway/queries' };
const USAGE_OBJECT = { path: '/metis/usage' };

interface QueryUsageArg {
  queryId: string;
  subject: string;
  sql: string;
  datasets: readonly string[];
  finishedAt: Date;
}

function queryUsage(q: QueryUsageArg, i: number): QueryUsage {
  const field = `queries[${i}]`;
  text(q.queryId, `${field}.queryId`, 128);
  text(q.subject, `${field}.subject`, 256);
  text(q.sql, `${field}.sql`, MAX_SQL);
  if (q.datasets.length > MAX_DATASETS_PER_QUERY)
    throw badUserInput(`${field}.datasets has more than ${MAX_DATASETS_PER_QUERY} URNs.`, {
      field: `${field}.datasets`,
    });
  q.datasets.forEach((u, j) => assertUrn(u, `${field}.datasets[${j}]`));
  const finishedAt = new Date(q.finishedAt);
  if (Number.isNaN(finishedAt.getTime()) || finishedAt.getTime() > Date.now() + 5 * 60_000)
    throw badUserInput(`${field}.finishedAt must be a time that has passed.`, { field: `${field}.finishedAt` });
  return { ...q, datasets: [...new Set(q.datasets)], finishedAt };
}

export const usageResolvers: Resolvers = {
  Mutation: {
    // Authorize, then validate: only the Gateway's service principal may report.
    recordQueryUsage: async (_root, { queries }, ctx) => {
      await requireAllowed(ctx, 'write', USAGE_OBJECT);
      if (queries.length > MAX_QUERIES_PER_REPORT)
        throw badUserInput(`At most ${MAX_QUERIES_PER_REPORT} queries per report.`, { field: 'queries' });
      const ids = new Set<string>();
      const valid = queries.map((q, i) => {
        if (ids.has(q.queryId))
          throw badUserInput(`Query ${q.queryId} is listed twice.`, { field: `queries[${i}].queryId` });
        ids.add(q.queryId);
        return queryUsage(q, i);
      });
      // Metis's own profiling queries read every column of a dataset: counted, they would be usage.
      const own = await ctx.profiles.service?.principal();
      const used = valid.filter((q) => q.subject !== own);
      return { ...(await ctx.usage.record(used)), profiling: valid.length - used.length };
    },
  },
  Dataset: {
    // The parent is a dataset the caller may read (resolved by Metis under its rules).
    usage: async (dataset, { window }, ctx) => {
      const w = (window ?? 'D30') as UsageWindow;
      const summary = await ctx.usage.summary(dataset.urn, w);
      const details = await isAllowed(ctx, 'read', HISTORY_OBJECT);
      let topQueries: { sql: string; queries: number }[] | null = null;
      if (details) {
        // A query's text names its other datasets: shown only when the caller may read them all.
        const named = [...new Set(summary.topQueries.flatMap((q) => q.datasets))];
        const readable = new Set((await readDatasets(ctx, named)).map((d) => d.urn));
        topQueries = summary.topQueries
          .filter((q) => q.datasets.every((u) => readable.has(u)))
          .slice(0, TOP)
          .map(({ sql, queries }) => ({ sql, queries }));
      }
      return {
        window: w,
        queries: summary.queries,
        distinctUsers: summary.distinctUsers,
        lastQueriedAt: summary.lastQueriedAt,
        columns: summary.columns,
        topUsers: details ? summary.topUsers : null,
        topQueries,
      };
    },
  },
};
