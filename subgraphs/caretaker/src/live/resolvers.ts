import { requireAllowed, type FeedNotice } from '@dataos/subgraph-kit';
import { PATHS } from '../auth.js';
import type { Context } from '../context.js';
import type { Resolvers } from '../generated/resolvers.js';
import { toNode, toPod } from '../mapping.js';
import type { NodeDoc, PodDoc } from '../model.js';
import { podQuery } from '../store/pods.js';
import type { LiveItem } from './feed.js';
import { matchesQuery } from './match.js';

/** One cursor kind for the three fields: they read the same sequence. */
const CURSOR = 'caretaker-live';

type Notice = FeedNotice<LiveItem>;

const start = (ctx: Context, after: string | null | undefined, select: (item: LiveItem) => boolean) =>
  ctx.live.subscribe<LiveItem>({
    after: after ? ctx.live.positionOf(CURSOR, after) : null,
    limit: ctx.liveBuffer,
    select: (item) => (select(item) ? item : null),
  });

const resourceOf = (urn: string | null | undefined) => (urn ? ({ urn } as never) : null);

/**
 * Authorization first, as for `pods` (Heimdall `read` on `/caretaker/pods` or `/caretaker/nodes`),
 * then the filter's input checks (the very ones of `pods`), then the stream.
 */
export const subscriptionResolvers: Pick<Resolvers, 'Subscription' | 'PodEventNotice'> = {
  Subscription: {
    podEvents: {
      subscribe: async (_root, { filter, after }, ctx) => {
        await requireAllowed(ctx, 'read', PATHS.pods);
        const f = filter ?? {};
        const query = podQuery(
          {
            namespace: f.namespace,
            resourceUrn: f.resourceUrn,
            phases: f.phases,
            nodeName: f.nodeName,
            includeDeleted: true,
          },
          'filter',
        );
        const types = f.types?.length ? new Set(f.types) : null;
        return start(
          ctx,
          after,
          (item) => item.kind === 'Pod' && (!types || types.has(item.event.type)) && matchesQuery(item.state, query),
        );
      },
      resolve: (notice: Notice, _args: unknown, ctx: Context) => {
        const { event, state, applied } = notice.value as Extract<LiveItem, { kind: 'Pod' }>;
        return {
          cursor: ctx.live.cursor(CURSOR, notice),
          id: event._id,
          type: event.type,
          time: event.time,
          namespace: state.namespace,
          name: state.name,
          resourceVersion: String(event.rv),
          uid: event.uid,
          phase: event.phase,
          reason: event.reason,
          message: event.message,
          nodeName: event.nodeName,
          restarts: event.restarts,
          ready: event.ready,
          resourceUrn: state.resourceUrn,
          applied,
          pod: toPod(state),
        } as never;
      },
    },
    podChanges: {
      subscribe: async (_root, { filter, after }, ctx) => {
        await requireAllowed(ctx, 'read', PATHS.pods);
        // Deletions are changes: always delivered.
        const query = podQuery({ ...filter, includeDeleted: true }, 'filter');
        return start(ctx, after, (item) => item.kind === 'Pod' && item.applied && matchesQuery(item.state, query));
      },
      resolve: (notice: Notice, _args: unknown, ctx: Context) =>
        ({
          cursor: ctx.live.cursor(CURSOR, notice),
          type: notice.value.event.type,
          pod: toPod(notice.value.state as PodDoc),
        }) as never,
    },
    nodeChanges: {
      subscribe: async (_root, { after }, ctx) => {
        await requireAllowed(ctx, 'read', PATHS.nodes);
        return start(ctx, after, (item) => item.kind === 'Node' && item.applied);
      },
      resolve: (notice: Notice, _args: unknown, ctx: Context) =>
        ({
          cursor: ctx.live.cursor(CURSOR, notice),
          type: notice.value.event.type,
          node: toNode(notice.value.state as NodeDoc),
        }) as never,
    },
  },
  PodEventNotice: {
    resource: (notice) => resourceOf(notice.resourceUrn),
  },
};
