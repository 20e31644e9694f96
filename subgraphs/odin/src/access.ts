import { badUserInput, notFound } from '@dataos/errors';
import { assertName } from '@dataos/names';
import { datasetObject, requireAllowed } from '@dataos/subgraph-kit';
import type { Context } from './context.js';
import type { CatalogDataset } from './metis.js';

/** Where ontology writes and imports are authorized. */
export const ONTOLOGIES_PATH = '/odin/ontologies';

/** `dataos://depot:collection/dataset` (DataOS UDL), as Metis validates it. */
const URN = /^dataos:\/\/[a-z][a-z0-9_-]*:[a-z0-9_-]+\/[a-z0-9_.-]+$/i;

export function assertDatasetUrn(urn: string, field: string): string {
  if (!URN.test(urn))
    throw badUserInput(`"${urn}" is not a dataset URN: expected dataos://depot:collection/dataset.`, { field });
  return urn;
}

/** Items whose dataset Metis shows the caller (it exists, and Heimdall lets them read it with its tags), in their order. */
export function readable<T>(ctx: Context, items: readonly T[], urnOf: (item: T) => string): Promise<T[]> {
  return ctx.metis.filterReadable(items, urnOf);
}

export const canRead = (ctx: Context, urn: string) => ctx.metis.canRead(urn);

/**
 * The dataset (and column) a link names, as Metis shows it to the caller, and `write` on it with
 * its tags and domain (the kit's `datasetObject`, the object Metis sends). NOT_FOUND when Metis does not show it: an unreadable dataset is not confirmed to exist.
 */
export async function requireLinkTarget(ctx: Context, urn: string, column: string | null): Promise<CatalogDataset> {
  const dataset = await ctx.metis.dataset(urn);
  if (!dataset)
    throw notFound(`No dataset ${urn} in the catalog (or you may not read it).`, { field: 'input.datasetUrn' });
  if (column !== null && !dataset.columns.includes(column)) {
    throw notFound(`Dataset ${urn} has no column "${column}".`, { field: 'input.column' });
  }
  await requireAllowed(ctx, 'write', datasetObject(dataset, dataset.domain), { field: 'input.datasetUrn' });
  return dataset;
}

// ---------------------------------------------------------------- input validation

const MAX_IRI = 2048;
const MAX_SEARCH = 200;
/** An absolute IRI (RFC 3987): a scheme, then no spaces, controls or characters IRIs exclude. */
// eslint-disable-next-line no-control-regex
const IRI = /^[a-z][a-z0-9+.-]*:[^\u0000-\u0020<>"{}|\\^`\u007f-\u009f]+$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function assertIri(value: string, field: string): string {
  if (value.length > MAX_IRI) throw badUserInput(`${field} is longer than ${MAX_IRI} characters.`, { field });
  if (!IRI.test(value)) {
    throw badUserInput(
      `${field} "${value.slice(0, 100)}" is not an absolute IRI (expected e.g. https://example.org/onto#Term, without spaces or <>"{}|\\^\`).`,
      {
        field,
      },
    );
  }
  return value;
}

export const optionalIri = (value: string | null | undefined, field: string): string | null =>
  value == null ? null : assertIri(value, field);

/** Search text: null when blank; bounded and printable. */
export function searchText(value: string | null | undefined, field: string): string | null {
  if (value == null || !value.trim()) return null;
  if (value.length > MAX_SEARCH) throw badUserInput(`${field} is longer than ${MAX_SEARCH} characters.`, { field });
  if (CONTROL.test(value)) throw badUserInput(`${field} contains control characters.`, { field });
  return value;
}

/** A column name as Metis accepts it: the rule both share (`@dataos/names`). */
export function columnName(value: string | null | undefined, field: string): string | null {
  return value == null ? null : assertName(value, field);
}
