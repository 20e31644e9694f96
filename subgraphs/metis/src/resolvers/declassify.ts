import { notFound } from '@dataos/errors';
import { requireAllowed, requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from '../context.js';
import type { DeclassifyColumnEdgeInput, MutationResolvers } from '../generated/resolvers.js';
import { columnEdgeState, setDeclassified, type ColumnEdgeRef } from '../store/declassify.js';
import { assertResourceUrn, assertUrn } from '../urn.js';
import { columnName, text } from '../validate.js';
import { readDataset, writableDataset } from './access.js';

/**
 * Who may say that a transformation removes a classification: a Heimdall right of its own
 * (`manage` on this path; Heimdall's actions are a fixed set), since it unmasks every column downstream, which writing the
 * downstream dataset alone must not allow. The demo's platform admins hold it (`*` on `/metis/**`).
 */
export const DECLASSIFY_PATH = '/metis/classification';
const MAX_REASON = 1000;

/** The names Heimdall is asked about, validated first (they are the caller's own text). */
function edgeOf(input: DeclassifyColumnEdgeInput): ColumnEdgeRef {
  const e = input.edge;
  return {
    upstream: assertUrn(e.upstream, 'input.edge.upstream'),
    upstreamColumn: columnName(e.upstreamColumn, 'input.edge.upstreamColumn'),
    downstream: assertUrn(e.downstream, 'input.edge.downstream'),
    downstreamColumn: columnName(e.downstreamColumn, 'input.edge.downstreamColumn'),
    via: e.via == null ? '' : assertResourceUrn(e.via, 'input.edge.via').urn,
    job: e.job == null ? '' : text(e.job, 'input.edge.job'),
  };
}

/** Authorize (NOT_FOUND for what the caller may not read, FORBIDDEN otherwise), then validate, then write. */
async function mark(ctx: Context, input: DeclassifyColumnEdgeInput, removes: boolean) {
  const by = requirePrincipal(ctx).id;
  const edge = edgeOf(input);
  const upstream = await readDataset(ctx, edge.upstream);
  if (!upstream) throw notFound(`Unknown dataset "${edge.upstream}".`, { field: 'input.edge.upstream' });
  await writableDataset(ctx, edge.downstream, 'input.edge.downstream');
  await requireAllowed(ctx, 'manage', { path: DECLASSIFY_PATH }, { field: 'input' });
  const reason = text(input.reason, 'input.reason', MAX_REASON);
  const done = await setDeclassified(ctx.writer, edge, removes, reason, by);
  if (!done) {
    throw notFound(
      `No column edge from ${edge.upstream} ${edge.upstreamColumn} to ${edge.downstream} ${edge.downstreamColumn}` +
        `${edge.via ? ` through ${edge.via}` : ''}${edge.job ? ` (job ${edge.job})` : ''}.`,
      { field: 'input.edge' },
    );
  }
  ctx.loaders.origins.clearAll();
  ctx.loaders.declassificationEvents.clearAll();
  const [state, ups, downs] = await Promise.all([
    columnEdgeState(ctx.store, edge),
    ctx.loaders.columns.load(edge.upstream),
    ctx.loaders.columns.load(edge.downstream),
  ]);
  const upstreamColumn = ups.find((c) => c.name === edge.upstreamColumn);
  const downstreamColumn = downs.find((c) => c.name === edge.downstreamColumn);
  if (!state || !upstreamColumn || !downstreamColumn) throw new Error('a column edge vanished after its write');
  return {
    upstream: upstreamColumn,
    downstream: downstreamColumn,
    viaUrn: edge.via || null,
    job: edge.job || null,
    transformation: state.transformation,
    declassification: state.declassification,
  };
}

export const declassifyMutations: Pick<MutationResolvers, 'declassifyColumnEdge' | 'reclassifyColumnEdge'> = {
  declassifyColumnEdge: (_root, { input }, ctx) => mark(ctx, input, true),
  reclassifyColumnEdge: (_root, { input }, ctx) => mark(ctx, input, false),
};
