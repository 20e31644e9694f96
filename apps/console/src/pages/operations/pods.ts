/**
 * The live pod table's state, kept apart from React so it can be tested: rows by `namespace/name`,
 * merged from the first page read and from `podChanges` in whatever order they arrive.
 */

export const PHASES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN'] as const;
export type Phase = (typeof PHASES)[number];

export interface PodRow {
  namespace: string;
  name: string;
  phase: Phase;
  reason?: string | null;
  nodeName?: string | null;
  restarts: number;
  ready: boolean;
  deleted: boolean;
  resourceVersion: string;
  observedAt: string;
  resourceUrn?: string | null;
}

export interface PodFilterValues {
  namespace?: string;
  phase?: Phase;
  nodeName?: string;
  resourceUrn?: string;
}

export const podKey = (pod: { namespace: string; name: string }) => `${pod.namespace}/${pod.name}`;

/**
 * Kubernetes resourceVersions are decimal integers here (Caretaker checks it at ingest): compare
 * them as numbers of any length, never as text ("10" > "9").
 */
export function isNewer(candidate: string, current: string): boolean {
  if (candidate.length !== current.length) return candidate.length > current.length;
  return candidate > current;
}

/** Whether a pod belongs in a table filtered by `filter` (deleted pods leave it). */
export function matches(pod: PodRow, filter: PodFilterValues): boolean {
  if (pod.deleted) return false;
  if (filter.namespace && pod.namespace !== filter.namespace) return false;
  if (filter.phase && pod.phase !== filter.phase) return false;
  if (filter.nodeName && pod.nodeName !== filter.nodeName) return false;
  if (filter.resourceUrn && pod.resourceUrn !== filter.resourceUrn) return false;
  return true;
}

/**
 * Merges a pod state into the rows: only a newer resourceVersion replaces a row, so a page read
 * that raced with a change, or a change replayed after a resume, never turns a pod back.
 * Returns the same map when nothing changed (React then skips the render).
 */
export function mergePod(rows: ReadonlyMap<string, PodRow>, pod: PodRow, filter: PodFilterValues): Map<string, PodRow> {
  const key = podKey(pod);
  const current = rows.get(key);
  if (current && !isNewer(pod.resourceVersion, current.resourceVersion)) return rows as Map<string, PodRow>;
  const next = new Map(rows);
  if (matches(pod, filter)) next.set(key, pod);
  else if (current) next.delete(key);
  else return rows as Map<string, PodRow>;
  return next;
}

/** Counts by phase of the rows shown, every phase present (zero included), in lifecycle order. */
export function countByPhase(rows: Iterable<PodRow>): Record<Phase, number> {
  const counts = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  for (const row of rows) counts[row.phase]++;
  return counts;
}

/** Rows in a stable order: namespace, then name (as the API pages them). */
export const sortedRows = (rows: ReadonlyMap<string, PodRow>) =>
  [...rows.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));

/** The GraphQL filter for the table's filter (the same for the page read and the subscription). */
export function podFilterInput(filter: PodFilterValues) {
  return {
    ...(filter.namespace ? { namespace: filter.namespace } : {}),
    ...(filter.phase ? { phases: [filter.phase] } : {}),
    ...(filter.nodeName ? { nodeName: filter.nodeName } : {}),
    ...(filter.resourceUrn ? { resourceUrn: filter.resourceUrn } : {}),
  };
}
