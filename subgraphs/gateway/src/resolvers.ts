import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { badUserInput, forbidden, notFound } from '@dataos/errors';
import { DateTimeScalar, isAllowed, requireAllowed, requirePrincipal } from '@dataos/subgraph-kit';
import { PATHS } from './access.js';
import type { ClusterDoc } from './clusters.js';
import { toCluster } from './clusters.js';
import type { Context } from './context.js';
import { historyCursor } from './history.js';
import type { Resolvers } from './generated/resolvers.js';
import {
  clusterInput,
  clusterUpdate,
  dataPolicyInput,
  toDataPolicy,
  toMaskKey,
  toQueryPlan,
  toQueryRecord,
} from './mapping.js';
import type { DataPolicyInput } from './policies/model.js';
import { datasetSelected, planScan } from './policies/resolve.js';
import type { QueryRequest } from './query.js';
import { freshQueryId, queryProgressResolvers } from './live/resolvers.js';
import { routeQuery } from './routing.js';
import { quoteIdent } from './sql/ast.js';
import { parsePredicate } from './sql/predicate.js';

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast, variables)),
});

const URN = /^dataos:\/\/([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)\/([A-Za-z0-9_.-]+)$/;

async function queryRequest(
  ctx: Context,
  clusterName: string | null | undefined,
  sql: string,
  source: QueryRequest['source'] = 'query',
) {
  requirePrincipal(ctx);
  const subject = await ctx.subject();
  // A named cluster is taken as named; otherwise the clusters' selectors decide (src/routing.ts).
  const { cluster: name, routing } = clusterName
    ? { cluster: clusterName, routing: { by: 'named' as const, reason: `The query named "${clusterName}".` } }
    : routeQuery(await ctx.gateway.clusters.list(), subject, source, ctx.gateway.defaultCluster);
  const request: QueryRequest = {
    subject,
    caller: { token: ctx.token, requestId: ctx.requestId },
    canRead: (urn) => isAllowed(ctx, 'read', urn),
    cluster: await ctx.gateway.clusters.require(name),
    sql,
    source,
    routing,
  };
  return request;
}

/** Validates SQL predicates of a policy with the parser (shape checks happen in the store). */
async function checkPredicates(ctx: Context, input: DataPolicyInput): Promise<void> {
  for (const [i, f] of (input.filters ?? []).entries()) {
    if (f.predicate) await parsePredicate(ctx.gateway.rewriter.parser, f.predicate, `input.filters[${i}].predicate`);
  }
}

async function clusterOrThrow(ctx: Context, name: string): Promise<ClusterDoc> {
  return ctx.gateway.clusters.require(name);
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  JSON: JSONScalar,
  ...queryProgressResolvers,
  Query: {
    clusters: async (_root, _args, ctx) => {
      requirePrincipal(ctx);
      return (await ctx.gateway.clusters.list()).map(toCluster);
    },
    cluster: async (_root, { name }, ctx) => {
      requirePrincipal(ctx);
      const doc = await ctx.gateway.clusters.get(name);
      return doc ? toCluster(doc) : null;
    },
    runQuery: async (_root, { cluster, sql, limit, cursor, queryId }, ctx) => {
      const request = await queryRequest(ctx, cluster, sql);
      if (queryId != null) request.queryId = await freshQueryId(ctx, queryId);
      return ctx.gateway.queries.run(request, limit ?? undefined, cursor);
    },
    explain: async (_root, { cluster, sql }, ctx) => {
      const request = await queryRequest(ctx, cluster, sql);
      const [rewritten, manager] = await Promise.all([
        ctx.gateway.queries.explain(request),
        isAllowed(ctx, 'manage', PATHS.policies),
      ]);
      return toQueryPlan(sql, request.cluster._id, rewritten, manager);
    },
    queries: async (_root, { first, after, filter }, ctx) => {
      const principal = requirePrincipal(ctx);
      const size = first ?? 50;
      if (size < 1 || size > 200) throw badUserInput('first must be from 1 to 200.', { field: 'first' });
      const wanted = filter?.user ?? null;
      let subject: string | null = principal.id;
      if (wanted !== principal.id) {
        if (wanted) await requireAllowed(ctx, 'read', PATHS.queries);
        else if (await isAllowed(ctx, 'read', PATHS.queries)) subject = null;
        if (wanted) subject = wanted;
      }
      const [page, manager] = await Promise.all([
        ctx.gateway.history.page(
          {
            cluster: filter?.cluster ?? null,
            subject,
            state: filter?.state ?? null,
            source: filter?.source ? (filter.source.toLowerCase() as 'query' | 'preview') : null,
          },
          size,
          after,
        ),
        isAllowed(ctx, 'manage', PATHS.policies),
      ]);
      return {
        edges: page.items.map((doc) => ({ cursor: historyCursor(doc), node: toQueryRecord(doc, manager) })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      };
    },
    dataPolicies: async (_root, { filter }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.policies);
      let docs = await ctx.gateway.policies.all();
      if (filter?.type) docs = docs.filter((d) => d.type === filter.type!.toLowerCase());
      if (filter?.enabled !== undefined && filter.enabled !== null)
        docs = docs.filter((d) => d.enabled === filter.enabled);
      if (filter?.dataset) docs = docs.filter((d) => datasetSelected(d, filter.dataset!.toLowerCase()));
      return docs.map(toDataPolicy);
    },
    dataPolicy: async (_root, { name }, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.policies);
      const doc = await ctx.gateway.policies.get(name);
      return doc ? toDataPolicy(doc) : null;
    },
    maskKeys: async (_root, _args, ctx) => {
      await requireAllowed(ctx, 'read', PATHS.policies);
      return (await ctx.gateway.keys.describe()).map(toMaskKey);
    },
  },
  Mutation: {
    registerCluster: async (_root, { input }, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.clusters);
      const doc = await ctx.gateway.clusters.register(clusterInput(input), requirePrincipal(ctx).id);
      // First health check right away: PROVISIONING becomes RUNNING or DEGRADED.
      return toCluster((await ctx.gateway.monitor.check(doc)) ?? doc);
    },
    updateCluster: async (_root, { name, input }, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.clusters);
      return toCluster(await ctx.gateway.clusters.update(name, clusterUpdate(input), requirePrincipal(ctx).id));
    },
    removeCluster: async (_root, { name }, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.clusters);
      const removed = await ctx.gateway.clusters.remove(name);
      if (!removed) throw notFound(`No cluster named "${name}".`, { field: 'name' });
      return { name, removed };
    },
    checkClusterHealth: async (_root, { name }, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.clusters);
      const doc = await clusterOrThrow(ctx, name);
      return toCluster((await ctx.gateway.monitor.check(doc)) ?? doc);
    },
    createDataPolicy: async (_root, { input }, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.policies);
      const policy = dataPolicyInput(input);
      await checkPredicates(ctx, policy);
      return toDataPolicy(await ctx.gateway.policies.create(policy, requirePrincipal(ctx).id));
    },
    updateDataPolicy: async (_root, { name, input, expectedVersion }, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.policies);
      const policy = dataPolicyInput(input);
      await checkPredicates(ctx, policy);
      return toDataPolicy(await ctx.gateway.policies.update(name, policy, requirePrincipal(ctx).id, expectedVersion));
    },
    rotateMaskKey: async (_root, _args, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.policies);
      return (await ctx.gateway.keys.rotate(requirePrincipal(ctx).id)).map(toMaskKey);
    },
    deleteDataPolicy: async (_root, { name }, ctx) => {
      await requireAllowed(ctx, 'manage', PATHS.policies);
      const deleted = await ctx.gateway.policies.delete(name);
      if (!deleted) throw notFound(`No data policy named "${name}".`, { field: 'name' });
      return { name, deleted };
    },
  },
  Cluster: {
    __resolveReference: async (ref, ctx) => {
      requirePrincipal(ctx);
      const doc = await ctx.gateway.clusters.get(ref.name);
      return doc ? toCluster(doc) : null;
    },
  },
  Dataset: {
    __resolveReference: (ref) => ({ urn: ref.urn }) as never,
    dataPolicies: async (dataset, _args, ctx) => {
      requirePrincipal(ctx);
      const urn = dataset.urn.toLowerCase();
      const [allowed, subject, catalog, policies] = await Promise.all([
        isAllowed(ctx, 'read', dataset.urn),
        ctx.subject(),
        ctx.gateway.catalog.datasets([urn], { token: ctx.token, requestId: ctx.requestId }),
        ctx.gateway.policies.all(),
      ]);
      if (!allowed) throw forbidden(`You may not read ${dataset.urn}.`, { reason: 'NO_READ' });
      const found = catalog.get(urn);
      if (!found) return [];
      const names = new Set(planScan(found, subject, policies).policies);
      return policies.filter((p) => names.has(p._id)).map(toDataPolicy);
    },
    preview: async (dataset, { limit }, ctx) => {
      const m = URN.exec(dataset.urn);
      if (!m) throw badUserInput(`"${dataset.urn}" is not a dataset URN.`, { field: 'urn' });
      const sql = `SELECT * FROM ${[m[1]!, m[2]!, m[3]!].map(quoteIdent).join('.')}`;
      const request = await queryRequest(ctx, null, sql, 'preview');
      return ctx.gateway.queries.run(request, limit ?? 10);
    },
  },
};
