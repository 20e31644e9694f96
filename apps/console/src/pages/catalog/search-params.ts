import type { CatalogSearchFilter, CatalogSearchSort, CatalogSearchType } from '@dataos/client';

/** Facets the API filters on, and the URL parameter each lives in (so a search is a deep link). */
export const SERVER_FACETS = ['domain', 'source', 'tag', 'owner'] as const;
export type ServerFacet = (typeof SERVER_FACETS)[number];

const TYPES: readonly CatalogSearchType[] = ['DATASET', 'COLUMN', 'GLOSSARY_TERM'];

export interface SearchState {
  query: string;
  types: CatalogSearchType[];
  domain?: string;
  source?: string;
  tag?: string;
  owner?: string;
  /** Glossary term: the API has no such filter, so the console narrows the loaded hits by it. */
  term?: string;
  /** Odin concept IRI: narrows the hits whose concepts Odin gave (the first CONCEPT_HITS). */
  concept?: string;
  /** `?sort=usage`: most queried through the Gateway (30 days) first; relevance when absent. */
  sort?: CatalogSearchSort;
}

/** The sort in the URL: only the non-default one is written, so existing links stay as they were. */
const SORT_PARAM: Record<string, CatalogSearchSort> = { usage: 'USAGE' };

/** Facets in the URL: the API's, then those the console applies to the hits it has. */
const LOCAL_FACETS = [...SERVER_FACETS, 'term', 'concept'] as const;

/** Bounds what a hand-edited URL can send: the API refuses longer queries anyway. */
const MAX_QUERY = 200;

export function readSearch(params: URLSearchParams): SearchState {
  const state: SearchState = {
    query: (params.get('q') ?? '').slice(0, MAX_QUERY),
    types: params.getAll('type').filter((t): t is CatalogSearchType => (TYPES as string[]).includes(t)),
  };
  for (const facet of LOCAL_FACETS) {
    const value = params.get(facet);
    if (value) state[facet] = value;
  }
  const sort = SORT_PARAM[params.get('sort') ?? ''];
  if (sort) state.sort = sort;
  return state;
}

export function writeSearch(state: SearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.query) params.set('q', state.query);
  for (const type of state.types) params.append('type', type);
  for (const facet of LOCAL_FACETS) {
    const value = state[facet];
    if (value) params.set(facet, value);
  }
  if (state.sort && state.sort !== 'RELEVANCE') params.set('sort', state.sort.toLowerCase());
  return params;
}

/** The API's filter for a search (undefined when nothing is narrowed, to share the cache entry). */
export function toFilter(state: SearchState): CatalogSearchFilter | undefined {
  const filter: CatalogSearchFilter = {};
  if (state.types.length) filter.types = state.types;
  for (const facet of SERVER_FACETS) {
    const value = state[facet];
    if (value) filter[facet] = value;
  }
  return Object.keys(filter).length ? filter : undefined;
}

/** Picking a facet value again clears it; types are a set, the others a single value each. */
export function toggleFacet(
  state: SearchState,
  facet: ServerFacet | 'term' | 'concept' | 'type',
  value: string,
): SearchState {
  if (facet === 'type') {
    const type = value as CatalogSearchType;
    const types = state.types.includes(type) ? state.types.filter((t) => t !== type) : [...state.types, type];
    return { ...state, types };
  }
  const next = { ...state };
  if (state[facet] === value) delete next[facet];
  else next[facet] = value;
  return next;
}
