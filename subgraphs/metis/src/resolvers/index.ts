import { DateTimeScalar } from '@dataos/subgraph-kit';
import type { Resolvers } from '../generated/resolvers.js';
import { mutationResolvers } from './mutations.js';
import { queryResolvers } from './query.js';
import { typeResolvers } from './types.js';
import { scanResolvers } from '../scan/resolvers.js';
import { usageResolvers } from '../usage/resolvers.js';
import { profileResolvers } from '../profile/resolvers.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  ...queryResolvers,
  ...mutationResolvers,
  ...typeResolvers,
  Query: { ...queryResolvers.Query, ...scanResolvers.Query },
  Mutation: {
    ...mutationResolvers.Mutation,
    ...scanResolvers.Mutation,
    ...usageResolvers.Mutation,
    ...profileResolvers.Mutation,
  },
  Dataset: { ...typeResolvers.Dataset, ...usageResolvers.Dataset, ...profileResolvers.Dataset },
  Column: { ...typeResolvers.Column, ...scanResolvers.Column, ...profileResolvers.Column },
  Source: { ...typeResolvers.Source, ...scanResolvers.Source },
  ScanRun: {},
};
