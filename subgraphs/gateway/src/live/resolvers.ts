import { badUserInput } from '@dataos/errors';
import { isAllowed, notAllowed, requirePrincipal, type FeedNotice } from '@dataos/subgraph-kit';
import { PATHS } from '../access.js';
import type { Context } from '../context.js';
import type { Resolvers } from '../generated/resolvers.js';
import type { QueryDoc } from '../history.js';
import { onlyFinal, untilFinal, type ProgressItem } from './progress.js';

const CHANGE_CURSOR = 'query-change';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const queryIdOf = (id: string, field: string) => {
  if (!UUID.test(id)) throw badUserInput(`${field} must be a UUID (e.g. from crypto.randomUUID()).`, { field });
  return id.toLowerCase();
};

/** A caller-chosen id for `runQuery`: a UUID not used by any query yet. */
export async function freshQueryId(ctx: Context, id: string): Promise<string> {
  const queryId = queryIdOf(id, 'queryId');
  if (await ctx.gateway.history.get(queryId)) {
    throw badUserInput('This queryId was used already: choose a new one for each run.', { field: 'queryId' });
  }
  return queryId;
}

const finalOf = (doc: QueryDoc): ProgressItem => ({
  queryId: doc._id,
  subject: doc.subject,
  cluster: doc.cluster,
  source: doc.source,
  phase: doc.state,
  final: true,
  progress: doc.state === 'SUCCEEDED' ? 1 : null,
  rows: doc.rows,
  elapsedMs: doc.durationMs,
  error: doc.error,
});

export const queryProgressResolvers: Pick<Resolvers, 'Subscription'> = {
  Subscription: {
    queryProgress: {
      subscribe: async (_root, { id }, ctx) => {
        const me = requirePrincipal(ctx).id;
        const queryId = queryIdOf(id, 'id');
        // The owner is known only once the query runs: each update is checked, not just the subscribe.
        const everyone = await isAllowed(ctx, 'read', PATHS.queries);
        const visible = (subject: string) => everyone || subject === me;
        // Listen first, then look in the history: a run that ends in between is in one or the other.
        const queue = await ctx.gateway.progress.feed.subscribe<ProgressItem>({
          limit: ctx.gateway.liveBuffer,
          select: (item) => (item.queryId === queryId && visible(item.subject) ? item : null),
        });
        const done = await ctx.gateway.history.get(queryId);
        if (!done) return untilFinal(queue);
        await queue.return();
        if (!visible(done.subject)) throw notAllowed('read', PATHS.queries, 'the query is not yours');
        return onlyFinal(finalOf(done));
      },
      resolve: (item: ProgressItem) =>
        ({
          queryId: item.queryId,
          phase: item.phase,
          final: item.final,
          progress: item.progress,
          rows: item.rows,
          elapsedMs: item.elapsedMs,
          error: item.error,
        }) as never,
    },
    queryChanges: {
      subscribe: async (_root, { cluster, after }, ctx) => {
        const me = requirePrincipal(ctx).id;
        if (cluster != null && (cluster.length === 0 || cluster.length > 200))
          throw badUserInput('cluster must be a cluster name (1 to 200 characters), or left out.', {
            field: 'cluster',
          });
        // As `queries`: one's own runs, or everyone's with read on the history. Checked once: the
        // stream carries only who ran what, never results.
        const everyone = await isAllowed(ctx, 'read', PATHS.queries);
        const feed = ctx.gateway.progress.feed;
        return feed.subscribe<ProgressItem>({
          after: after ? feed.positionOf(CHANGE_CURSOR, after) : null,
          limit: ctx.gateway.liveBuffer,
          // Starts and ends only: running updates are for queryProgress.
          select: (item) =>
            typeof item.cluster === 'string' && // written before queryChanges existed: no cluster
            (item.phase === 'PLANNING' || item.final) &&
            (!cluster || item.cluster === cluster) &&
            (everyone || item.subject === me)
              ? item
              : null,
        });
      },
      resolve: (notice: FeedNotice<ProgressItem>, _args: unknown, ctx: Context) => {
        const item = notice.value;
        return {
          cursor: ctx.gateway.progress.feed.cursor(CHANGE_CURSOR, notice),
          queryId: item.queryId,
          cluster: item.cluster,
          user: item.subject,
          source: item.source === 'preview' ? 'PREVIEW' : 'QUERY',
          phase: item.phase,
          final: item.final,
          rows: item.rows,
          elapsedMs: item.elapsedMs,
          at: notice.at,
          error: item.error,
        } as never;
      },
    },
  },
};
