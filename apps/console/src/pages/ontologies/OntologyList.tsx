import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleOntologiesDocument } from '@dataos/client';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';
import { importPath, ontologyPath } from './paths.js';
import { useCanWriteOntologies } from './useCanWriteOntologies.js';
import { formatDate } from './format.js';

export function OntologyList() {
  const { data, loading, error } = useQuery(ConsoleOntologiesDocument);
  const { allowed } = useCanWriteOntologies();
  const ontologies = data?.ontologies ?? [];
  return (
    <section className="page" aria-labelledby="ontologies-title">
      <div className="title-row">
        <h1 id="ontologies-title">Ontologies</h1>
        {allowed ? (
          <Link className="button-link" to={importPath()}>
            Import an ontology
          </Link>
        ) : null}
      </div>
      <p className="muted">
        The business meaning of the catalog: concepts of these ontologies are linked to datasets and columns.
      </p>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading ontologies" /> : null}
      <Part error={error} path={['ontologies']} what="the ontologies">
        {data ? (
          ontologies.length === 0 ? (
            <p>No ontology has been imported yet.</p>
          ) : (
            <table className="grid">
              <caption className="visually-hidden">Imported ontologies</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Version</th>
                  <th scope="col">Concepts</th>
                  <th scope="col">Properties</th>
                  <th scope="col">Instances</th>
                  <th scope="col">Triples</th>
                  <th scope="col">Imported</th>
                </tr>
              </thead>
              <tbody>
                {ontologies.map((o) => (
                  <tr key={o.iri}>
                    <td>
                      <Link to={ontologyPath(o.iri)}>{o.name}</Link>
                      <div className="muted mono">{o.iri}</div>
                      {o.comment ? <div>{o.comment}</div> : null}
                    </td>
                    <td>{o.version ?? '—'}</td>
                    <td>{o.conceptCount}</td>
                    <td>{o.propertyCount}</td>
                    <td>{o.instanceCount}</td>
                    <td>{o.tripleCount}</td>
                    <td>
                      {formatDate(o.importedAt)}
                      {o.importedBy ? <div className="muted">{o.importedBy}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}
      </Part>
    </section>
  );
}
