import type { GraphQLResolveInfo } from 'graphql';
import { badUserInput } from '@dataos/errors';
import type { Context } from '../context.js';
import type { CatalogSearchFilter, CatalogSearchType } from '../generated/resolvers.js';
import {
  comparePositions,
  forgivingCandidates,
  positionOf,
  type SearchCandidate,
  type SearchPosition,
} from '../store/search.js';
import type { ColumnRecord, DatasetRecord, GlossaryTermRecord } from '../store/records.js';
import { fuzzyLuceneQuery, luceneQuery } from '../text.js';
import { assertDepot } from '../urn.js';
import { domainName, ownerId, pageSize, tag as tagOf } from '../validate.js';
import { termParent, type Out } from './access.js';
import { ReadableRanking } from './readable-ranking.js';
import { selectsAny } from './selection.js';

const TYPES: CatalogSearchType[] = ['DATASET', 'COLUMN', 'GLOSSARY_TERM'];
const FACET_SIZE = 20;
/** Counts and facets cover at most this many readable hits, the best ones. */
export const SEARCH_READABLE_LIMIT = 1000;

function facet(values: (string | null | undefined)[]): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, FACET_SIZE);
}

/** A hit's place: its 30-day usage first when sorting by usage (0 otherwise), then its position. */
type Place = [number, SearchPosition];
const comparePlaces = (a: Place, b: Place) => b[0] - a[0] || comparePositions(a[1], b[1]);

/** The first index of the ranking after the cursor's place (the ranking is sorted). */
function indexAfter(
  ranked: readonly SearchCandidate[],
  start: Place | null,
  place: (c: SearchCandidate) => Place,
): number {
  if (!start) return 0;
  let lo = 0;
  let hi = ranked.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePlaces(place(ranked[mid]!), start) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `totalCount` and facets over the best SEARCH_READABLE_LIMIT readable hits. */
async function counts(walk: ReadableRanking): Promise<Pick<Out<'CatalogSearchConnection'>, 'totalCount' | 'facets'>> {
  const best = await walk.collect(0, SEARCH_READABLE_LIMIT);
  return {
    totalCount: best.length,
    facets: {
      types: facet(best.map((c) => c.type)),
      domains: facet(best.map((c) => (c.type === 'GLOSSARY_TERM' ? c.domain : walk.datasetOf(c)?.domain))),
      sources: facet(best.map((c) => walk.datasetOf(c)?.source)),
      tags: facet(best.flatMap((c) => c.tags)),
    },
  };
}

/**
 * Ranked matches are authorized along the ranking, and only as far as the answer needs: a page
 * alone authorizes from its cursor until one readable hit more than it shows; `totalCount` and
 * facets, when selected, authorize from the top until SEARCH_READABLE_LIMIT readable hits (and the
 * page then reuses those decisions). Hidden hits cost authorization, never a place among the
 * readable ones, so what the caller sees and counts does not depend on what they may not see (up
 * to the SEARCH_SCAN_LIMIT ceiling of matches).
 */
export async function search(
  ctx: Context,
  text: string,
  first: number | null | undefined,
  after: string | null | undefined,
  filter: CatalogSearchFilter | null | undefined,
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  includeDeleted = false,
  byUsage = false,
): Promise<Out<'CatalogSearchConnection'>> {
  const size = pageSize(first);
  if (text.length > 500) throw badUserInput('query is longer than 500 characters.', { field: 'query' });
  const lucene = luceneQuery(text);
  if (!lucene) throw badUserInput('query needs at least one letter or digit.', { field: 'query' });
  const kind = byUsage ? 'search-usage' : 'search';
  const decoded = after ? ctx.cursors.decode<SearchPosition | Place>(kind, after) : null;
  const start: Place | null = decoded ? (byUsage ? (decoded as Place) : [0, decoded as SearchPosition]) : null;
  let ranked = await forgivingCandidates(ctx.store, text, lucene, fuzzyLuceneQuery(text), {
    types: filter?.types?.length ? [...new Set(filter.types)] : TYPES,
    tag: filter?.tag == null ? null : tagOf(filter.tag, 'filter.tag'),
    owner: filter?.owner == null ? null : ownerId(filter.owner, 'filter.owner'),
    domain: filter?.domain == null ? null : domainName(filter.domain, 'filter.domain'),
    source: filter?.source == null ? null : assertDepot(filter.source, 'filter.source'),
    includeDeleted,
  });

  let place = (c: SearchCandidate): Place => [0, positionOf(c)];
  if (byUsage) {
    // Bounded by the matches (SEARCH_SCAN_LIMIT): one read of their datasets' counts.
    const urnOf = (c: SearchCandidate) => (c.type === 'DATASET' ? c.key : c.type === 'COLUMN' ? c.datasetUrn! : null);
    const urns = [...new Set(ranked.map(urnOf).filter((u): u is string => u !== null))];
    const counts = await ctx.usage.counts(urns);
    place = (c) => [counts.get(urnOf(c) ?? '') ?? 0, positionOf(c)];
    ranked = ranked
      .map((c) => ({ c, p: place(c) }))
      .sort((a, b) => comparePlaces(a.p, b.p))
      .map((x) => x.c);
  }
  const cursorOf = (c: SearchCandidate) => ctx.cursors.encode(kind, byUsage ? place(c) : positionOf(c));
  const walk = new ReadableRanking(ctx, ranked);
  const totals = selectsAny(info, ['totalCount', 'facets']) ? await counts(walk) : null;
  // A page alone: twice what it shows in the first round, so that one round usually does.
  const rest = await walk.collect(indexAfter(ranked, start, place), size + 1, 2 * (size + 1));
  const page = rest.slice(0, size);

  const datasetUrns = page.filter((c) => c.type === 'DATASET').map((c) => c.key);
  const columnOwners = [...new Set(page.filter((c) => c.type === 'COLUMN').map((c) => c.datasetUrn!))];
  const termNames = page.filter((c) => c.type === 'GLOSSARY_TERM').map((c) => c.key);
  const [datasets, columnLists, termRecords] = await Promise.all([
    ctx.loaders.dataset.loadMany(datasetUrns),
    ctx.loaders.columns.loadMany(columnOwners),
    ctx.loaders.term.loadMany(termNames),
  ]);
  const nodes = new Map<string, DatasetRecord | ColumnRecord | GlossaryTermRecord>();
  for (const d of datasets) if (d && !(d instanceof Error)) nodes.set(`DATASET ${d.urn}`, d);
  for (const list of columnLists)
    if (Array.isArray(list)) for (const c of list) nodes.set(`COLUMN ${c.datasetUrn} ${c.name}`, c);
  for (const t of termRecords) if (t && !(t instanceof Error)) nodes.set(`GLOSSARY_TERM ${t.name}`, t);

  const edges = page.flatMap((c) => {
    const node = nodes.get(`${c.type} ${c.key}`);
    if (!node) return []; // deleted since the search
    const parent =
      c.type === 'GLOSSARY_TERM' ? termParent(node as GlossaryTermRecord) : (node as DatasetRecord | ColumnRecord);
    return [{ cursor: cursorOf(c), node: { type: c.type, score: c.score, node: parent } }];
  });
  const last = page.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage: rest.length > page.length,
      endCursor: last ? cursorOf(last) : null,
    },
    // Not selected: never read by the client (the schema makes them non-null).
    ...(totals ?? { totalCount: 0, facets: { types: [], domains: [], sources: [], tags: [] } }),
  };
}
