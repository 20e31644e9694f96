import { notAllowed, type FeedNotice } from '@dataos/subgraph-kit';
import { ROUTER_AUTHORIZATION_OBJECT } from '../bootstrap.js';
import type { Context } from '../context.js';
import { decideFor, requireAllowed } from '../decide.js';
import type { Resolvers } from '../generated/resolvers.js';
import { toGraphQLPolicy } from '../mapping.js';
import type { PolicyChangeItem } from './changes.js';
import { matchesFilter, type DecisionItem } from './decisions.js';

const CURSOR = 'policy-change';
const DECISION_CURSOR = 'decision-logged';
const POLICIES = '/heimdall/policies';

type Notice = FeedNotice<PolicyChangeItem>;

export const policyChangeResolvers: Pick<Resolvers, 'Subscription' | 'PolicyChange'> = {
  Subscription: {
    policyChanges: {
      subscribe: async (_root, { after }, ctx) => {
        // Policy readers (consoles), or the router's own identity: it must know when to drop decisions.
        if (!decideFor(ctx, 'read', { path: POLICIES }).allowed) {
          const router = decideFor(ctx, 'read', { path: ROUTER_AUTHORIZATION_OBJECT });
          if (!router.allowed) throw notAllowed('read', POLICIES, router.reason);
        }
        return ctx.changes.feed.subscribe<PolicyChangeItem>({
          after: after ? ctx.changes.feed.positionOf(CURSOR, after) : null,
          limit: ctx.liveBuffer,
          select: (item) => item,
        });
      },
      resolve: (notice: Notice, _args: unknown, ctx: Context) =>
        ({
          sequence: notice.seq,
          cursor: ctx.changes.feed.cursor(CURSOR, notice),
          kind: notice.value.kind,
          name: notice.value.name,
          userId: notice.value.userId,
          by: notice.value.by,
          at: notice.at,
        }) as never,
    },
    decisionLogged: {
      // Checked once, here: a check per event would itself be logged, and so delivered again.
      subscribe: async (_root, { filter, after }, ctx) => {
        requireAllowed(ctx, 'read', '/heimdall/decisions');
        const matches = matchesFilter(filter ?? {});
        return ctx.liveDecisions.feed.subscribe<DecisionItem>({
          after: after ? ctx.liveDecisions.feed.positionOf(DECISION_CURSOR, after) : null,
          limit: ctx.liveBuffer,
          select: (item) => (matches(item) ? item : null),
        });
      },
      resolve: (notice: FeedNotice<DecisionItem>, _args: unknown, ctx: Context) => {
        const { unlogged: _unlogged, ...entry } = notice.value;
        return {
          cursor: ctx.liveDecisions.feed.cursor(DECISION_CURSOR, notice),
          entry: { ...entry, time: new Date(entry.time), askedBy: entry.askedBy ?? null },
        } as never;
      },
    },
  },
  PolicyChange: {
    policy: async (change, _args, ctx) => {
      if (!change.name) return null;
      requireAllowed(ctx, 'read', POLICIES);
      const doc = await ctx.policies.get(change.name);
      return doc ? toGraphQLPolicy(doc) : null;
    },
  },
};
