import type { Resolvers } from './generated/resolvers.js';
import { toPod } from './pods.js';

export const resolvers: Resolvers = {
  Query: {
    pods: async (_root, { namespace }, ctx) =>
      (await ctx.pods.find(namespace ? { namespace } : {}).sort({ namespace: 1, name: 1 }).limit(500).toArray()).map(toPod),
  },
  Pod: {
    __resolveReference: async (ref, ctx) => {
      const doc = await ctx.pods.findOne({ namespace: ref.namespace, name: ref.name });
      return doc ? toPod(doc) : null;
    },
  },
};
