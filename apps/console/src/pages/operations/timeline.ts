/** A pod's timeline: its recorded events (MongoDB and the archive) and the live ones, once each, newest first. */

export interface TimelineEvent {
  id: string;
  type: string;
  time: string;
  resourceVersion: string;
  phase: string;
  reason?: string | null;
  message?: string | null;
  nodeName?: string | null;
  restarts: number;
  ready: boolean;
  /** MONGODB, ARCHIVE, or LIVE for an event received since the page opened. */
  source: string;
}

/** Events by id (`Pod/<ns>/<name>@<rv>`): an event read and also received live shows once, keeping where it was read. */
export function mergeTimeline(history: readonly TimelineEvent[], live: readonly TimelineEvent[]): TimelineEvent[] {
  const byId = new Map<string, TimelineEvent>();
  for (const event of live) byId.set(event.id, event);
  for (const event of history) byId.set(event.id, event);
  return [...byId.values()].sort(
    (a, b) =>
      b.time.localeCompare(a.time) ||
      b.resourceVersion.length - a.resourceVersion.length ||
      b.resourceVersion.localeCompare(a.resourceVersion),
  );
}

/** How many events came from each place, for the timeline's summary. */
export function sourcesOf(events: readonly TimelineEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.source] = (counts[e.source] ?? 0) + 1;
  return counts;
}
