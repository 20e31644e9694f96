import { DateTimeScalar } from '@dataos/subgraph-kit';
import type { Resolvers } from '../generated/resolvers.js';
import { mutationResolvers } from './mutations.js';
import { queryResolvers } from './query.js';
import { typeResolvers } from './types.js';
import { scanResolvers } from '../scan/resolvers.js';
import { usageResolvers } from '../usage/resolvers.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  ...queryResolvers,
  ...mutationResolvers,
  ...typeResolvers,
  Query: { ...queryResolvers.Query, ...scanResolvers.Query },
  Mutation: { ...mutationResolvers.Mutation, ...scanResolvers.Mutation, ...usageResolvers.Mutation },
  Dataset: { ...typeResolvers.Dataset, ...usageResolvers.Dataset },
  Column: { ...typeResolvers.Column, ...scanResolvers.Column },
  ScanRun: {},
};
