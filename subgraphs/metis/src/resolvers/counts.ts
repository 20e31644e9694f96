import type { Context } from '../context.js';
import type { DatasetPageRequest } from '../store/catalog.js';
import { readDatasets } from './access.js';

/**
 * The most items a `totalCount` authorizes: beyond it the count is of the first COUNT_LIMIT items
 * (in key order), so one request costs at most COUNT_LIMIT / 1,000 Heimdall calls.
 */
export const COUNT_LIMIT = 20_000;

/**
 * A `totalCount` computed only when the client selects it: graphql-js's default resolver calls a
 * function-valued property of the parent, and never reads an unselected field. Typed as the number
 * it resolves to, so connections keep their generated types.
 */
export const countLater = (count: () => Promise<number>): number => count as unknown as number;

/** Readable datasets of a list, exactly (up to COUNT_LIMIT): one read, then batched decisions. */
export async function countDatasets(ctx: Context, request: Omit<DatasetPageRequest, 'after'>): Promise<number> {
  const facts = await ctx.store.datasetFactsOf(request, COUNT_LIMIT);
  return (await ctx.access.readable(facts, (f) => f)).length;
}

/** Items guarded by catalog paths (sources, resources, terms): every key, then batched decisions. */
export async function countPaths<T>(
  ctx: Context,
  all: (limit: number) => Promise<T[]>,
  pathOf: (item: T) => string,
): Promise<number> {
  return (await ctx.access.readablePaths(await all(COUNT_LIMIT), pathOf)).length;
}

/** Runs of a dataset (all readable with it) or of a resource (those of readable datasets). */
export async function countRuns(ctx: Context, by: 'dataset' | 'resource', urn: string): Promise<number> {
  const perDataset = await ctx.store.runCounts(by, urn);
  if (by === 'dataset') return perDataset.reduce((n, r) => n + r.count, 0);
  const readable = new Set(
    (
      await readDatasets(
        ctx,
        perDataset.map((r) => r.datasetUrn),
      )
    ).map((d) => d.urn),
  );
  return perDataset.filter((r) => readable.has(r.datasetUrn)).reduce((n, r) => n + r.count, 0);
}
