import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { MockedProvider } from '@apollo/client/testing/react';
import { describe, expect, it } from 'vitest';
import { ConsoleFindConceptsDocument } from '@dataos/client';
import { FindConcept } from './FindConcept.js';

const ONTOLOGY = 'https://dataos.local/ontology/business';
const found = (search: string, concepts: { iri: string; label: string; definition: string | null }[]) => ({
  request: { query: ConsoleFindConceptsDocument, variables: { search, ontology: ONTOLOGY } },
  result: { data: { concepts: concepts.map((c) => ({ __typename: 'Concept', ...c })) } },
});

describe('FindConcept', () => {
  it('lists the concepts whose labels match, as links to their pages, and says when none does', async () => {
    const user = userEvent.setup();
    render(
      <MockedProvider
        mocks={[
          found('mail', [{ iri: `${ONTOLOGY}#EmailAddress`, label: 'Email address', definition: 'Where mail goes.' }]),
          found('zzz', []),
        ]}
      >
        <MemoryRouter>
          <FindConcept ontology={ONTOLOGY} />
        </MemoryRouter>
      </MockedProvider>,
    );
    const input = screen.getByRole('searchbox', { name: 'Label contains' });
    await user.type(input, ' mail {Enter}');
    const link = await screen.findByRole('link', { name: 'Email address' });
    expect(link).toHaveAttribute('href', `/ontologies/concepts/${encodeURIComponent(`${ONTOLOGY}#EmailAddress`)}`);
    expect(screen.getByRole('list', { name: 'Concepts found' })).toHaveTextContent('Where mail goes.');
    await user.clear(input);
    await user.type(input, 'zzz{Enter}');
    expect(await screen.findByText('No concept of this ontology has such a label.')).toBeInTheDocument();
  });
});
