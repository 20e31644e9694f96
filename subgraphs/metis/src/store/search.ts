import { int } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';
import { ftKey, rankTerms } from '../text.js';
import { SEARCH_INDEX } from './migrate.js';

export type SearchType = 'DATASET' | 'COLUMN' | 'GLOSSARY_TERM';

export interface SearchFilter {
  types: SearchType[];
  tag: string | null;
  owner: string | null;
  domain: string | null;
  source: string | null;
}

/** One full-text match, with what authorization and facets need (the dataset it belongs to). */
export interface SearchCandidate {
  type: SearchType;
  /** Relevance in (0, 1] from the hit's own fields only (see `searchCandidates`). */
  score: number;
  /** The hit's name is the query (letters and digits compared, case ignored). */
  exact: boolean;
  /** Dataset URN, `datasetUrn name` of a column, or glossary term name. */
  key: string;
  name: string;
  /** The dataset (itself or the column's), null for glossary terms. */
  datasetUrn: string | null;
  datasetTags: string[];
  domain: string | null;
  source: string | null;
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
  for (const [field, value] of [['ftSource', filter.source], ['ftDomain', filter.domain], ['ftOwners', filter.owner]] as const) {
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

/**
 * One round trip: the single full-text index over datasets, columns and glossary terms, filtered
 * inside Lucene and checked exactly here, at most `limit` matches.
 *
 * Lucene decides what matches; the ranking is Metis's own and depends on nothing but the hit:
 * for each query word, 4 when it is a word of the name, 3 when it starts one (rough stem, 3+
 * letters), 2 for a tag, 1 for the description, 0.5 otherwise (context, stemming), averaged; plus
 * up to 0.5 for the share of the name the query covers; scaled to (0, 1] and weighted by layer.
 * BM25 scores are not used: they depend on every document of the index (hidden datasets
 * included), and they move when documents are added, which would break cursors.
 */
export async function searchCandidates(
  store: CatalogStore,
  text: string,
  lucene: string,
  filter: SearchFilter,
  limit = SEARCH_SCAN_LIMIT,
): Promise<SearchCandidate[]> {
  if (filter.source !== null && !/^[a-z][a-z0-9_-]*$/i.test(filter.source)) return [];
  const clauses = luceneFilters(filter);
  if (!clauses) return [];
  return store.read<SearchCandidate>(
    `CALL db.index.fulltext.queryNodes('${SEARCH_INDEX}', $lucene, {limit: $limit}) YIELD node
     WITH node, CASE WHEN node:Dataset THEN 'DATASET' WHEN node:Column THEN 'COLUMN' ELSE 'GLOSSARY_TERM' END AS type
     WHERE type IN $types
       AND CASE WHEN $source IS NULL THEN true
                WHEN type = 'DATASET' THEN node.source = $source
                WHEN type = 'COLUMN' THEN node.datasetUrn STARTS WITH $sourcePrefix
                ELSE false END
       AND CASE WHEN $tag IS NULL THEN true WHEN type = 'GLOSSARY_TERM' THEN false ELSE $tag IN node.tags END
     OPTIONAL MATCH (parent:Dataset {urn: node.datasetUrn}) WHERE type = 'COLUMN'
     WITH node, type, CASE type WHEN 'DATASET' THEN node WHEN 'COLUMN' THEN parent END AS d
     WHERE (type = 'GLOSSARY_TERM' OR d IS NOT NULL)
       AND CASE WHEN $domain IS NULL THEN true WHEN d IS NULL THEN node.domain = $domain ELSE d.domain = $domain END
       AND CASE WHEN $owner IS NULL THEN true WHEN d IS NULL THEN false
                ELSE EXISTS { (d)-[:OWNED_BY]->(:Owner {id: $owner}) } END
     WITH node, type, d, [w IN split(coalesce(node.ftName, ''), ' ') WHERE w <> ''] AS nameWords,
          split(coalesce(node.ftTags, ''), ' ') AS tagWords, toLower(coalesce(node.description, '')) AS prose
     WITH node, type, d, nameWords,
          [t IN $terms | CASE
             WHEN t.word IN nameWords THEN 4.0
             WHEN t.prefix IS NOT NULL AND any(w IN nameWords WHERE w STARTS WITH t.prefix) THEN 3.0
             WHEN t.word IN tagWords OR (t.prefix IS NOT NULL AND any(w IN tagWords WHERE w STARTS WITH t.prefix)) THEN 2.0
             WHEN prose CONTAINS coalesce(t.prefix, t.word) THEN 1.0
             ELSE 0.5 END] AS perWord,
          size([w IN nameWords WHERE any(t IN $terms WHERE w = t.word OR (t.prefix IS NOT NULL AND w STARTS WITH t.prefix))]) AS covered
     WITH node, type, d,
          reduce(s = 0.0, x IN perWord | s + x) / size(perWord)
            + 0.5 * toFloat(covered) / CASE size(nameWords) WHEN 0 THEN 1 ELSE size(nameWords) END AS base,
          CASE node.layer WHEN 'curated' THEN $curated WHEN 'serving' THEN $curated WHEN 'clean' THEN $clean ELSE 1.0 END AS weight
     RETURN type, round(base / 4.5 * weight / $curated, 6) AS score, coalesce(node.ftKey = $exact, false) AS exact,
            CASE type WHEN 'DATASET' THEN node.urn WHEN 'COLUMN' THEN node.datasetUrn + ' ' + node.name ELSE node.name END AS key,
            node.name AS name, d.urn AS datasetUrn, coalesce(d.tags, []) AS datasetTags,
            CASE WHEN d IS NULL THEN node.domain ELSE d.domain END AS domain, d.source AS source,
            coalesce(node.tags, []) AS tags`,
    {
      lucene: [`(${lucene})`, ...clauses].join(' AND '),
      limit: int(limit),
      terms: rankTerms(text),
      exact: ftKey(text),
      sourcePrefix: `dataos://${filter.source ?? ''}:`,
      ...LAYER_WEIGHTS,
      ...filter,
    },
  );
}
