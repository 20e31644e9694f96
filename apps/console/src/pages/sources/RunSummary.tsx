import type { ConsoleScanRunFragment } from '@dataos/client';
import { Ago } from '../dataset/ProfilePart.js';
import { runCounts, statusWord } from './scan-format.js';

/** A run in one line: status, when it started, its counts and how many errors. */
export function RunSummary({ run }: { run: ConsoleScanRunFragment }) {
  return (
    <>
      <span className={`run-status run-${run.status.toLowerCase()}`}>{statusWord(run.status)}</span>,{' '}
      <Ago iso={run.startedAt} />
      {run.status === 'RUNNING' ? null : (
        <>
          <div className="muted">{runCounts(run)}</div>
          {run.errors.length ? (
            <div className="stat-error">
              {run.errors.length} error{run.errors.length === 1 ? '' : 's'}
            </div>
          ) : null}
        </>
      )}
    </>
  );
}
