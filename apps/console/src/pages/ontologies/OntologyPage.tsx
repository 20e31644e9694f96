import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleOntologyConceptsDocument } from '@dataos/client';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { ConceptTree } from './ConceptTree.js';
import { ExportPanel } from './ExportPanel.js';
import { FindConcept } from './FindConcept.js';
import { conceptPath, importPath, ontologiesPath } from './paths.js';
import { useCanWriteOntologies } from './useCanWriteOntologies.js';
import { formatDate } from './format.js';

/**
 * Concepts asked for at once. Each costs about 43 in the router's cost model (two parent lists of
 * assumed size 10), and an operation may cost 10,000: 200 stays under it. `concepts` has no cursor,
 * so a larger ontology shows its first 200 (by label) with a notice.
 */
const MAX_CONCEPTS = 200;

export function OntologyPage() {
  const iri = useParams().iri ?? '';
  const navigate = useNavigate();
  // `?concept=` reveals a concept in the tree (the concept page's "Show in tree").
  const [search] = useSearchParams();
  const { allowed } = useCanWriteOntologies();
  const { data, loading, error } = useQuery(ConsoleOntologyConceptsDocument, {
    variables: { ontology: iri, first: MAX_CONCEPTS },
  });
  const ontology = data?.ontology;
  const concepts = data?.concepts ?? [];

  if (loading && !data) return <Loading label="Loading the ontology" />;
  if (data && !ontology) {
    return (
      <section className="page">
        <h1>Ontology not found</h1>
        <p>
          No ontology has the IRI <code>{iri}</code>. <Link to={ontologiesPath}>All ontologies</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="page" aria-labelledby="ontology-title">
      <p className="breadcrumbs">
        <Link to={ontologiesPath}>Ontologies</Link> /
      </p>
      <div className="title-row">
        <h1 id="ontology-title">{ontology?.name ?? iri}</h1>
        {allowed && ontology ? (
          <Link className="button-link" to={importPath(ontology.iri)}>
            Import a new version
          </Link>
        ) : null}
      </div>
      <PageError error={error} />
      {ontology ? (
        <dl className="facts">
          <dt>IRI</dt>
          <dd className="mono">{ontology.iri}</dd>
          <dt>Namespace</dt>
          <dd className="mono">{ontology.namespace}</dd>
          {ontology.version ? (
            <>
              <dt>Version</dt>
              <dd>{ontology.version}</dd>
            </>
          ) : null}
          {ontology.comment ? (
            <>
              <dt>Description</dt>
              <dd>{ontology.comment}</dd>
            </>
          ) : null}
          <dt>Concepts</dt>
          <dd>{ontology.conceptCount}</dd>
          <dt>Triples</dt>
          <dd>{ontology.tripleCount}</dd>
          <dt>Imported</dt>
          <dd>
            {formatDate(ontology.importedAt)}
            {ontology.importedBy ? ` by ${ontology.importedBy}` : ''}
          </dd>
        </dl>
      ) : null}
      <div className="ontology-layout">
        <section aria-labelledby="hierarchy-title">
          <h2 id="hierarchy-title">Concept hierarchy</h2>
          <p className="muted" id="tree-help">
            Arrow keys move and open branches, Enter opens a concept, type a letter to jump.
          </p>
          <Part error={error} path={['concepts']} what="the concepts">
            {concepts.length >= MAX_CONCEPTS ? (
              <p className="notice notice-down" role="status">
                Showing the first {MAX_CONCEPTS} concepts of {ontology?.conceptCount ?? 'many'}.
              </p>
            ) : null}
            <ConceptTree
              concepts={concepts}
              label={`Concepts of ${ontology?.name ?? iri}`}
              onOpen={(concept) => void navigate(conceptPath(concept))}
              reveal={search.get('concept') ?? undefined}
            />
          </Part>
        </section>
        {ontology ? (
          <div>
            <FindConcept ontology={ontology.iri} />
            <ExportPanel iri={ontology.iri} name={ontology.name} />
          </div>
        ) : null}
      </div>
    </section>
  );
}
