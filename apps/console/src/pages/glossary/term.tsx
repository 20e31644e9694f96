import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleGlossaryTermDocument } from '@dataos/client';
import { datasetPath, domainPath, glossaryPath } from '../../app/routes.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';

/** A glossary term: definition, synonyms, related terms, and the datasets and columns it applies to (those the user may read). */
export default function GlossaryTermPage() {
  const name = useParams().name ?? '';
  const { data, error, loading } = useQuery(ConsoleGlossaryTermDocument, { variables: { name } });
  const term = data?.glossaryTerm;
  if (loading && !term) return <Loading label="Loading the term" />;
  if (!term) {
    return (
      <section className="page">
        <h1>{name}</h1>
        <PageError error={error} />
        <p>
          No glossary term of that name. <Link to="/glossary">All terms</Link>.
        </p>
      </section>
    );
  }
  return (
    <article className="page">
      <p className="muted">
        <Link to="/glossary">Glossary</Link>
        {term.domain ? (
          <>
            {' '}
            · <Link to={domainPath(term.domain.name)}>{term.domain.name}</Link>
          </>
        ) : null}
      </p>
      <h1>{term.name}</h1>
      <p>{term.definition}</p>
      {term.synonyms.length ? <p className="muted">Also called: {term.synonyms.join(', ')}</p> : null}
      {term.related.length ? (
        <p>
          Related:{' '}
          {term.related.map((r, i) => (
            <span key={r.name}>
              {i ? ', ' : ''}
              <Link to={glossaryPath(r.name)}>{r.name}</Link>
            </span>
          ))}
        </p>
      ) : null}
      <h2>Datasets</h2>
      <Part error={error} path={['glossaryTerm', 'datasets']} what="its datasets">
        {term.datasets.length ? (
          <ul>
            {term.datasets.map((d) => (
              <li key={d.urn}>
                <Link to={datasetPath(d.urn)}>{d.name}</Link> <span className="mono muted">{d.urn}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No dataset you may read carries this term.</p>
        )}
      </Part>
      <h2>Columns</h2>
      <Part error={error} path={['glossaryTerm', 'columns']} what="its columns">
        {term.columns.length ? (
          <ul>
            {term.columns.map((c) => (
              <li key={`${c.datasetUrn}/${c.name}`}>
                <Link to={`${datasetPath(c.datasetUrn)}#column-${encodeURIComponent(c.name)}`} className="mono">
                  {c.name}
                </Link>{' '}
                <span className="muted">
                  {c.type} in {c.datasetUrn}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No column you may read carries this term.</p>
        )}
      </Part>
    </article>
  );
}
