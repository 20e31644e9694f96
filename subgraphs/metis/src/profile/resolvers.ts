import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { badUserInput } from '@dataos/errors';
import { CLUSTER_NAME } from '@dataos/names';
import { isAllowed } from '@dataos/subgraph-kit';
import { columnObject } from '../dataset-access.js';
import type { Resolvers } from '../generated/resolvers.js';
import { writableDataset } from '../resolvers/access.js';
import type { ColumnProfileRecord } from '../store/records.js';
import { assertUrn, parseDatasetUrn } from '../urn.js';
import type { GatewayClient } from './gateway.js';
import { tableOf } from './sql.js';

/**
 * The columns each dataset shows the reader masked, asked of the Gateway's `explain` with the
 * reader's own token: one request per dataset, at most once per GraphQL request. Null when the
 * Gateway could not answer (or the reader may not query the dataset), and when row filters narrow
 * the reader's rows (a min or max may come from a row they cannot read): min/max are then withheld.
 */
export function readerMasks(gateway: GatewayClient, token: string | undefined) {
  return new DataLoader<string, Set<string> | null>(async (urns) =>
    Promise.all(
      urns.map(async (urn) => {
        const parsed = parseDatasetUrn(urn);
        if (!parsed || !token) return null;
        try {
          const plans = await gateway.masks(token, `SELECT * FROM ${tableOf(parsed)}`);
          const plan = plans.find((p) => p.dataset === urn);
          return plan && !plan.filtered ? plan.masked : null;
        } catch {
          return null;
        }
      }),
    ),
  );
}

const withheld = (p: ColumnProfileRecord) => ({ ...p, min: null, max: null, masked: true });

export const profileResolvers: Resolvers = {
  Mutation: {
    // Validate, then authorize on the dataset itself.
    profileDataset: async (_root, { urn, cluster }, ctx) => {
      if (cluster != null && !CLUSTER_NAME.test(cluster))
        throw badUserInput('cluster is a Minerva cluster name: a lowercase letter, then up to 62 of a-z, 0-9, -.', {
          field: 'cluster',
        });
      await writableDataset(ctx, assertUrn(urn), 'urn');
      if (!ctx.profiles.service)
        throw new GraphQLError('Profiling is off: Metis has no Gateway (METIS_GATEWAY_URL) or no service client.', {
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        });
      return ctx.profiles.service.run(urn, cluster);
    },
  },
  Dataset: {
    profile: (d, _args, ctx) => ctx.profiles.store.datasetProfile(d.urn),
  },
  Column: {
    profile: async (c, _args, ctx) => {
      const p = c.profile;
      if (!p) return null;
      if (p.masked) return withheld(p);
      if (p.min === null && p.max === null) return p;
      // Values of a tagged (sensitive) column are shown to who may read the column itself...
      if (c.tags.length && !(await isAllowed(ctx, 'read', columnObject(c)))) return withheld(p);
      // ...and only when the Gateway would show that reader the column in clear.
      if (ctx.profiles.readerMasks) {
        const masked = await ctx.profiles.readerMasks.load(c.datasetUrn);
        if (!masked || masked.has(c.name)) return withheld(p);
      }
      return p;
    },
  },
};
