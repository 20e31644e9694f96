import { render, screen } from '@testing-library/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { errorsAt, errorKind, requestFailure } from '../src/graphql/errors.js';
import { Part } from '../src/ui/Part.js';

const combined = (errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[]) =>
  new CombinedGraphQLErrors({ errors, data: { dataset: { urn: 'u' } } });

describe('errors at a path', () => {
  const error = combined([
    { message: 'no', path: ['dataset', 'preview'], extensions: { code: 'FORBIDDEN' } },
    {
      message: 'down',
      path: ['dataset', 'concepts'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'odin' },
    },
  ]);

  it('finds the errors at, below or above the field, and no others', () => {
    expect(errorsAt(error, ['dataset', 'preview']).map((e) => e.message)).toEqual(['no']);
    expect(errorsAt(error, ['dataset'])).toHaveLength(2);
    expect(errorsAt(error, ['datasets'])).toHaveLength(0);
    // An error at a parent concerns every part below it; a path-less one concerns the request.
    expect(errorsAt(error, ['dataset', 'preview', 'rows'])).toHaveLength(1);
    expect(errorsAt(combined([{ message: 'bad' }]), ['dataset'])).toHaveLength(0);
    // The empty path: every error of the answer that has a path (one notice for a whole query).
    expect(errorsAt(error, [])).toHaveLength(2);
  });

  it('classifies codes', () => {
    expect(errorKind({ message: '', extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } })).toBe('no-access');
    expect(errorKind({ message: '', extensions: { code: 'SUBGRAPH_TIMEOUT' } })).toBe('subgraph-down');
    expect(errorKind({ message: '' })).toBe('other');
  });

  it('treats only path-less errors as a failed request', () => {
    expect(requestFailure(error)).toBeUndefined();
    expect(requestFailure(combined([{ message: 'bad query' }]))).toBe('bad query');
  });

  it('shows a quiet "no access", a notice naming the service, or the part itself', () => {
    render(
      <>
        <Part error={error} path={['dataset', 'preview']}>
          <p>rows</p>
        </Part>
        <Part error={error} path={['dataset', 'concepts']}>
          <p>concepts</p>
        </Part>
        <Part error={error} path={['dataset', 'columns']}>
          <p>columns</p>
        </Part>
      </>,
    );
    expect(screen.getByText('no access')).toBeInTheDocument();
    expect(screen.queryByText('rows')).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('the knowledge graph (Odin) did not answer');
    expect(screen.getByText('columns')).toBeInTheDocument();
  });
});
