import { Link } from 'react-router';
import { datasetPath } from '../app/routes.js';

interface Listed {
  urn: string;
  name: string;
  description?: string | null;
}

/** The datasets of a domain, a source, ...: name (linked) and URN, one fact of the caller's choice, description. */
export function DatasetTable<T extends Listed>({
  label,
  datasets,
  fact,
  empty,
}: {
  /** The table's accessible name ("Datasets of retail"). */
  label: string;
  datasets: readonly T[];
  /** The middle column: its heading and its value for a dataset. */
  fact: { title: string; of: (dataset: T) => string };
  /** Said instead of an empty table. */
  empty: string;
}) {
  if (!datasets.length) return <p className="muted">{empty}</p>;
  return (
    <table className="grid" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Dataset</th>
          <th scope="col">{fact.title}</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {datasets.map((d) => (
          <tr key={d.urn}>
            <td>
              <Link to={datasetPath(d.urn)}>{d.name}</Link>
              <div className="mono muted">{d.urn}</div>
            </td>
            <td>{fact.of(d)}</td>
            <td>{d.description ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
