import { CursorCodec, DateTimeScalar, isOffset, pageSize, requireAllowed } from '@dataos/subgraph-kit';
import type { Filter } from 'mongodb';
import { PATHS } from './auth.js';
import type { Context } from './context.js';
import type { PodEventConnection, Resolvers } from './generated/resolvers.js';
import { toNode, toPod, toPodEvent } from './mapping.js';
import { podKey } from './model.js';
import { ingestEvents, type IngestOutcome } from './store/ingest.js';
import { publishIngested } from './live/feed.js';
import { subscriptionResolvers } from './live/resolvers.js';
import { checkRange } from './store/history.js';
import { canonicalResourceUrn } from './labels.js';
import { listPods, podAggregates, podQuery, type Page, type PodGroupField } from './store/pods.js';
import type { PodDoc } from './model.js';
import { eventsFromInput, namespaceName, objectName } from './validate.js';

const DAY_MS = 86_400_000;

/** A page of pods for one parent, batched with its siblings. */
const groupedPods = (
  ctx: Context,
  field: PodGroupField,
  value: string,
  query: Filter<PodDoc>,
  first?: number | null,
  after?: string | null,
) => ctx.podPages.load({ field, value, query, first, after }).then(connection);

const connection = (page: Page<PodDoc>) => ({
  edges: page.items.map((e) => ({ cursor: e.cursor, node: toPod(e.node) })),
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
  totalCount: page.totalCount,
});

/** Not sealed: an event cursor holds only its resourceVersion, which the page shows anyway. */
const cursors = new CursorCodec();

async function podHistory(
  ctx: Context,
  namespace: string,
  name: string,
  from: Date,
  to: Date,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<PodEventConnection> {
  checkRange(from, to);
  const n = pageSize(first, { max: 1000, fallback: 100 });
  const afterRv = after ? cursors.decode('pod-event', after, { is: isOffset }) : 0;
  const events = await ctx.podHistory.load({ namespace, name, from, to, limit: n + 1, afterRv });
  const edges = events.slice(0, n).map((e) => ({ cursor: cursors.encode('pod-event', e.rv), node: toPodEvent(e) }));
  return { edges, pageInfo: { hasNextPage: events.length > n, endCursor: edges.at(-1)?.cursor ?? null } };
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Query: {
    // Authorization comes before validation everywhere: a refused caller learns nothing from
    // the input checks (FORBIDDEN, never BAD_USER_INPUT details).
    pods: async (_root, { first, after, filter }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      return connection(await listPods(ctx.c, podQuery(filter), first, after));
    },
    pod: async (_root, { namespace, name }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      const doc = await ctx.podById.load(podKey(namespaceName(namespace, 'namespace'), objectName(name, 'name')));
      return doc ? toPod(doc) : null;
    },
    podHistory: async (_root, { namespace, name, from, to, first, after }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      namespaceName(namespace, 'namespace');
      objectName(name, 'name');
      return podHistory(ctx, namespace, name, from, to, first, after);
    },
    podAggregates: async (_root, { filter }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      return podAggregates(ctx.c, podQuery(filter));
    },
    podEventStats: async (_root, { from, to, namespace }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      checkRange(from, to);
      if (namespace != null) namespaceName(namespace, 'namespace');
      return ctx.history.stats(from, to, namespace);
    },
    nodes: async (_root, { includeDeleted }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.nodes);
      const docs = await ctx.c.nodes
        .find(includeDeleted ? {} : { deleted: false })
        .sort({ _id: 1 })
        .limit(5000)
        .toArray();
      return docs.map(toNode);
    },
    node: async (_root, { name }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.nodes);
      objectName(name, 'name');
      const doc = await ctx.c.nodes.findOne({ _id: name });
      return doc ? toNode(doc) : null;
    },
  },

  Mutation: {
    ingestEvents: async (_root, { input }, ctx) => {
      await requireAllowed(ctx, 'write', PATHS.ingest);
      // The whole batch is validated before anything is written: a bad event anywhere writes nothing.
      const events = eventsFromInput(input);
      const outcomes: IngestOutcome[] = [];
      const now = new Date();
      const result = await ingestEvents(ctx.c, events, now, { outcomes });
      await publishIngested(ctx.live, events, outcomes, now);
      return result;
    },
    archiveHistory: async (_root, _args, ctx) => {
      await requireAllowed(ctx, 'write', PATHS.archive);
      return ctx.archiver.run();
    },
  },

  ...subscriptionResolvers,

  Pod: {
    __resolveReference: async (ref, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      const doc = await ctx.podById.load(podKey(ref.namespace, ref.name));
      return doc ? toPod(doc) : null;
    },
    resource: (pod) => ('resourceUrn' in pod && pod.resourceUrn ? ({ urn: pod.resourceUrn } as never) : null),
    history: (pod, { from, to, first, after }, ctx) => {
      const end = to ?? ctx.now;
      const start = from ?? new Date(end.getTime() - 7 * DAY_MS);
      return podHistory(ctx, pod.namespace, pod.name, start, end, first, after);
    },
  },

  Resource: {
    __resolveReference: (ref) => ({ urn: ref.urn }) as never,
    pods: async (resource, { first, after, filter }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      // Either URN form names the same resource: pods store the canonical one.
      return groupedPods(ctx, 'resourceUrn', canonicalResourceUrn(resource.urn), podQuery(filter), first, after);
    },
  },

  ComputeNode: {
    usage: async (node, _args, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      const all = await ctx.clusterAggregates();
      return (
        all.byNode.find((u) => u.nodeName === node.name) ?? {
          nodeName: node.name,
          pods: 0,
          byPhase: [],
          restarts: 0,
          cpuRequestMillis: 0,
          memoryRequestBytes: 0,
          cpuAllocatableMillis: node.allocatable.cpuMillis,
          memoryAllocatableBytes: node.allocatable.memoryBytes,
          podsAllocatable: node.allocatable.pods,
          cpuRequestedRatio: 0,
          memoryRequestedRatio: 0,
          pressure: node.pressure,
        }
      );
    },
    pods: async (node, { first, after, includeDeleted }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.pods);
      return groupedPods(ctx, 'nodeName', node.name, podQuery({ includeDeleted }), first, after);
    },
  },
};
