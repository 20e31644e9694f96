import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Highlight, matchRanges, queryWords } from '../src/pages/catalog/highlight.js';
import { localFacets, withTerm, type SearchHit } from '../src/pages/catalog/local-facets.js';
import { readSearch, toFilter, toggleFacet, writeSearch } from '../src/pages/catalog/search-params.js';

describe('search state in the URL', () => {
  it('reads a deep link, dropping unknown types and bounding the query', () => {
    const state = readSearch(
      new URLSearchParams(`q=${'x'.repeat(300)}&type=DATASET&type=BOGUS&domain=retail&term=Customer`),
    );
    expect(state.query).toHaveLength(200);
    expect(state.types).toEqual(['DATASET']);
    expect(state.domain).toBe('retail');
    expect(state.term).toBe('Customer');
  });

  it('round-trips through the URL', () => {
    const state = { query: 'customer', types: ['COLUMN' as const], tag: 'PII', owner: 'users:id:alice' };
    expect(readSearch(writeSearch(state))).toEqual(state);
  });

  it('sends the API only its own filters, and none when nothing is narrowed', () => {
    expect(toFilter({ query: 'a', types: [] })).toBeUndefined();
    expect(toFilter({ query: 'a', types: ['DATASET'], source: 'icebase', term: 'Customer' })).toEqual({
      types: ['DATASET'],
      source: 'icebase',
    });
  });

  it('toggles facets: types as a set, others one value at a time', () => {
    let state = toggleFacet({ query: 'a', types: [] }, 'type', 'DATASET');
    state = toggleFacet(state, 'type', 'COLUMN');
    expect(state.types).toEqual(['DATASET', 'COLUMN']);
    expect(toggleFacet(state, 'type', 'DATASET').types).toEqual(['COLUMN']);
    state = toggleFacet(state, 'domain', 'retail');
    expect(toggleFacet(state, 'domain', 'finance').domain).toBe('finance');
    expect(toggleFacet(state, 'domain', 'retail').domain).toBeUndefined();
  });
});

describe('highlighted matches', () => {
  it('takes words of two characters or more, longest first', () => {
    expect(queryWords('Customer a  e-mail')).toEqual(['customer', 'mail']);
  });

  it('merges overlapping matches, case-insensitively', () => {
    expect(matchRanges('Customer_customers', ['customer', 'tomer'])).toEqual([
      [0, 8],
      [9, 17],
    ]);
    expect(matchRanges('orders', [])).toEqual([]);
  });

  it('marks matches and escapes the rest', () => {
    const { container } = render(<Highlight text="<b>customer</b> id" words={['customer']} />);
    expect(container.innerHTML).toBe('&lt;b&gt;<mark>customer</mark>&lt;/b&gt; id');
  });
});

const dataset = (urn: string, owners: string[], terms: string[]): SearchHit => ({
  type: 'DATASET',
  score: 1,
  node: {
    __typename: 'Dataset',
    urn,
    name: urn,
    layer: null,
    description: null,
    tags: [],
    source: { name: 's' },
    domain: null,
    owners: owners.map((id) => ({ id, kind: 'PERSON', name: id === 'users:id:alice' ? 'Alice Martin' : null })),
    glossaryTerms: terms.map((name) => ({ name })),
  },
});

describe('owner and glossary facets of the loaded hits', () => {
  const hits = [
    dataset('a', ['users:id:alice'], ['Customer']),
    dataset('b', ['users:id:alice', 'teams:id:retail'], []),
    {
      type: 'GLOSSARY_TERM',
      score: 1,
      node: { __typename: 'GlossaryTerm', term: 'Customer', definition: 'd' },
    } satisfies SearchHit,
  ];

  it('counts owners by id with their names, most frequent first', () => {
    const { owners, terms } = localFacets(hits);
    expect(owners).toEqual([
      { value: 'users:id:alice', label: 'Alice Martin', count: 2 },
      { value: 'teams:id:retail', label: 'teams:id:retail', count: 1 },
    ]);
    expect(terms).toEqual([{ value: 'Customer', label: 'Customer', count: 1 }]);
  });

  it('narrows the hits to a glossary term (a term hit matches itself)', () => {
    expect(withTerm(hits, 'Customer').map((h) => h.type)).toEqual(['DATASET', 'GLOSSARY_TERM']);
    expect(withTerm(hits, undefined)).toHaveLength(3);
  });
});
