import type { ConsoleScanRunFragment, ConsoleScanScheduleFragment } from '@dataos/client';
import { errorCode, errorKind, graphQLErrors } from '../../graphql/errors.js';
import { formatDuration } from '../dataset/freshness.js';

/**
 * A depot's scan schedule for people: "every 5 min", "on demand", or (null) "not scanned" — which
 * is also what a reader who may not read the depot is told, since Metis answers them no schedule.
 */
export function scheduleText(schedule: ConsoleScanScheduleFragment | null | undefined): string {
  if (!schedule) return 'not scanned';
  if (schedule.everySeconds <= 0) return 'on demand';
  return `every ${formatDuration(schedule.everySeconds)}`;
}

/** The counts of a finished run, as one line: "8 found, 0 created, 2 updated, 0 deprecated, 0 restored". */
export function runCounts(
  run: Pick<ConsoleScanRunFragment, 'found' | 'created' | 'updated' | 'deprecated' | 'restored'>,
) {
  return `${run.found} found, ${run.created} created, ${run.updated} updated, ${run.deprecated} deprecated, ${run.restored} restored`;
}

/** A run's status as a word: "running", "succeeded", "partial", "failed". */
export const statusWord = (status: ConsoleScanRunFragment['status']): string => status.toLowerCase();

/** Whether a run is over (a RUNNING run is followed until it is). */
export const isOver = (run: Pick<ConsoleScanRunFragment, 'status'>): boolean => run.status !== 'RUNNING';

/** What Scan now's refusal or failure means, in words; never the raw error. */
export function scanFailure(error: unknown, depot: string): string | undefined {
  if (!error) return undefined;
  const errors = graphQLErrors(error);
  if (errors.some((e) => errorKind(e) === 'no-access'))
    return `You may not scan ${depot}: scanning needs write access to the depot (dataos://${depot}), which its administrators have.`;
  if (errors.some((e) => errorCode(e) === 'NOT_FOUND'))
    return `Metis does not scan ${depot}: no scan is configured for it (METIS_SCANS).`;
  if (errors.some((e) => errorKind(e) === 'subgraph-down')) return 'Metis did not answer: try again later.';
  const message = errors[0]?.message ?? (error instanceof Error ? error.message : undefined);
  return `The scan could not start${message ? `: ${message}` : '.'}`;
}

/** How long Scan now follows a run before it stops asking (the run goes on; the history shows it). */
export const FOLLOW_MS = 120_000;
/** How often a followed run is read again. */
export const FOLLOW_EVERY_MS = 1000;
