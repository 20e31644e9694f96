import { badUserInput, notFound } from '@dataos/errors';
import { requireAllowed, requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from '../context.js';
import type { CatalogTargetInput, DatasetResolvers, Resolvers } from '../generated/resolvers.js';
import {
  changeLifecycle,
  deletionOf,
  deprecationOf,
  purge,
  type LifecycleChange,
  type LifecycleFields,
  type Target,
} from '../store/lifecycle.js';
import { assertResourceUrn, assertUrn, objectPaths } from '../urn.js';
import { domainName, termName, text, LIMITS } from '../validate.js';
import { forgetDataset, readDataset, readDomain, readResource, readTerms, writableDataset } from './access.js';

/** Hard delete is for administrators: `delete` on this path (the demo's platform-admins), besides `write` on the target. */
export const PURGE_PATH = '/metis/admin';

export const lifecycleFields: Pick<DatasetResolvers, 'deletion' | 'deprecation'> = {
  deletion: (d) => deletionOf(d),
  deprecation: (d) => deprecationOf(d),
};

/** The one target of a lifecycle mutation, its URNs and names validated (they name what Heimdall decides). */
function targetOf(input: CatalogTargetInput): Target {
  const given = Object.entries(input).filter(([, v]) => v != null);
  if (given.length !== 1)
    throw badUserInput('Give exactly one of dataset, resource, glossaryTerm, domain or lineageEdge.', {
      field: 'target',
    });
  if (input.dataset != null) return { kind: 'DATASET', key: assertUrn(input.dataset, 'target.dataset') };
  if (input.resource != null)
    return { kind: 'RESOURCE', key: assertResourceUrn(input.resource, 'target.resource').urn };
  if (input.glossaryTerm != null)
    return { kind: 'GLOSSARY_TERM', key: termName(input.glossaryTerm, 'target.glossaryTerm') };
  if (input.domain != null) return { kind: 'DOMAIN', key: domainName(input.domain, 'target.domain') };
  const e = input.lineageEdge!;
  return {
    kind: 'LINEAGE_EDGE',
    upstream: assertUrn(e.upstream, 'target.lineageEdge.upstream'),
    downstream: assertUrn(e.downstream, 'target.lineageEdge.downstream'),
    via: e.via == null ? '' : assertResourceUrn(e.via, 'target.lineageEdge.via').urn,
    job: e.job == null ? '' : text(e.job, 'target.lineageEdge.job'),
  };
}

const keyOf = (t: Target) => (t.kind === 'LINEAGE_EDGE' ? `${t.upstream} -> ${t.downstream}` : t.key);

/**
 * Who may change a target's lifecycle: what they may not read is NOT_FOUND (never a hint that it
 * exists), what they may read but not write is FORBIDDEN, as every other Metis write.
 */
async function authorize(ctx: Context, t: Target): Promise<void> {
  const write = async (path: string, field: string) => ctx.access.requireWrites([{ object: { path }, field }]);
  switch (t.kind) {
    case 'DATASET':
      await writableDataset(ctx, t.key, 'target.dataset');
      return;
    case 'LINEAGE_EDGE':
      if (!(await readDataset(ctx, t.upstream)))
        throw notFound(`Unknown dataset "${t.upstream}".`, { field: 'target.lineageEdge.upstream' });
      await writableDataset(ctx, t.downstream, 'target.lineageEdge.downstream');
      return;
    case 'RESOURCE':
      if (!(await readResource(ctx, t.key)))
        throw notFound(`Unknown resource "${t.key}".`, { field: 'target.resource' });
      return write(objectPaths.resource(t.key), 'target.resource');
    case 'GLOSSARY_TERM':
      if (!(await readTerms(ctx, [t.key])).length)
        throw notFound(`Unknown glossary term "${t.key}".`, { field: 'target.glossaryTerm' });
      return write(objectPaths.glossaryTerm(t.key), 'target.glossaryTerm');
    case 'DOMAIN':
      if (!(await readDomain(ctx, t.key))) throw notFound(`Unknown domain "${t.key}".`, { field: 'target.domain' });
      return write(objectPaths.domain(t.key), 'target.domain');
  }
}

function forget(ctx: Context, t: Target): void {
  if (t.kind === 'DATASET') forgetDataset(ctx, t.key);
  if (t.kind === 'RESOURCE') ctx.loaders.resource.clear(t.key);
  if (t.kind === 'GLOSSARY_TERM') ctx.loaders.term.clear(t.key);
  if (t.kind === 'DOMAIN') ctx.loaders.domain.clear(t.key);
}

async function change(ctx: Context, input: CatalogTargetInput, make: () => LifecycleChange) {
  const by = requirePrincipal(ctx).id;
  const target = targetOf(input);
  await authorize(ctx, target);
  const state = await changeLifecycle(ctx.writer, target, make(), by);
  if (!state) throw notFound('Unknown lineage edge.', { field: 'target.lineageEdge' }); // the others were read above
  forget(ctx, target);
  return result(target, state, false);
}

const result = (t: Target, state: LifecycleFields, purged: boolean) => ({
  kind: t.kind,
  key: keyOf(t),
  deletion: deletionOf(state),
  deprecation: deprecationOf(state),
  purged,
});

export const lifecycleMutations: Resolvers['Mutation'] = {
  softDelete: (_root, { target }, ctx) => change(ctx, target, () => ({ op: 'delete' })),
  restore: (_root, { target }, ctx) => change(ctx, target, () => ({ op: 'restore' })),
  undeprecate: (_root, { target }, ctx) => change(ctx, target, () => ({ op: 'undeprecate' })),
  deprecate: (_root, { target, note, replacementUrn }, ctx) =>
    change(ctx, target, () => ({
      op: 'deprecate',
      note: text(note, 'note', LIMITS.text),
      replacementUrn: replacementUrn == null ? null : text(replacementUrn, 'replacementUrn', 1024),
    })),
  hardDelete: async (_root, { target: input }, ctx) => {
    const target = targetOf(input);
    await authorize(ctx, target);
    await requireAllowed(ctx, 'delete', { path: PURGE_PATH }, { field: 'target' });
    if (!(await purge(ctx.writer, target))) throw notFound('Unknown lineage edge.', { field: 'target.lineageEdge' });
    forget(ctx, target);
    return result(target, {}, true);
  },
};
