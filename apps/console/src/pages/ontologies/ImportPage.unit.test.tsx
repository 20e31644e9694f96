import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { MockedProvider } from '@apollo/client/testing/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleCanWriteOntologiesDocument, ConsoleImportOntologyDocument } from '@dataos/client';
import { ImportPage } from './ImportPage.js';

const allowed = (yes: boolean) => ({
  request: { query: ConsoleCanWriteOntologiesDocument },
  result: {
    data: { decide: { __typename: 'Decision', allowed: yes, reason: yes ? 'allowed' : 'no policy allows it' } },
  },
});

const DOC = '@prefix ex: <https://ex.org/> .\nex:A a ex:B ;\n  ex:c "x" ..\n';

function renderPage(mocks: object[]) {
  return render(
    <MockedProvider mocks={mocks as never}>
      <MemoryRouter initialEntries={['/ontologies/import']}>
        <ImportPage />
      </MemoryRouter>
    </MockedProvider>,
  );
}

// jsdom lays nothing out; CodeMirror measures text ranges, so give them empty boxes.
beforeAll(() => {
  const empty = () =>
    ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
  Range.prototype.getClientRects = empty;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
});

describe('ImportPage', () => {
  it('shows why the user may not import, and no form', async () => {
    renderPage([allowed(false)]);
    expect(await screen.findByText(/You may not import ontologies: no policy allows it/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Import' })).toBeNull();
  });

  it('shows a refused document at its line and column, and marks it in the editor', async () => {
    const user = userEvent.setup();
    renderPage([
      allowed(true),
      {
        request: { query: ConsoleImportOntologyDocument, variables: { input: { content: DOC, format: 'TURTLE' } } },
        result: {
          errors: [
            {
              message: 'Unexpected "." on line 3.',
              path: ['importOntology'],
              extensions: { code: 'BAD_USER_INPUT', field: 'input.content', line: 3, column: 12 },
            },
          ],
        },
      },
    ]);
    const editor = await screen.findByRole('textbox', { name: 'RDF document' });
    await user.click(editor);
    // CodeMirror takes typed text; paste keeps the document exactly as written.
    await user.paste(DOC);
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Line 3, column 12: Unexpected "." on line 3. (BAD_USER_INPUT)');
    await waitFor(() => expect(document.querySelector('.cm-lintRange-error')).not.toBeNull());
    // The mark starts at line 3, column 12 and covers the token there.
    expect(document.querySelector('.cm-lintRange-error')?.textContent).toBe('..');
  });
});
