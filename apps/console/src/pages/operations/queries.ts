import type { ConsoleOperationsClustersQuery, ConsoleQueryChangesSubscription } from '@dataos/client';

/** Queries shown, newest first, over all clusters. */
export const QUERIES = 100;

export type Row = Omit<ConsoleOperationsClustersQuery['queries']['edges'][number]['node'], 'state' | 'finishedAt'> & {
  state: string;
};

/** A start or end from queryChanges as a row; a start has no duration yet. */
export function rowOf(change: ConsoleQueryChangesSubscription['queryChanges']): Row {
  const startedAt = new Date(Date.parse(change.at) - (change.final ? change.elapsedMs : 0)).toISOString();
  return {
    id: change.queryId,
    cluster: change.cluster,
    user: change.user,
    source: change.source,
    state: change.final ? change.phase : 'RUNNING',
    rows: change.final ? change.rows : 0,
    durationMs: change.final ? change.elapsedMs : Number.NaN,
    startedAt,
    error: change.error ?? null,
  };
}

/**
 * Merges the history read once with the live starts and ends (`queryChanges`): an end replaces its
 * start, never the other way (a start replayed after a resume does not turn a finished row back).
 */
export function mergeRows(history: Row[], live: Map<string, Row>): Row[] {
  const rows = new Map(history.map((r) => [r.id, r]));
  for (const [id, row] of live) {
    const known = rows.get(id);
    if (!known || known.state === 'RUNNING') rows.set(id, row);
  }
  return [...rows.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, QUERIES);
}
