import { int } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';
import { ftKey, nearWord, rankTerms, type RankTerm } from '../text.js';
import { NAMES_INDEX, SEARCH_INDEX } from './migrate.js';

export type SearchType = 'DATASET' | 'COLUMN' | 'GLOSSARY_TERM';

export interface SearchFilter {
  types: SearchType[];
  tag: string | null;
  owner: string | null;
  domain: string | null;
  source: string | null;
  /** Soft-deleted datasets (with their columns) and glossary terms too. */
  includeDeleted?: boolean;
}

/** What Heimdall and the facets need of a hit's dataset. */
export interface DatasetFacts {
  urn: string;
  tags: string[];
  domain: string | null;
  source: string | null;
}

/** One full-text match, ranked, with what authorization and facets need. */
export interface SearchCandidate {
  type: SearchType;
  /** Relevance in (0, 1] from the hit's own fields only (see `rankScore`). */
  score: number;
  /** The hit's name is the query (letters and digits compared, case ignored). */
  exact: boolean;
  /** Dataset URN, `datasetUrn name` of a column, or glossary term name. */
  key: string;
  name: string;
  /** The dataset (itself or the column's), null for glossary terms. */
  datasetUrn: string | null;
  /**
   * The dataset's facts when the search read them (dataset hits; column hits under a domain or
   * owner filter); otherwise null, and `searchDatasetFacts` reads them for the hits authorized.
   */
  dataset: DatasetFacts | null;
  /** A glossary term's domain (a dataset's is in `dataset`). */
  domain: string | null;
  /** The tags of the hit itself (dataset or column). */
  tags: string[];
}

/** Curated and serving data are what people should find first; raw copies last. */
export const LAYER_WEIGHTS = { curated: 1.25, clean: 1.1 };

/**
 * The ceiling of one search: at most this many full-text matches (after the filters, which run
 * inside Lucene) are ranked and authorized. Only a query matching more than this is cut, and then
 * by Lucene's own order.
 */
export const SEARCH_SCAN_LIMIT = 5000;

/** The `ftType` value each kind of hit is indexed with, so that a type filter runs inside Lucene. */
export const FT_TYPES: Record<SearchType, string> = { DATASET: 'dataset', COLUMN: 'column', GLOSSARY_TERM: 'term' };

/** Filter values go into Lucene phrases: validated already, and never with a quote or backslash. */
const PHRASE_SAFE = /^[A-Za-z0-9_.:/@-]+$/;

/**
 * Lucene clauses for the filters, on indexed copies of what they test (`ftSource`, `ftDomain`,
 * `ftOwners`, `ftTags`, `ftType`), so the scan limit applies to hits that pass them. Lucene
 * analyses the phrase as it analysed the field, so the clause keeps every true match (and
 * possibly a few more); the exact checks in Cypher drop those. Null when nothing can match.
 */
export function luceneFilters(filter: SearchFilter): string[] | null {
  const clauses: string[] = [];
  for (const [field, value] of [
    ['ftSource', filter.source],
    ['ftDomain', filter.domain],
    ['ftOwners', filter.owner],
  ] as const) {
    if (value === null) continue;
    if (!PHRASE_SAFE.test(value)) return null;
    clauses.push(`${field}:"${value}"`);
  }
  if (filter.tag !== null) {
    // ftTags holds every tag's words and the whole tag reduced to letters and digits.
    const whole = ftKey(filter.tag);
    if (!whole) return null;
    clauses.push(`ftTags:${whole}`);
  }
  if (filter.types.length < 3) clauses.push(`(${filter.types.map((t) => `ftType:${FT_TYPES[t]}`).join(' OR ')})`);
  return clauses;
}

/** What the ranking reads of a hit: its derived words, description and layer. */
export interface RankFields {
  ftName: string | null;
  ftTags: string | null;
  description: string | null;
  layer: string | null;
}

/**
 * Metis's relevance of one hit, from the hit alone: for each query word, 4 when it is a word of
 * the name, 3 when it starts one (rough stem, 3+ letters), 2.5 when it is one or two letters away
 * from one (a typo, see `allowedEdits`), 2 for a tag, 1 for the description, 0.5 otherwise
 * (context, stemming), averaged; plus up to 0.5 for the share of the name the query
 * covers; scaled to (0, 1] and weighted by layer. Computed here rather than in Cypher: the same
 * arithmetic over 5,000 hits costs Neo4j's interpreted expressions several times what reading
 * the four fields does.
 */
export function rankScore(terms: readonly RankTerm[], hit: RankFields): number {
  const nameWords = (hit.ftName ?? '').split(' ').filter((w) => w !== '');
  const tagWords = (hit.ftTags ?? '').split(' ').filter((w) => w !== '');
  let prose: string | undefined; // lowered only when a word is neither in the name nor in the tags
  const startsAny = (words: string[], prefix: string | null) =>
    prefix !== null && words.some((w) => w.startsWith(prefix));
  let sum = 0;
  for (const t of terms) {
    if (nameWords.includes(t.word)) sum += 4;
    else if (startsAny(nameWords, t.prefix)) sum += 3;
    else if (nearWord(t.word, nameWords)) sum += 2.5;
    else if (tagWords.includes(t.word) || startsAny(tagWords, t.prefix)) sum += 2;
    else if ((prose ??= (hit.description ?? '').toLowerCase()).includes(t.prefix ?? t.word)) sum += 1;
    else sum += 0.5;
  }
  const covered = nameWords.filter((w) =>
    terms.some((t) => w === t.word || (t.prefix !== null && w.startsWith(t.prefix)) || nearWord(t.word, [w])),
  ).length;
  const base = sum / Math.max(terms.length, 1) + (0.5 * covered) / Math.max(nameWords.length, 1);
  const weight =
    hit.layer === 'curated' || hit.layer === 'serving'
      ? LAYER_WEIGHTS.curated
      : hit.layer === 'clean'
        ? LAYER_WEIGHTS.clean
        : 1;
  return Math.round(((base / 4.5) * weight * 1e6) / LAYER_WEIGHTS.curated) / 1e6;
}

const RANK: Record<SearchType, number> = { DATASET: 0, COLUMN: 1, GLOSSARY_TERM: 2 };

/**
 * Exact name matches first, then best score; ties by type then key, so that the order is total.
 * A hit's position depends on the hit alone, so positions do not move when other documents are
 * added or changed: a cursor continues exactly after the last hit shown (keyset pagination).
 */
export type SearchPosition = [exact: number, score: number, rank: number, key: string];

export const positionOf = (c: SearchCandidate): SearchPosition => [c.exact ? 1 : 0, c.score, RANK[c.type], c.key];

export function comparePositions(a: SearchPosition, b: SearchPosition): number {
  return b[0] - a[0] || b[1] - a[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);
}

/** `comparePositions` of two hits, without building their positions (sorting 5,000 hits). */
const compareCandidates = (a: SearchCandidate, b: SearchCandidate): number =>
  Number(b.exact) - Number(a.exact) ||
  b.score - a.score ||
  RANK[a.type] - RANK[b.type] ||
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

interface CandidateRow {
  type: SearchType;
  n: RankFields & {
    urn: string | null;
    datasetUrn: string | null;
    name: string;
    tags: string[] | null;
    domain: string | null;
    source: string | null;
  };
  /** The column's dataset, read only under a domain or owner filter. */
  parent: { tags: string[] | null; domain: string | null; source: string | null } | null;
}

/** The exact checks of the filters Lucene ran approximately, but the domain and owner ones (in Cypher). */
function passes({ type, n }: CandidateRow, filter: SearchFilter): boolean {
  if (!filter.types.includes(type)) return false;
  if (filter.source !== null) {
    if (
      type === 'DATASET'
        ? n.source !== filter.source
        : type === 'COLUMN'
          ? !n.datasetUrn?.startsWith(`dataos://${filter.source}:`)
          : true
    )
      return false;
  }
  return filter.tag === null || (type !== 'GLOSSARY_TERM' && (n.tags ?? []).includes(filter.tag));
}

/**
 * One round trip: the single full-text index over datasets, columns and glossary terms, filtered
 * inside Lucene and checked exactly here, at most `limit` matches, ranked by `rankScore` in the
 * order of `comparePositions`.
 *
 * Lucene decides what matches; the ranking is Metis's own and depends on nothing but the hit.
 * BM25 scores are not used: they depend on every document of the index (hidden datasets
 * included), and they move when documents are added, which would break cursors. Neo4j only reads
 * the hits (one map projection each: cheaper than as many columns); the exact filter checks, the
 * scores and the order are computed here. The datasets of column hits are read only under a
 * domain or owner filter (which needs them exactly); otherwise `searchDatasetFacts` reads them for
 * the hits that get authorized, usually far fewer.
 */
export async function searchCandidates(
  store: CatalogStore,
  text: string,
  lucene: string,
  filter: SearchFilter,
  limit = SEARCH_SCAN_LIMIT,
  index: typeof SEARCH_INDEX | typeof NAMES_INDEX = SEARCH_INDEX,
): Promise<SearchCandidate[]> {
  if (filter.source !== null && !/^[a-z][a-z0-9_-]*$/i.test(filter.source)) return [];
  const clauses = luceneFilters(filter);
  if (!clauses) return [];
  const needsParent = filter.domain !== null || filter.owner !== null;
  const rows = await store.read<CandidateRow>(
    `CALL db.index.fulltext.queryNodes('${index}', $lucene, {limit: $limit}) YIELD node
     WITH node WHERE $includeDeleted OR node.deletedAt IS NULL
     WITH node, CASE WHEN node:Dataset THEN 'DATASET' WHEN node:Column THEN 'COLUMN' ELSE 'GLOSSARY_TERM' END AS type
     ${
       needsParent
         ? `OPTIONAL MATCH (parent:Dataset {urn: node.datasetUrn}) WHERE type = 'COLUMN'
     WITH node, type, parent, CASE type WHEN 'DATASET' THEN node WHEN 'COLUMN' THEN parent END AS d
     WHERE (type = 'GLOSSARY_TERM' OR d IS NOT NULL)
       AND CASE WHEN $domain IS NULL THEN true WHEN d IS NULL THEN node.domain = $domain ELSE d.domain = $domain END
       AND CASE WHEN $owner IS NULL THEN true WHEN d IS NULL THEN false
                ELSE EXISTS { (d)-[:OWNED_BY]->(:Owner {id: $owner}) } END`
         : 'WITH node, type, null AS parent'
     }
     RETURN type, node {.urn, .datasetUrn, .name, .ftName, .ftTags, .description, .layer, .tags, .domain, .source} AS n,
            CASE WHEN parent IS NULL THEN null ELSE parent {.tags, .domain, .source} END AS parent`,
    {
      lucene: [`(${lucene})`, ...clauses].join(' AND '),
      limit: int(limit),
      domain: filter.domain,
      owner: filter.owner,
      includeDeleted: filter.includeDeleted ?? false,
    },
  );
  const terms = rankTerms(text);
  const exact = ftKey(text);
  const candidates = rows
    .filter((r) => passes(r, filter))
    .map(({ type, n, parent }): SearchCandidate => {
      const datasetUrn = type === 'DATASET' ? n.urn : type === 'COLUMN' ? n.datasetUrn : null;
      const facts = type === 'DATASET' ? n : parent;
      return {
        type,
        score: rankScore(terms, n),
        exact: ftKey(n.name ?? '') === exact,
        key: type === 'DATASET' ? n.urn! : type === 'COLUMN' ? `${n.datasetUrn} ${n.name}` : n.name,
        name: n.name,
        datasetUrn,
        dataset:
          datasetUrn && facts
            ? { urn: datasetUrn, tags: facts.tags ?? [], domain: facts.domain, source: facts.source }
            : null,
        domain: type === 'GLOSSARY_TERM' ? n.domain : null,
        tags: n.tags ?? [],
      };
    });
  return candidates.sort(compareCandidates);
}

/** Tags, domain and source of the datasets of column hits, for the hits being authorized. */
export function searchDatasetFacts(store: CatalogStore, urns: readonly string[]): Promise<DatasetFacts[]> {
  return store.read<DatasetFacts>(
    `UNWIND $urns AS urn MATCH (d:Dataset {urn: urn})
     RETURN d.urn AS urn, coalesce(d.tags, []) AS tags, d.domain AS domain, d.source AS source`,
    { urns },
  );
}

/**
 * The matches of the main index and, when a query word allows a typo, the names index's fuzzy
 * matches (`custmer` finds `customers`), merged by hit and ranked together: both run whatever the
 * catalog holds, so nothing about hidden documents decides whether typos are forgiven. A typo
 * ranks after a true name match (`rankScore`), and an exact name stays first.
 */
export async function forgivingCandidates(
  store: CatalogStore,
  text: string,
  lucene: string,
  fuzzy: string | null,
  filter: SearchFilter,
  limit = SEARCH_SCAN_LIMIT,
): Promise<SearchCandidate[]> {
  const [main, typos] = await Promise.all([
    searchCandidates(store, text, lucene, filter, limit),
    fuzzy ? searchCandidates(store, text, fuzzy, filter, limit, NAMES_INDEX) : [],
  ]);
  if (!typos.length) return main;
  const seen = new Set(main.map((c) => `${c.type} ${c.key}`));
  const merged = [...main, ...typos.filter((c) => !seen.has(`${c.type} ${c.key}`))].sort(compareCandidates);
  return merged.slice(0, limit);
}
