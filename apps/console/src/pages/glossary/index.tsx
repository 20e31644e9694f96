import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleGlossaryDocument } from '@dataos/client';
import { domainPath, glossaryPath } from '../../app/routes.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';

const PAGE = 50;

/** Every glossary term, in name order, paged. */
export default function GlossaryPage() {
  const { data, error, loading, fetchMore } = useQuery(ConsoleGlossaryDocument, {
    variables: { first: PAGE },
    notifyOnNetworkStatusChange: true,
  });
  const terms = data?.glossaryTerms;
  return (
    <section className="page">
      <h1>Glossary</h1>
      <PageError error={error} />
      {terms ? (
        terms.edges.length ? (
          <dl className="glossary">
            {terms.edges.map(({ node }) => (
              <div key={node.name}>
                <dt>
                  <Link to={glossaryPath(node.name)}>{node.name}</Link>
                  {node.domain ? (
                    <>
                      {' '}
                      <Link className="chip" to={domainPath(node.domain.name)}>
                        {node.domain.name}
                      </Link>
                    </>
                  ) : null}
                </dt>
                <dd>{node.definition}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">No glossary terms.</p>
        )
      ) : null}
      {loading ? <Loading label="Loading terms" /> : null}
      {terms?.pageInfo.hasNextPage && !loading ? (
        <button type="button" onClick={() => void fetchMore({ variables: { after: terms.pageInfo.endCursor } })}>
          More terms
        </button>
      ) : null}
    </section>
  );
}
