import { useEffect, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { ConsoleExportOntologyDocument, type RdfFormat } from '@dataos/client';
import { requestFailure, graphQLErrors } from '../../graphql/errors.js';

const FORMATS: { value: RdfFormat; label: string; extension: string }[] = [
  { value: 'TURTLE', label: 'Turtle', extension: 'ttl' },
  { value: 'JSON_LD', label: 'JSON-LD', extension: 'jsonld' },
  { value: 'N_TRIPLES', label: 'N-Triples', extension: 'nt' },
];

/** Up to this many characters of an export are shown on the page; the download has everything. */
const PREVIEW_CHARS = 20_000;

/** Exports exactly the triples imported into the ontology, as a file to download and a preview. */
export function ExportPanel({ iri, name }: { iri: string; name: string }) {
  const client = useApolloClient();
  const [format, setFormat] = useState<RdfFormat>('TURTLE');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ url: string; file: string; content: string; triples: number }>();

  // Object URLs hold the whole document: release the previous one.
  useEffect(() => () => (result ? URL.revokeObjectURL(result.url) : undefined), [result]);

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await client.query({
        query: ConsoleExportOntologyDocument,
        variables: { iri, format },
        fetchPolicy: 'no-cache',
      });
      const doc = answer.data?.exportOntology;
      if (!doc) {
        setError(graphQLErrors(answer.error)[0]?.message ?? requestFailure(answer.error) ?? 'The ontology is gone.');
        return;
      }
      const spec = FORMATS.find((f) => f.value === format)!;
      const url = URL.createObjectURL(new Blob([doc.content], { type: doc.mediaType }));
      const file = `${name.replace(/[^\p{L}\p{N}._-]+/gu, '-') || 'ontology'}.${spec.extension}`;
      setResult({ url, file, content: doc.content, triples: doc.triples });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="export-panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <div className="row">
        <label>
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.target.value as RdfFormat)}>
            {FORMATS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void run()} disabled={busy}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
        {result ? (
          <a href={result.url} download={result.file}>
            Download {result.file} ({result.triples} triples)
          </a>
        ) : null}
      </div>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <pre className="rdf-preview" tabIndex={0} aria-label="Exported document">
          {result.content.length > PREVIEW_CHARS
            ? `${result.content.slice(0, PREVIEW_CHARS)}\n… (${result.content.length - PREVIEW_CHARS} more characters in the download)`
            : result.content}
        </pre>
      ) : null}
    </section>
  );
}
