import { badUserInput } from '@dataos/errors';
import { isAllowed, notAllowed, requirePrincipal } from '@dataos/subgraph-kit';
import { PATHS } from '../access.js';
import type { Context } from '../context.js';
import type { Resolvers } from '../generated/resolvers.js';
import type { QueryDoc } from '../history.js';
import { onlyFinal, untilFinal, type ProgressItem } from './progress.js';

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
  },
};
