import { badUserInput } from '@dataos/errors';
import type { Context } from '../context.js';
import type { CatalogSearchFilter, CatalogSearchType } from '../generated/resolvers.js';
import { searchCandidates, type SearchCandidate } from '../store/search.js';
import type { ColumnRecord, DatasetRecord, GlossaryTermRecord } from '../store/records.js';
import { luceneQuery } from '../text.js';
import { assertDepot, objectPaths } from '../urn.js';
import { domainName, ownerId, pageSize, tag as tagOf } from '../validate.js';
import { termParent, type Out } from './access.js';

const TYPES: CatalogSearchType[] = ['DATASET', 'COLUMN', 'GLOSSARY_TERM'];
const RANK: Record<CatalogSearchType, number> = { DATASET: 0, COLUMN: 1, GLOSSARY_TERM: 2 };
const FACET_SIZE = 20;
/** Counts, facets and pages cover at most this many readable hits, the best ones. */
export const SEARCH_READABLE_LIMIT = 1000;
/** Candidates authorized per round (one Heimdall batch each); later rounds are larger. */
const FIRST_ROUND = 1000;

type Position = [exact: number, score: number, rank: number, key: string];

/**
 * Exact name matches first, then best score; ties by type then key, so that cursors are total. A
 * hit's score depends on the hit alone, so positions do not move when other documents are added
 * or changed: a cursor continues exactly after the last hit shown (keyset pagination).
 */
function compare(a: Position, b: Position): number {
  return b[0] - a[0] || b[1] - a[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);
}

const positionOf = (c: SearchCandidate): Position => [c.exact ? 1 : 0, c.score, RANK[c.type], c.key];

function facet(values: (string | null)[]): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, FACET_SIZE);
}

/**
 * The best readable hits, in rank order: candidates are authorized in rounds along the ranking
 * (one Heimdall batch each: datasets and columns by their dataset, glossary terms by their path)
 * until SEARCH_READABLE_LIMIT readable ones are found or the candidates run out. Hidden hits cost
 * authorization, never a place among the readable ones, so what the caller sees, counts and facets
 * do not depend on what they may not see (up to the SEARCH_SCAN_LIMIT ceiling of matches).
 */
async function readableHits(ctx: Context, ranked: readonly SearchCandidate[]): Promise<SearchCandidate[]> {
  const readable: SearchCandidate[] = [];
  for (let from = 0, round = FIRST_ROUND; from < ranked.length && readable.length < SEARCH_READABLE_LIMIT; from += round, round *= 2) {
    const chunk = ranked.slice(from, from + round);
    const [inDatasets, terms] = await Promise.all([
      ctx.authz.readable(
        chunk.filter((c) => c.datasetUrn !== null),
        (c) => ({ urn: c.datasetUrn!, tags: c.datasetTags, domainName: c.domain }),
      ),
      ctx.authz.readablePaths(
        chunk.filter((c) => c.type === 'GLOSSARY_TERM'),
        (c) => objectPaths.glossaryTerm(c.key),
      ),
    ]);
    const allowed = new Set([...inDatasets, ...terms]);
    for (const c of chunk) if (allowed.has(c)) readable.push(c);
  }
  return readable.slice(0, SEARCH_READABLE_LIMIT);
}

export async function search(
  ctx: Context,
  text: string,
  first: number | null | undefined,
  after: string | null | undefined,
  filter: CatalogSearchFilter | null | undefined,
): Promise<Out<'CatalogSearchConnection'>> {
  const size = pageSize(first);
  if (text.length > 500) throw badUserInput('query is longer than 500 characters.', { field: 'query' });
  const lucene = luceneQuery(text);
  if (!lucene) throw badUserInput('query needs at least one letter or digit.', { field: 'query' });
  const start = after ? ctx.cursors.decode<Position>('search', after) : null;
  const candidates = (
    await searchCandidates(ctx.store, text, lucene, {
      types: filter?.types?.length ? [...new Set(filter.types)] : TYPES,
      tag: filter?.tag == null ? null : tagOf(filter.tag, 'filter.tag'),
      owner: filter?.owner == null ? null : ownerId(filter.owner, 'filter.owner'),
      domain: filter?.domain == null ? null : domainName(filter.domain, 'filter.domain'),
      source: filter?.source == null ? null : assertDepot(filter.source, 'filter.source'),
    })
  ).sort((a, b) => compare(positionOf(a), positionOf(b)));

  const visible = await readableHits(ctx, candidates);
  const rest = start ? visible.filter((c) => compare(positionOf(c), start) > 0) : visible;
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
  for (const list of columnLists) if (Array.isArray(list)) for (const c of list) nodes.set(`COLUMN ${c.datasetUrn} ${c.name}`, c);
  for (const t of termRecords) if (t && !(t instanceof Error)) nodes.set(`GLOSSARY_TERM ${t.name}`, t);

  const edges = page.flatMap((c) => {
    const node = nodes.get(`${c.type} ${c.key}`);
    if (!node) return []; // deleted since the search
    const parent = c.type === 'GLOSSARY_TERM' ? termParent(node as GlossaryTermRecord) : (node as DatasetRecord | ColumnRecord);
    return [{ cursor: ctx.cursors.encode('search', positionOf(c)), node: { type: c.type, score: c.score, node: parent } }];
  });
  const last = page.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage: rest.length > page.length,
      endCursor: last ? ctx.cursors.encode('search', positionOf(last)) : null,
    },
    totalCount: visible.length,
    facets: {
      types: facet(visible.map((c) => c.type)),
      domains: facet(visible.map((c) => c.domain)),
      sources: facet(visible.map((c) => c.source)),
      tags: facet(visible.flatMap((c) => c.tags)),
    },
  };
}
