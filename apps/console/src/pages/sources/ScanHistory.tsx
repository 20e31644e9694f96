import type { ConsoleScanRunFragment } from '@dataos/client';
import { Ago } from '../dataset/ProfilePart.js';
import { runDuration, subjectName } from '../dataset/stats-format.js';
import { statusWord } from './scan-format.js';

/** A depot's scan runs, newest first: who or what started each, how it ended, what it changed, its errors. */
export function ScanHistory({ depot, runs }: { depot: string; runs: readonly ConsoleScanRunFragment[] }) {
  if (!runs.length) return <p className="muted">No scan of {depot} shown to you.</p>;
  return (
    <table className="grid" aria-label={`Scans of ${depot}`}>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Trigger</th>
          <th scope="col">Status</th>
          <th scope="col">Took</th>
          <th scope="col">Found</th>
          <th scope="col">Created</th>
          <th scope="col">Updated</th>
          <th scope="col">Unchanged</th>
          <th scope="col">Deprecated</th>
          <th scope="col">Restored</th>
          <th scope="col">Column edges</th>
          <th scope="col">Errors</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-run={run.id}>
            <td>
              <Ago iso={run.startedAt} />
            </td>
            <td>
              {run.trigger === 'SCHEDULE'
                ? 'schedule'
                : `on demand${run.requestedBy ? ` by ${subjectName(run.requestedBy)}` : ''}`}
            </td>
            <td>
              <span className={`run-status run-${run.status.toLowerCase()}`}>{statusWord(run.status)}</span>
            </td>
            <td>{run.finishedAt ? runDuration(run.startedAt, run.finishedAt) : '—'}</td>
            {run.status === 'RUNNING' ? (
              <td colSpan={7} className="muted">
                under way
              </td>
            ) : (
              <>
                <td>{run.found}</td>
                <td>{run.created}</td>
                <td>{run.updated}</td>
                <td>{run.unchanged}</td>
                <td>{run.deprecated}</td>
                <td>{run.restored}</td>
                <td>{run.columnEdges}</td>
              </>
            )}
            <td>
              {run.errors.length ? (
                <ul className="stat-error">
                  {run.errors.map((e, i) => (
                    <li key={i}>{e}</li>
                  ))}
                </ul>
              ) : (
                <span className="muted">none</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
