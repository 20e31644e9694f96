import { useState } from 'react';
import { Link } from 'react-router';
import { useApolloClient, useMutation } from '@apollo/client/react';
import {
  ConsoleAcceptSuggestionDocument,
  ConsoleFindConceptsDocument,
  ConsoleLinkConceptDocument,
  ConsoleRejectSuggestionDocument,
  type ConsoleDatasetClassificationsQuery,
} from '@dataos/client';
import { datasetPath } from '../../app/routes.js';
import { PageError } from '../../ui/PageError.js';

type Dataset = NonNullable<ConsoleDatasetClassificationsQuery['dataset']>;
export type Classification = Dataset['columns'][number]['classifications'][number];
export type Suggestion = Dataset['classificationSuggestions'][number];
type Ref = Classification['path'][number];

/** Propagated classifications of each column, by name (own tags are the Tags column). */
export function inheritedByColumn(dataset: Dataset | null | undefined): Map<string, Classification[]> {
  const out = new Map<string, Classification[]>();
  for (const c of dataset?.columns ?? []) {
    const inherited = c.classifications.filter((x) => x.propagated);
    if (inherited.length) out.set(c.name, inherited);
  }
  return out;
}

const shortName = (r: Ref) =>
  r.hidden || !r.datasetUrn ? 'a column you cannot see' : `${r.datasetUrn.split('/').at(-1)}.${r.name}`;
const columnHref = (r: Ref) => `${datasetPath(r.datasetUrn!)}#column-${encodeURIComponent(r.name!)}`;

/** "PII.Email from customers.email (customers.email → customer_360.email)", the source a link. */
export function InheritedClassifications({ items }: { items: readonly Classification[] }) {
  return (
    <ul className="chips" aria-label="Inherited classifications">
      {items.map((c, i) => (
        <li key={`${c.tag}-${i}`} className="chip chip-inherited">
          {c.tag} from{' '}
          {c.source && !c.source.hidden ? (
            <Link to={columnHref(c.source)}>{shortName(c.source)}</Link>
          ) : (
            'a column you cannot see'
          )}
          <span className="muted"> ({c.path.map(shortName).join(' → ')})</span>
        </li>
      ))}
    </ul>
  );
}

/** Finds the ontology concept a suggestion names by its English label (exact, case aside). */
async function conceptIri(client: ReturnType<typeof useApolloClient>, label: string): Promise<string | null> {
  const { data } = await client.query({
    query: ConsoleFindConceptsDocument,
    variables: { search: label },
    fetchPolicy: 'no-cache',
  });
  return data?.concepts.find((c) => c.label.toLowerCase() === label.toLowerCase())?.iri ?? null;
}

/**
 * Suggestions for a steward: accept (a tag is added by Metis; a concept is linked in Odin first,
 * then recorded in Metis) or reject (recorded, not suggested again). `onDecided` refetches.
 */
export function SuggestionsPanel({
  urn,
  suggestions,
  onDecided,
}: {
  urn: string;
  suggestions: readonly Suggestion[];
  onDecided: () => void;
}) {
  const client = useApolloClient();
  const [accept] = useMutation(ConsoleAcceptSuggestionDocument);
  const [reject] = useMutation(ConsoleRejectSuggestionDocument);
  const [link] = useMutation(ConsoleLinkConceptDocument);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);

  if (!suggestions.length) return <p className="muted">No suggestion for the columns without tags.</p>;

  const decide = async (s: Suggestion, accepted: boolean) => {
    const key = `${s.column.name}-${s.kind}-${s.value}`;
    setBusy(key);
    setError(null);
    setNote(null);
    const input = { urn, column: s.column.name, kind: s.kind, value: s.value };
    try {
      if (accepted && s.kind === 'CONCEPT') {
        const iri = await conceptIri(client, s.value);
        if (!iri) {
          setNote(`No concept labelled “${s.value}” in the ontologies: nothing was linked.`);
          return;
        }
        await link({ variables: { input: { concept: iri, datasetUrn: urn, column: s.column.name } } });
      }
      await (accepted ? accept : reject)({ variables: { input } });
      setNote(`${accepted ? 'Accepted' : 'Rejected'}: ${s.value} for ${s.column.name}.`);
      onDecided();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageError error={error} />
      {note ? (
        <p role="status" className="muted">
          {note}
        </p>
      ) : null}
      <table className="grid" aria-label="Suggested classifications">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Suggestion</th>
            <th scope="col">Why</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {suggestions.map((s) => {
            const key = `${s.column.name}-${s.kind}-${s.value}`;
            const what = `${s.kind === 'TAG' ? 'tag' : 'concept'} ${s.value} for ${s.column.name}`;
            return (
              <tr key={key}>
                <th scope="row" className="mono">
                  {s.column.name}
                </th>
                <td>
                  {s.kind === 'TAG' ? 'Tag' : 'Concept'} <strong>{s.value}</strong>
                </td>
                <td className="muted">{s.reason}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void decide(s, true)}
                    aria-label={`Accept ${what}`}
                  >
                    Accept
                  </button>{' '}
                  <button
                    type="button"
                    disabled={busy !== null}
                    onClick={() => void decide(s, false)}
                    aria-label={`Reject ${what}`}
                  >
                    Reject
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
