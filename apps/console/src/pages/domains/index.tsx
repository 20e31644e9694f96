import { Link } from 'react-router';
import { useQuery } from '@apollo/client/react';
import { ConsoleDomainsDocument } from '@dataos/client';
import { domainPath } from '../../app/routes.js';
import { Loading } from '../../ui/Loading.js';
import { PageError } from '../../ui/PageError.js';

/** The domains the user may read. */
export default function DomainsPage() {
  const { data, error, loading } = useQuery(ConsoleDomainsDocument);
  return (
    <section className="page">
      <h1>Domains</h1>
      <PageError error={error} />
      {loading && !data ? <Loading label="Loading domains" /> : null}
      {data ? (
        data.domains.length ? (
          <ul className="cards">
            {data.domains.map((d) => (
              <li key={d.name}>
                <Link to={domainPath(d.name)}>{d.name}</Link>
                {d.description ? <p>{d.description}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No domain to show.</p>
        )
      ) : null}
    </section>
  );
}
