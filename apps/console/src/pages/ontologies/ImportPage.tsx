import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { GraphQLFormattedError } from 'graphql';
import { useApolloClient } from '@apollo/client/react';
import { ConsoleImportOntologyDocument, type ConsoleImportOntologyMutation, type RdfFormat } from '@dataos/client';
import { StreamLanguage } from '@codemirror/language';
import { turtle } from '@codemirror/legacy-modes/mode/turtle';
import { ntriples } from '@codemirror/legacy-modes/mode/ntriples';
import { json } from '@codemirror/lang-json';
import { CodeEditor, type EditorMark } from '../../ui/CodeEditor.js';
import { graphQLErrors, requestFailure } from '../../graphql/errors.js';
import { Loading } from '../../ui/Loading.js';
import { importErrorPosition, type DocumentPosition } from './rdfErrors.js';
import { ontologiesPath, ontologyPath } from './paths.js';
import { useCanWriteOntologies } from './useCanWriteOntologies.js';

/** The router refuses bodies over 1 MB (MAX_BODY_SIZE): say so before sending, not after. */
export const MAX_DOCUMENT_BYTES = 1_000_000 - 4_096;

const FORMATS: { value: RdfFormat; label: string; accept: string }[] = [
  { value: 'TURTLE', label: 'Turtle', accept: '.ttl' },
  { value: 'JSON_LD', label: 'JSON-LD', accept: '.jsonld,.json' },
  { value: 'N_TRIPLES', label: 'N-Triples', accept: '.nt' },
];

const LANGUAGES = {
  TURTLE: StreamLanguage.define(turtle),
  N_TRIPLES: StreamLanguage.define(ntriples),
  JSON_LD: json(),
} as const;

const formatOfFile = (name: string): RdfFormat | null =>
  /\.(jsonld|json)$/i.test(name)
    ? 'JSON_LD'
    : /\.nt$/i.test(name)
      ? 'N_TRIPLES'
      : /\.ttl$/i.test(name)
        ? 'TURTLE'
        : null;

type Outcome =
  | { kind: 'done'; result: ConsoleImportOntologyMutation['importOntology'] }
  | { kind: 'error'; message: string; code: string | null; at: DocumentPosition | null };

function refusal(errors: readonly GraphQLFormattedError[], fallback: string | undefined, sent: string): Outcome {
  const first = errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : null;
  return {
    kind: 'error',
    message: first?.message ?? fallback ?? 'The import failed.',
    code,
    at: importErrorPosition(errors, sent),
  };
}

export function ImportPage() {
  const client = useApolloClient();
  const [search] = useSearchParams();
  const { allowed, reason } = useCanWriteOntologies();
  const [format, setFormat] = useState<RdfFormat>('TURTLE');
  const [content, setContent] = useState('');
  const [iri, setIri] = useState(search.get('iri') ?? '');
  const [name, setName] = useState('');
  const [version, setVersion] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const marks = useMemo<EditorMark[]>(
    () => (outcome?.kind === 'error' && outcome.at ? [{ from: outcome.at.offset, message: outcome.message }] : []),
    [outcome],
  );

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_DOCUMENT_BYTES) {
      setOutcome({
        kind: 'error',
        message: `${file.name} is larger than the 1 MB an import may carry.`,
        code: null,
        at: null,
      });
      return;
    }
    setContent(await file.text());
    setFormat(formatOfFile(file.name) ?? format);
    setOutcome(undefined);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (new TextEncoder().encode(content).length > MAX_DOCUMENT_BYTES) {
      setOutcome({
        kind: 'error',
        message: 'The document is larger than the 1 MB an import may carry.',
        code: null,
        at: null,
      });
      return;
    }
    setBusy(true);
    setOutcome(undefined);
    const sent = content;
    try {
      const answer = await client.mutate({
        mutation: ConsoleImportOntologyDocument,
        variables: {
          input: {
            content: sent,
            format,
            ...(iri.trim() ? { iri: iri.trim() } : {}),
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(version.trim() ? { version: version.trim() } : {}),
          },
        },
      });
      const errors = graphQLErrors(answer.error);
      const result = answer.data?.importOntology;
      if (result && errors.length === 0) {
        // The tree and the lists show the new version: drop what the cache held of Odin's ontologies.
        for (const fieldName of ['ontologies', 'ontology', 'concepts', 'concept', 'exportOntology']) {
          client.cache.evict({ id: 'ROOT_QUERY', fieldName });
        }
        client.cache.gc();
        setOutcome({ kind: 'done', result });
        return;
      }
      setOutcome(refusal(errors, requestFailure(answer.error), sent));
    } catch (e) {
      // A client whose errorPolicy is not 'all' throws the GraphQL errors instead.
      setOutcome(refusal(graphQLErrors(e), e instanceof Error ? e.message : String(e), sent));
    } finally {
      setBusy(false);
    }
  };

  if (allowed === undefined) return <Loading label="Checking your permissions" />;
  if (!allowed) {
    return (
      <section className="page">
        <h1>Import an ontology</h1>
        <p className="notice notice-down" role="status">
          You may not import ontologies{reason ? `: ${reason}` : '.'}
        </p>
        <Link to={ontologiesPath}>Back to the ontologies</Link>
      </section>
    );
  }
  return (
    <section className="page" aria-labelledby="import-title">
      <p className="breadcrumbs">
        <Link to={ontologiesPath}>Ontologies</Link> /
      </p>
      <h1 id="import-title">Import an ontology</h1>
      <p className="muted">
        Turtle, JSON-LD (contexts inline) or N-Triples. Importing an ontology again replaces what its previous import
        wrote, all or nothing.
      </p>
      <form onSubmit={(e) => void submit(e)} className="import-form">
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
          <label>
            Load a file{' '}
            <input type="file" accept={FORMATS.map((f) => f.accept).join(',')} onChange={(e) => void onFile(e)} />
          </label>
        </div>
        <div className="row">
          <label>
            Ontology IRI <span className="muted">(optional: else the document&apos;s owl:Ontology)</span>
            <input type="url" value={iri} onChange={(e) => setIri(e.target.value)} size={50} />
          </label>
          <label>
            Name <span className="muted">(optional)</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            Version <span className="muted">(optional)</span>
            <input value={version} onChange={(e) => setVersion(e.target.value)} size={10} />
          </label>
        </div>
        <CodeEditor
          value={content}
          onChange={setContent}
          label="RDF document"
          language={LANGUAGES[format]}
          marks={marks}
          onRun={() => void submit(new Event('submit') as unknown as FormEvent)}
          minHeight="18rem"
        />
        {outcome?.kind === 'error' ? (
          <div className="notice notice-error" role="alert">
            {outcome.at ? (
              <strong>
                Line {outcome.at.line}, column {outcome.at.column}:{' '}
              </strong>
            ) : null}
            {outcome.message}
            {outcome.code ? <span className="muted"> ({outcome.code})</span> : null}
          </div>
        ) : null}
        {outcome?.kind === 'done' ? (
          <div className="notice notice-ok" role="status">
            {outcome.result.replaced ? 'Replaced' : 'Imported'}{' '}
            <Link to={ontologyPath(outcome.result.ontology.iri)}>{outcome.result.ontology.name}</Link>:{' '}
            {outcome.result.triples} triples, {outcome.result.concepts} concepts, {outcome.result.properties}{' '}
            properties, {outcome.result.instances} instances.
          </div>
        ) : null}
        <div className="row">
          <button type="submit" disabled={busy || content.trim() === ''}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          <span className="muted">Ctrl+Enter in the editor imports too.</span>
        </div>
      </form>
    </section>
  );
}
