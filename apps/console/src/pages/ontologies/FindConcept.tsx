import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useLazyQuery } from '@apollo/client/react';
import { ConsoleFindConceptsDocument } from '@dataos/client';
import { requestFailure } from '../../graphql/errors.js';
import { conceptPath } from './paths.js';

/** Odin refuses searches longer than this. */
const MAX_SEARCH = 200;

/** Finds a concept of the ontology by any of its labels: the way to concepts past the tree's first 200. */
export function FindConcept({ ontology }: { ontology: string }) {
  const [text, setText] = useState('');
  const [find, { data, loading, error, called }] = useLazyQuery(ConsoleFindConceptsDocument);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const search = text.trim();
    if (search) void find({ variables: { search, ontology } });
  };
  const found = data?.concepts ?? [];
  return (
    <section aria-labelledby="find-title">
      <h2 id="find-title">Find a concept</h2>
      <form role="search" onSubmit={submit} className="row">
        <label>
          Label contains
          <input type="search" value={text} maxLength={MAX_SEARCH} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={loading || text.trim() === ''}>
          Find
        </button>
      </form>
      {error && !data ? (
        <p className="notice notice-error" role="alert">
          {requestFailure(error) ?? 'The search failed.'}
        </p>
      ) : null}
      {called && data && found.length === 0 ? <p role="status">No concept of this ontology has such a label.</p> : null}
      {found.length > 0 ? (
        <ul className="plain-list found-concepts" aria-label="Concepts found">
          {found.map((c) => (
            <li key={c.iri}>
              <Link to={conceptPath(c.iri)}>{c.label}</Link>
              {c.definition ? <span className="muted"> — {c.definition}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
