import { DateTimeScalar, requirePrincipal } from '@dataos/subgraph-kit';
import type { Resolvers } from './generated/resolvers.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    whoami: (_root, _args, ctx) => {
      const p = requirePrincipal(ctx);
      return {
        id: p.id,
        type: p.type === 'application' ? 'APPLICATION' : 'PERSON',
        name: p.name ?? null,
        email: p.email ?? null,
        tags: p.tags,
        scopes: p.scopes,
        expiresAt: p.expiresAt,
      };
    },
  },
};
