import { int } from 'neo4j-driver';
import type { CatalogStore } from './catalog.js';
import { ftKey } from '../text.js';
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

/** Authorization and counts look at this many best matches at most. */
export const SEARCH_CANDIDATES = 1000;

/**
 * One round trip: the single full-text index over datasets, columns and glossary terms (so scores
 * are comparable across types), filtered; exact name matches first, then by score weighted by
 * layer (columns carry their dataset's layer). Filters that need a column's dataset (domain,
 * owner) look it up; otherwise only the best `limit` hits do, for their authorization facts.
 */
export async function searchCandidates(
  store: CatalogStore,
  text: string,
  lucene: string,
  filter: SearchFilter,
  limit = SEARCH_CANDIDATES,
): Promise<SearchCandidate[]> {
  if (filter.source !== null && !/^[a-z][a-z0-9_-]*$/i.test(filter.source)) return [];
  const unfiltered = filter.types.length === 3 && filter.tag === null && filter.owner === null && filter.domain === null;
  const rows = await store.read<SearchCandidate>(
    `CALL db.index.fulltext.queryNodes('${SEARCH_INDEX}', $lucene, {limit: $luceneLimit}) YIELD node, score
     WITH node, score, coalesce(node.ftKey = $exact, false) AS exact,
          CASE WHEN node:Dataset THEN 'DATASET' WHEN node:Column THEN 'COLUMN' ELSE 'GLOSSARY_TERM' END AS type
     WHERE type IN $types
       AND CASE WHEN $source IS NULL THEN true
                WHEN type = 'DATASET' THEN node.source = $source
                WHEN type = 'COLUMN' THEN node.datasetUrn STARTS WITH $sourcePrefix
                ELSE false END
       AND CASE WHEN $tag IS NULL THEN true WHEN type = 'GLOSSARY_TERM' THEN false ELSE $tag IN node.tags END
       AND CASE WHEN $domain IS NULL THEN true
                WHEN type = 'COLUMN' THEN EXISTS { MATCH (p:Dataset {urn: node.datasetUrn}) WHERE p.domain = $domain }
                ELSE node.domain = $domain END
       AND CASE WHEN $owner IS NULL THEN true
                WHEN type = 'DATASET' THEN EXISTS { (node)-[:OWNED_BY]->(:Owner {id: $owner}) }
                WHEN type = 'COLUMN' THEN EXISTS { (:Dataset {urn: node.datasetUrn})-[:OWNED_BY]->(:Owner {id: $owner}) }
                ELSE false END
     WITH node, exact, type,
          score * CASE node.layer WHEN 'curated' THEN $curated WHEN 'serving' THEN $curated WHEN 'clean' THEN $clean ELSE 1.0 END AS score
     ORDER BY exact DESC, score DESC
     LIMIT $limit
     OPTIONAL MATCH (parent:Dataset {urn: node.datasetUrn}) WHERE type = 'COLUMN'
     WITH node, score, exact, type, CASE type WHEN 'DATASET' THEN node WHEN 'COLUMN' THEN parent END AS d
     WHERE type = 'GLOSSARY_TERM' OR d IS NOT NULL
     RETURN type, score, exact,
            CASE type WHEN 'DATASET' THEN node.urn WHEN 'COLUMN' THEN node.datasetUrn + ' ' + node.name ELSE node.name END AS key,
            node.name AS name, d.urn AS datasetUrn, coalesce(d.tags, []) AS datasetTags,
            CASE WHEN d IS NULL THEN node.domain ELSE d.domain END AS domain, d.source AS source,
            coalesce(node.tags, []) AS tags`,
    {
      // The source filter runs inside Lucene (a phrase on ftSource, exact check below).
      lucene: filter.source ? `(${lucene}) AND ftSource:"${filter.source}"` : lucene,
      // Only Lucene's best hits when no filter below could drop many of them (domain, owner, tag,
      // type; the source is filtered in Lucene already).
      luceneLimit: int(unfiltered ? limit * 2 : 1_000_000_000),
      exact: ftKey(text),
      limit: int(limit),
      sourcePrefix: `dataos://${filter.source ?? ''}:`, ...LAYER_WEIGHTS, ...filter },
  );
  return rows;
}
