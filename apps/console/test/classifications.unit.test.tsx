import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { MockedProvider } from '@apollo/client/testing/react';
import { describe, expect, it, vi } from 'vitest';
import {
  ConsoleAcceptSuggestionDocument,
  ConsoleFindConceptsDocument,
  ConsoleLinkConceptDocument,
  ConsoleRejectSuggestionDocument,
} from '@dataos/client';
import { conceptFacet, conceptsByHit, withConcept } from '../src/pages/catalog/concept-facet.js';
import type { SearchHit } from '../src/pages/catalog/local-facets.js';
import { readSearch, toggleFacet, writeSearch } from '../src/pages/catalog/search-params.js';
import {
  InheritedClassifications,
  SuggestionsPanel,
  inheritedByColumn,
  type Suggestion,
} from '../src/pages/dataset/Classifications.js';

const R = 'dataos://icebase:retail/';
const ref = (dataset: string | null, name: string | null) => ({
  __typename: 'ColumnRef' as const,
  datasetUrn: dataset ? `${R}${dataset}` : null,
  name,
  hidden: dataset === null,
});

describe('inherited classifications on the dataset page', () => {
  const dataset = {
    __typename: 'Dataset' as const,
    urn: `${R}customer_360`,
    classificationSuggestions: [],
    columns: [
      {
        __typename: 'Column' as const,
        datasetUrn: `${R}customer_360`,
        name: 'email',
        classifications: [
          { __typename: 'Classification' as const, tag: 'PII.Email', propagated: false, source: null, path: [] },
          {
            __typename: 'Classification' as const,
            tag: 'PII.Email',
            propagated: true,
            source: ref('customers', 'email'),
            path: [ref('customers', 'email'), ref('customer_360', 'email')],
          },
          {
            __typename: 'Classification' as const,
            tag: 'PII.Secret',
            propagated: true,
            source: ref(null, null),
            path: [ref(null, null), ref('customers', 'email'), ref('customer_360', 'email')],
          },
        ],
      },
      { __typename: 'Column' as const, datasetUrn: `${R}customer_360`, name: 'region', classifications: [] },
    ],
  };

  it('keeps only propagated ones, per column', () => {
    const map = inheritedByColumn(dataset);
    expect([...map.keys()]).toEqual(['email']);
    expect(map.get('email')!.map((c) => c.tag)).toEqual(['PII.Email', 'PII.Secret']);
    expect(inheritedByColumn(null).size).toBe(0);
  });

  it('shows each with its source column as a link and its path; a hidden source is named as such, not linked', () => {
    render(
      <MemoryRouter>
        <InheritedClassifications items={inheritedByColumn(dataset).get('email')!} />
      </MemoryRouter>,
    );
    const list = screen.getByRole('list', { name: 'Inherited classifications' });
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first).toHaveTextContent('PII.Email from customers.email (customers.email → customer_360.email)');
    expect(within(first!).getByRole('link', { name: 'customers.email' })).toHaveAttribute(
      'href',
      `/datasets/${encodeURIComponent(`${R}customers`)}#column-email`,
    );
    expect(second).toHaveTextContent(
      'PII.Secret from a column you cannot see (a column you cannot see → customers.email → customer_360.email)',
    );
    expect(within(second!).queryAllByRole('link')).toHaveLength(0);
  });
});

describe('suggestions for stewards', () => {
  const urn = `${R}signups`;
  const suggestion = (column: string, kind: 'TAG' | 'CONCEPT', value: string): Suggestion => ({
    column: { datasetUrn: urn, name: column },
    kind,
    value,
    basis: 'NAME',
    reason: `The name "${column}" reads as something.`,
  });
  const decided = (
    document: typeof ConsoleAcceptSuggestionDocument | typeof ConsoleRejectSuggestionDocument,
    field: string,
    input: object,
  ) => ({
    request: { query: document, variables: { input } },
    result: { data: { [field]: { __typename: 'Dataset', urn } } },
  });
  const suggestions = [
    suggestion('email', 'TAG', 'PII.Email'),
    suggestion('email', 'CONCEPT', 'Email address'),
    suggestion('customer_id', 'CONCEPT', 'Customer identifier'),
  ];

  it('accepts a tag, rejects a concept, and links an accepted concept in Odin before recording it', async () => {
    const user = userEvent.setup();
    const onDecided = vi.fn();
    const iri = 'https://dataos.local/ontology/business#EmailAddress';
    render(
      <MockedProvider
        mocks={[
          decided(ConsoleAcceptSuggestionDocument, 'acceptClassificationSuggestion', {
            urn,
            column: 'email',
            kind: 'TAG',
            value: 'PII.Email',
          }),
          decided(ConsoleRejectSuggestionDocument, 'rejectClassificationSuggestion', {
            urn,
            column: 'customer_id',
            kind: 'CONCEPT',
            value: 'Customer identifier',
          }),
          {
            request: { query: ConsoleFindConceptsDocument, variables: { search: 'Email address' } },
            result: {
              data: {
                concepts: [
                  { __typename: 'Concept', iri: `${iri}Old`, label: 'Email address (old)', definition: null },
                  { __typename: 'Concept', iri, label: 'Email address', definition: null },
                ],
              },
            },
          },
          {
            request: {
              query: ConsoleLinkConceptDocument,
              variables: { input: { concept: iri, datasetUrn: urn, column: 'email' } },
            },
            result: { data: { linkConcept: { __typename: 'ConceptLink', concept: { __typename: 'Concept', iri } } } },
          },
          decided(ConsoleAcceptSuggestionDocument, 'acceptClassificationSuggestion', {
            urn,
            column: 'email',
            kind: 'CONCEPT',
            value: 'Email address',
          }),
        ]}
      >
        <SuggestionsPanel urn={urn} suggestions={suggestions} onDecided={onDecided} />
      </MockedProvider>,
    );
    const table = screen.getByRole('table', { name: 'Suggested classifications' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    await user.click(screen.getByRole('button', { name: 'Accept tag PII.Email for email' }));
    expect(await screen.findByText('Accepted: PII.Email for email.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Reject concept Customer identifier for customer_id' }));
    expect(await screen.findByText('Rejected: Customer identifier for customer_id.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Accept concept Email address for email' }));
    expect(await screen.findByText('Accepted: Email address for email.')).toBeInTheDocument();
    expect(onDecided).toHaveBeenCalledTimes(3);
  });

  it('links nothing and records nothing when no concept has the label', async () => {
    const user = userEvent.setup();
    const onDecided = vi.fn();
    render(
      <MockedProvider
        mocks={[
          {
            request: { query: ConsoleFindConceptsDocument, variables: { search: 'Customer identifier' } },
            result: { data: { concepts: [] } },
          },
        ]}
      >
        <SuggestionsPanel urn={urn} suggestions={suggestions} onDecided={onDecided} />
      </MockedProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Accept concept Customer identifier for customer_id' }));
    expect(
      await screen.findByText('No concept labelled “Customer identifier” in the ontologies: nothing was linked.'),
    ).toBeInTheDocument();
    expect(onDecided).not.toHaveBeenCalled();
  });
});

describe('the concept facet of the search', () => {
  const concept = (name: string) => ({ __typename: 'Concept' as const, iri: `urn:c:${name}`, label: name });
  const answer = [
    { __typename: 'Dataset' as const, urn: `${R}customers`, concepts: [concept('Customer'), concept('Email address')] },
    { __typename: 'Column' as const, datasetUrn: `${R}customers`, name: 'email', concept: concept('Email address') },
    { __typename: 'Column' as const, datasetUrn: `${R}orders`, name: 'total', concept: null },
  ];
  const hits = [
    { node: { __typename: 'Dataset', urn: `${R}customers` } },
    { node: { __typename: 'Column', datasetUrn: `${R}customers`, name: 'email' } },
    { node: { __typename: 'Column', datasetUrn: `${R}orders`, name: 'total' } },
    { node: { __typename: 'GlossaryTerm', term: 'Customer' } },
  ] as unknown as SearchHit[];

  it('counts hits per concept, most frequent first', () => {
    expect(conceptFacet(conceptsByHit(answer))).toEqual([
      { value: 'urn:c:Email address', label: 'Email address', count: 2 },
      { value: 'urn:c:Customer', label: 'Customer', count: 1 },
    ]);
  });

  it('keeps the hits holding the chosen concept, none while the concepts are unknown', () => {
    const concepts = conceptsByHit(answer);
    expect(withConcept(hits, concepts, 'urn:c:Email address')).toHaveLength(2);
    expect(withConcept(hits, concepts, 'urn:c:Customer')).toEqual([hits[0]]);
    expect(withConcept(hits, concepts, undefined)).toHaveLength(4);
    expect(withConcept(hits, undefined, 'urn:c:Customer')).toEqual([]);
  });

  it('lives in the URL like the other facets', () => {
    const state = toggleFacet({ query: 'customer', types: [] }, 'concept', 'urn:c:Customer');
    expect(readSearch(writeSearch(state))).toEqual({ query: 'customer', types: [], concept: 'urn:c:Customer' });
    expect(toggleFacet(state, 'concept', 'urn:c:Customer').concept).toBeUndefined();
  });
});
