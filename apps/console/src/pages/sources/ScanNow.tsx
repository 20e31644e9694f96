import { useEffect, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { ConsoleScanDepotDocument, type ConsoleScanRunFragment } from '@dataos/client';
import { FOLLOW_MS, isOver, runCounts, scanFailure, statusWord } from './scan-format.js';

interface Props {
  depot: string;
  /** The depot's runs as last read (the followed run is looked up here). */
  runs: readonly ConsoleScanRunFragment[];
  /** Starts (true) or stops re-reading the runs every second. */
  follow: (on: boolean) => void;
  /** Reads the runs now (after the mutation) and the source (after the run ended: its datasets changed). */
  refresh: (ended: boolean) => void;
}

/**
 * Scan now: `scanDepot` answers at once with the run RUNNING; the page then re-reads the depot's
 * runs every second until that run has ended (at most FOLLOW_MS: the scan goes on after that, and
 * the history shows its end when read again).
 */
export function ScanNow({ depot, runs, follow, refresh }: Props) {
  const [scan, state] = useMutation(ConsoleScanDepotDocument);
  const [followed, setFollowed] = useState<{ id: string; until: number } | null>(null);
  const [gaveUp, setGaveUp] = useState(false);
  const answered = state.data?.scanDepot;
  const current = answered ? (runs.find((r) => r.id === answered.id) ?? answered) : undefined;

  // Leaving the page (or another source's page reusing it) stops the re-reading.
  useEffect(() => () => follow(false), [follow]);

  useEffect(() => {
    if (!followed) return;
    if (current && isOver(current)) {
      setFollowed(null);
      follow(false);
      refresh(true);
      return;
    }
    const left = followed.until - Date.now();
    const timer = setTimeout(
      () => {
        setFollowed(null);
        setGaveUp(true);
        follow(false);
      },
      Math.max(0, left),
    );
    return () => clearTimeout(timer);
  }, [followed, current, follow, refresh]);

  const scanNow = async () => {
    setGaveUp(false);
    try {
      const res = await scan({ variables: { depot } });
      const run = res.data?.scanDepot;
      refresh(false);
      if (run && !isOver(run)) {
        setFollowed({ id: run.id, until: Date.now() + FOLLOW_MS });
        follow(true);
      }
    } catch {
      // A network failure: `state.error` holds it and the status below says so.
    }
  };

  const failure = scanFailure(state.error, depot);
  const running = !!followed || state.loading;
  return (
    <p>
      <button type="button" disabled={running} onClick={() => void scanNow()}>
        {running ? 'Scanning…' : 'Scan now'}
      </button>{' '}
      <span role="status" aria-live="polite">
        {failure ? <span className="stat-error">{failure}</span> : null}
        {!failure && current ? (
          isOver(current) ? (
            <>
              Scan {statusWord(current.status)}: {runCounts(current)}
              {current.errors.length ? `, ${current.errors.length} error${current.errors.length === 1 ? '' : 's'}` : ''}
              .
            </>
          ) : gaveUp ? (
            'The scan is still running after 2 minutes: its end will show in the history below.'
          ) : (
            `Scan running: reading the catalog of ${depot}…`
          )
        ) : null}
      </span>
    </p>
  );
}
