import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleSearchConceptsDocument, ConsoleSearchDocument } from '@dataos/client';
import { CONCEPT_HITS, conceptFacet, conceptsByHit, withConcept } from './concept-facet.js';
import { FacetGroup } from './FacetGroup.js';
import { queryWords } from './highlight.js';
import { localFacets, withTerm } from './local-facets.js';
import { readSearch, toFilter, toggleFacet, writeSearch, type SearchState } from './search-params.js';
import { SearchHits } from './SearchHits.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { SubgraphDown } from '../../ui/SubgraphDown.js';

/** The first answer is small so it comes back fast; the rest of the first screen follows at once. */
const FIRST = 10;
const FILL = 30;
const MORE = 50;

const TYPE_LABELS: Record<string, string> = { DATASET: 'Datasets', COLUMN: 'Columns', GLOSSARY_TERM: 'Glossary terms' };

export default function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const state = readSearch(params);
  const [draft, setDraft] = useState(state.query);
  useEffect(() => setDraft(state.query), [state.query]);

  const filter = toFilter(state);
  const { data, previousData, error, loading, fetchMore } = useQuery(ConsoleSearchDocument, {
    variables: {
      query: state.query,
      first: FIRST,
      ...(filter ? { filter } : {}),
      ...(state.sort ? { sort: state.sort } : {}),
    },
    skip: !state.query.trim(),
    notifyOnNetworkStatusChange: true,
  });
  // Facets stay put while a refined search loads, instead of jumping away under the pointer.
  const search = (data ?? previousData)?.search;
  // Odin's concepts of the first hits, apart and outside the cache (an Odin down leaves the results).
  const meaning = useQuery(ConsoleSearchConceptsDocument, {
    variables: { query: state.query, first: CONCEPT_HITS, ...(filter ? { filter } : {}) },
    skip: !state.query.trim(),
    fetchPolicy: 'no-cache',
  });
  const concepts = meaning.data ? conceptsByHit(meaning.data.search.edges.map((e) => e.node.node)) : undefined;

  // Fill the first screen right after the first results are shown.
  const filled = useRef<string>('');
  const key = params.toString();
  useEffect(() => {
    const page = data?.search;
    if (!page || filled.current === key || page.edges.length !== FIRST || !page.pageInfo.hasNextPage) return;
    filled.current = key;
    void fetchMore({ variables: { after: page.pageInfo.endCursor, first: FILL } });
  }, [data, key, fetchMore]);

  const update = (next: SearchState) => setParams(writeSearch(next));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update({ ...state, query: draft.trim() });
  };

  const words = queryWords(state.query);
  const hits = search
    ? withConcept(
        withTerm(
          search.edges.map((e) => e.node),
          state.term,
        ),
        concepts,
        state.concept,
      )
    : [];
  const local = localFacets(search?.edges.map((e) => e.node) ?? []);
  const toApiFacet = (values: readonly { value: string; count: number }[]) =>
    values.map((v) => ({ ...v, label: v.value }));

  return (
    <section className="page">
      <h1>Catalog</h1>
      <form role="search" onSubmit={submit} className="search-form">
        <label htmlFor="catalog-query">Search datasets, columns and glossary terms</label>
        <div className="row">
          <input
            id="catalog-query"
            type="search"
            value={draft}
            maxLength={200}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="customer, revenue, email…"
          />
          <button type="submit">Search</button>
        </div>
      </form>

      {!state.query ? (
        <p className="muted">
          Type a word to search the catalog, or browse by <Link to="/domains">domain</Link> or{' '}
          <Link to="/glossary">glossary term</Link>.
        </p>
      ) : (
        <div className="search-layout">
          <aside className="facets" aria-label="Filters">
            {search ? (
              <>
                <FacetGroup
                  legend="Type"
                  values={search.facets.types.map((v) => ({ ...v, label: TYPE_LABELS[v.value] ?? v.value }))}
                  isSelected={(v) => (state.types as string[]).includes(v)}
                  onToggle={(v) => update(toggleFacet(state, 'type', v))}
                />
                <FacetGroup
                  legend="Domain"
                  values={toApiFacet(search.facets.domains)}
                  isSelected={(v) => state.domain === v}
                  onToggle={(v) => update(toggleFacet(state, 'domain', v))}
                />
                <FacetGroup
                  legend="Source"
                  values={toApiFacet(search.facets.sources)}
                  isSelected={(v) => state.source === v}
                  onToggle={(v) => update(toggleFacet(state, 'source', v))}
                />
                <FacetGroup
                  legend="Tag"
                  values={toApiFacet(search.facets.tags)}
                  isSelected={(v) => state.tag === v}
                  onToggle={(v) => update(toggleFacet(state, 'tag', v))}
                />
                <FacetGroup
                  legend="Owner"
                  hint="In the results shown"
                  values={local.owners}
                  isSelected={(v) => state.owner === v}
                  onToggle={(v) => update(toggleFacet(state, 'owner', v))}
                />
                <FacetGroup
                  legend="Glossary term"
                  hint="In the results shown"
                  values={local.terms}
                  isSelected={(v) => state.term === v}
                  onToggle={(v) => update(toggleFacet(state, 'term', v))}
                />
                {meaning.error ? (
                  <SubgraphDown service="odin" detail="no concept facet" />
                ) : (
                  <FacetGroup
                    legend="Concept"
                    hint={`In the first ${CONCEPT_HITS} results`}
                    values={concepts ? conceptFacet(concepts) : []}
                    isSelected={(v) => state.concept === v}
                    onToggle={(v) => update(toggleFacet(state, 'concept', v))}
                  />
                )}
              </>
            ) : null}
          </aside>
          <div>
            <PageError error={error} />
            <div className="row sort-row">
              <label htmlFor="catalog-sort">Sort by</label>
              <select
                id="catalog-sort"
                value={state.sort ?? 'RELEVANCE'}
                onChange={(e) => {
                  const { sort: _previous, ...rest } = state;
                  update(e.target.value === 'USAGE' ? { ...rest, sort: 'USAGE' } : rest);
                }}
              >
                <option value="RELEVANCE">Best match</option>
                <option value="USAGE">Most used (30 days)</option>
              </select>
            </div>
            {search ? (
              <p className="muted" role="status" aria-live="polite">
                {search.totalCount === 0
                  ? `No results for “${state.query}”.`
                  : `${search.totalCount} result${search.totalCount === 1 ? '' : 's'} for “${state.query}”` +
                    (state.term ? `, ${hits.length} shown with glossary term ${state.term}` : '') +
                    (state.concept ? `, ${hits.length} shown holding the chosen concept` : '')}
              </p>
            ) : null}
            <SearchHits hits={hits} words={words} />
            {loading ? <Loading label={search ? 'Loading more results' : 'Searching'} /> : null}
            {search?.pageInfo.hasNextPage && !loading ? (
              <button
                type="button"
                onClick={() => void fetchMore({ variables: { after: search.pageInfo.endCursor, first: MORE } })}
              >
                Show more results
              </button>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
