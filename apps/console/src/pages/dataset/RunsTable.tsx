import type { ConsoleDatasetQuery } from '@dataos/client';
import { formatBytes } from './freshness.js';

type Runs = NonNullable<ConsoleDatasetQuery['dataset']>['runs'];

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC' : '—');

export function RunsTable({ runs }: { runs: Runs }) {
  if (!runs.edges.length) return <p className="muted">No runs recorded.</p>;
  return (
    <table className="grid" aria-label="Runs">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Finished</th>
          <th scope="col">Status</th>
          <th scope="col">Job</th>
          <th scope="col">Rows</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {runs.edges.map(({ node }) => (
          <tr key={node.id}>
            <td>{when(node.startedAt)}</td>
            <td>{when(node.finishedAt)}</td>
            <td>{node.status.toLowerCase()}</td>
            <td className="mono">{node.job ?? '—'}</td>
            <td>{node.rowCount != null ? node.rowCount.toLocaleString('en') : '—'}</td>
            <td>{node.sizeBytes != null ? formatBytes(node.sizeBytes) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
