import { DateTimeScalar } from '@dataos/subgraph-kit';
import type { Resolvers } from '../generated/resolvers.js';
import { mutationResolvers } from './mutations.js';
import { queryResolvers } from './query.js';
import { typeResolvers } from './types.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  ...queryResolvers,
  ...mutationResolvers,
  ...typeResolvers,
};
