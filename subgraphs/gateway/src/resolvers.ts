import { toCluster } from './clusters.js';
import type { Resolvers } from './generated/resolvers.js';

export const resolvers: Resolvers = {
  Query: {
    clusters: async (_root, _args, ctx) => (await ctx.clusters.find().sort({ _id: 1 }).toArray()).map(toCluster),
  },
  Cluster: {
    __resolveReference: async (ref, ctx) => {
      const doc = await ctx.clusters.findOne({ _id: ref.name });
      return doc ? toCluster(doc) : null;
    },
  },
};
