import { badUserInput, forbidden } from '@dataos/errors';
import type { Context } from './context.js';

/** Where ontology writes and imports are authorized. */
export const ONTOLOGIES_PATH = '/odin/ontologies';

/** `dataos://depot:collection/dataset` (DataOS UDL), as Metis validates it. */
const URN = /^dataos:\/\/[a-z][a-z0-9_-]*:[a-z0-9_-]+\/[a-z0-9_.-]+$/i;

export function assertDatasetUrn(urn: string, field: string): string {
  if (!URN.test(urn)) throw badUserInput(`"${urn}" is not a dataset URN: expected dataos://depot:collection/dataset.`, { field });
  return urn;
}

/** Items whose dataset the caller may read, in their order: one Heimdall call per request tick. */
export function readable<T>(ctx: Context, items: readonly T[], urnOf: (item: T) => string): Promise<T[]> {
  return ctx.heimdall.filterAllowed(items, 'read', (item) => ({ path: urnOf(item) }));
}

export const canRead = (ctx: Context, urn: string) => ctx.heimdall.can('read', urn);

export async function requireAllowed(ctx: Context, action: string, path: string): Promise<void> {
  if (!(await ctx.heimdall.can(action, path))) throw forbidden(`You may not ${action} ${path}.`, { action, path });
}
