import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleConceptDocument, ConsoleConceptHoldingsDocument } from '@dataos/client';
import { datasetPath } from '../../app/routes.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { errorsAt } from '../../graphql/errors.js';
import { conceptPath, ontologiesPath, ontologyPath } from './paths.js';
import { localName } from './format.js';
import { labelsByLanguage, otherAnnotations } from './labels.js';

type Ref = { iri: string; label: string };

function ConceptLinks({ title, concepts }: { title: string; concepts: readonly Ref[] }) {
  if (concepts.length === 0) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>
        <ul className="inline-list">
          {concepts.map((c) => (
            <li key={c.iri}>
              <Link to={conceptPath(c.iri)}>{c.label}</Link>
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}

export function ConceptPage() {
  const iri = useParams().iri ?? '';
  const [lang, setLang] = useState<string>('');
  const [includeSubconcepts, setIncludeSubconcepts] = useState(true);
  const variables = { iri, ...(lang ? { lang } : {}) };
  const { data, loading, error } = useQuery(ConsoleConceptDocument, { variables });
  // Holdings come from Odin and Metis together: a separate request, so a slow or failing catalog
  // leaves the concept itself on screen.
  const holdings = useQuery(ConsoleConceptHoldingsDocument, { variables: { ...variables, includeSubconcepts } });
  const concept = data?.concept;

  if (loading && !data) return <Loading label="Loading the concept" />;
  if (data && !concept) {
    return (
      <section className="page">
        <h1>Concept not found</h1>
        <p>
          No concept has the IRI <code>{iri}</code>. <Link to={ontologiesPath}>All ontologies</Link>
        </p>
      </section>
    );
  }
  const languages = concept ? labelsByLanguage(concept) : [];
  const choices = languages.map((l) => l.language).filter((l): l is string => l !== null);
  const held = holdings.data?.datasetsHoldingConcept ?? [];
  const annotations = concept ? otherAnnotations(concept.annotations) : [];
  // Odin answers SERVICE_UNAVAILABLE when Metis, which decides what the user may read, is away:
  // say so rather than "no dataset".
  const holdingsFailed = errorsAt(holdings.error, ['datasetsHoldingConcept'])[0];

  return (
    <section className="page" aria-labelledby="concept-title">
      <p className="breadcrumbs">
        <Link to={ontologiesPath}>Ontologies</Link> /{' '}
        {concept?.ontology ? (
          <>
            <Link to={ontologyPath(concept.ontology.iri)}>{concept.ontology.name}</Link> /{' '}
            <Link to={ontologyPath(concept.ontology.iri, concept.iri)}>Show in tree</Link>
          </>
        ) : null}
      </p>
      <div className="title-row">
        <h1 id="concept-title">{concept?.label ?? localName(iri)}</h1>
        {choices.length > 1 ? (
          <label>
            Language{' '}
            <select value={lang} onChange={(e) => setLang(e.target.value)}>
              <option value="">Default</option>
              {choices.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <PageError error={error} />
      {concept ? (
        <>
          {concept.definition ? <p className="definition">{concept.definition}</p> : null}
          <dl className="facts">
            <dt>IRI</dt>
            <dd className="mono">{concept.iri}</dd>
            {concept.types.length > 0 ? (
              <>
                <dt>Types</dt>
                <dd className="mono">{concept.types.map(localName).join(', ')}</dd>
              </>
            ) : null}
            <ConceptLinks title="Subclass of" concepts={concept.superClasses} />
            <ConceptLinks title="Broader" concepts={concept.broader} />
            <ConceptLinks title="Subclasses" concepts={concept.subClasses} />
            <ConceptLinks title="Narrower" concepts={concept.narrower} />
            <ConceptLinks title="Related" concepts={concept.related} />
          </dl>

          <h2>Labels by language</h2>
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Language</th>
                <th scope="col">Labels</th>
                <th scope="col">Alternative labels</th>
                <th scope="col">Definitions</th>
              </tr>
            </thead>
            <tbody>
              {languages.map((l) => (
                <tr key={l.language ?? ''}>
                  <th scope="row">{l.language ?? <span className="muted">none</span>}</th>
                  <td lang={l.language ?? undefined}>{l.labels.join(' · ')}</td>
                  <td lang={l.language ?? undefined}>{l.altLabels.join(' · ')}</td>
                  <td lang={l.language ?? undefined}>{l.definitions.join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>

          {concept.relations.length > 0 ? (
            <>
              <h2>Relations</h2>
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">Predicate</th>
                    <th scope="col">Direction</th>
                    <th scope="col">With</th>
                  </tr>
                </thead>
                <tbody>
                  {concept.relations.map((r) => (
                    <tr key={`${r.predicate} ${r.direction} ${r.targetIri}`}>
                      <td className="mono" title={r.predicate}>
                        {localName(r.predicate)}
                      </td>
                      <td>{r.direction === 'OUTGOING' ? 'this → other' : 'other → this'}</td>
                      <td>
                        {r.concept ? (
                          <Link to={conceptPath(r.concept.iri)}>{r.concept.label}</Link>
                        ) : (
                          <span className="mono">{r.targetIri}</span>
                        )}{' '}
                        <span className="muted">({r.targetKind.toLowerCase()})</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}

          {annotations.length > 0 ? (
            <>
              <h2>Annotations</h2>
              <dl className="facts">
                {annotations.map((a, i) => (
                  <div key={`${a.predicate}-${i}`} className="fact-pair">
                    <dt className="mono" title={a.predicate}>
                      {localName(a.predicate)}
                    </dt>
                    <dd lang={a.language ?? undefined}>
                      {a.iri ? <span className="mono">{a.value}</span> : a.value}
                      {a.language ? <span className="muted"> @{a.language}</span> : null}
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          ) : null}
        </>
      ) : null}

      <section aria-labelledby="holdings-title">
        <div className="title-row">
          <h2 id="holdings-title">Datasets holding it</h2>
          <label>
            <input
              type="checkbox"
              checked={includeSubconcepts}
              onChange={(e) => setIncludeSubconcepts(e.target.checked)}
            />{' '}
            Through its subconcepts
          </label>
        </div>
        <p className="muted">Only the datasets you may read are listed.</p>
        <PageError error={holdings.error} />
        {holdings.loading && !holdings.data ? <Loading label="Loading datasets" /> : null}
        <Part error={holdings.error} path={['datasetsHoldingConcept']} what="the datasets holding it">
          {holdingsFailed ? (
            <p className="notice notice-down" role="status">
              The datasets holding it could not be listed: {holdingsFailed.message}
            </p>
          ) : holdings.data && held.length === 0 ? (
            <p>No dataset you may read holds this concept.</p>
          ) : null}
          {held.length > 0 ? (
            <table className="grid" aria-labelledby="holdings-title">
              <thead>
                <tr>
                  <th scope="col">Dataset</th>
                  <th scope="col">As</th>
                  <th scope="col">Columns</th>
                </tr>
              </thead>
              <tbody>
                {held.map((h) => (
                  <tr key={h.dataset.urn}>
                    <td>
                      <Link to={datasetPath(h.dataset.urn)}>{h.dataset.name}</Link>
                      <div className="muted mono">{h.dataset.urn}</div>
                    </td>
                    <td>
                      <ul className="inline-list">
                        {h.concepts.map((c) => (
                          <li key={c.iri}>
                            <Link to={conceptPath(c.iri)}>{c.label}</Link>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      {h.columns.length === 0 ? (
                        <span className="muted">the dataset itself</span>
                      ) : (
                        <ul className="plain-list">
                          {h.columns.map((col) => (
                            <li key={col.name}>
                              <span className="mono">{col.name}</span> <span className="muted">{col.type}</span>
                              {col.concept ? <> — {col.concept.label}</> : null}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </Part>
      </section>
    </section>
  );
}
