import type { Resolvers } from './generated/resolvers.js';

export const resolvers: Resolvers = {
  Query: {
    concepts: (_root, { search }, ctx) => ctx.store.search(search ?? null),
  },
  Concept: {
    __resolveReference: async (ref, ctx) => (await ctx.store.conceptsByIri([ref.iri]))[0] ?? null,
  },
  Dataset: {
    __resolveReference: (ref) => ({ urn: ref.urn }),
    concepts: (dataset, _args, ctx) => ctx.conceptsOfDataset.load(dataset.urn),
  },
};
