import { badUserInput } from '@dataos/errors';
import { DateTimeScalar } from '@dataos/subgraph-kit';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { Resolvers } from './generated/resolvers.js';
import { assertUrn } from './urn.js';

const MAX_PAGE = 100;

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    dataset: (_root, { urn }, ctx) => ctx.loaders.dataset.load(assertUrn(urn)),
    datasets: async (_root, { first, after }, ctx) => {
      const size = first ?? 20;
      if (size < 1 || size > MAX_PAGE) throw badUserInput(`first must be between 1 and ${MAX_PAGE}.`, { field: 'first' });
      const rows = await ctx.store.datasetPage(size, after ? decodeCursor(after) : null);
      const page = rows.slice(0, size);
      for (const d of page) ctx.loaders.dataset.prime(d.urn, d);
      return {
        edges: page.map((node) => ({ cursor: encodeCursor(node.urn), node })),
        pageInfo: { hasNextPage: rows.length > size, endCursor: page.length ? encodeCursor(page.at(-1)!.urn) : null },
      };
    },
  },
  Dataset: {
    __resolveReference: (ref, ctx) => ctx.loaders.dataset.load(ref.urn),
    columns: (dataset, _args, ctx) => ctx.loaders.columns.load(dataset.urn),
  },
  Column: {
    __resolveReference: async (ref, ctx) => {
      const columns = await ctx.loaders.columns.load(ref.datasetUrn);
      return columns.find((c) => c.name === ref.name) ?? null;
    },
  },
};
