import { Link, useParams } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleDomainDocument } from '@dataos/client';
import { DatasetTable } from '../../ui/DatasetTable.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';
import { Part } from '../../ui/Part.js';

const PAGE = 50;

/** A domain and its datasets (those the user may read), paged. */
export default function DomainPage() {
  const name = useParams().name ?? '';
  const { data, error, loading, fetchMore } = useQuery(ConsoleDomainDocument, {
    variables: { name, first: PAGE },
    notifyOnNetworkStatusChange: true,
  });
  const domain = data?.domain;
  if (loading && !domain) return <Loading label="Loading the domain" />;
  if (!domain) {
    return (
      <section className="page">
        <h1>{name}</h1>
        <PageError error={error} />
        <p>
          No domain of that name. <Link to="/domains">All domains</Link>.
        </p>
      </section>
    );
  }
  const datasets = domain.datasets;
  return (
    <article className="page">
      <p className="muted">
        <Link to="/domains">Domains</Link>
      </p>
      <h1>{domain.name}</h1>
      {domain.description ? <p>{domain.description}</p> : null}
      <h2>Datasets</h2>
      <Part error={error} path={['domain', 'datasets']} what="its datasets">
        <DatasetTable
          label={`Datasets of ${domain.name}`}
          datasets={datasets.edges.map((e) => e.node)}
          fact={{ title: 'Layer', of: (d) => d.layer ?? '—' }}
          empty="No dataset you may read in this domain."
        />
        {loading ? <Loading label="Loading more datasets" /> : null}
        {datasets.pageInfo.hasNextPage && !loading ? (
          <button type="button" onClick={() => void fetchMore({ variables: { after: datasets.pageInfo.endCursor } })}>
            More datasets
          </button>
        ) : null}
      </Part>
    </article>
  );
}
