import { sha256 } from '../archive/format.js';
import type { HistoryEvent, PodPhase, WatchEventType } from '../model.js';

/**
 * Pre-aggregated pod event counts (`podEventStats`), by hour, namespace, phase and watch type.
 * See `rollups.ts` for how they are written exactly once.
 */

export const HOUR_MS = 3_600_000;

/** `<namespace>/<phase>/<type>` → events (negative in an undo part). */
export type Counts = Record<string, number>;

/**
 * Counts of one source (an ingest batch, the backfill, an archived object, an undo) for one
 * hour. `c` and `a` are JSON-encoded `Counts`: one string field decodes far faster on FerretDB
 * than a document of hundreds of fields.
 */
export interface RollupPart {
  /** `<source>/<hour ISO>`: the same source always writes the same part. */
  _id: string;
  source: string;
  hour: string;
  /** Events recorded. */
  c: string;
  /** Events moved to the archive (for `PodEventStats.archived`). */
  a: string;
  at: Date;
}

export interface RollupIntent {
  _id: string;
  /** Every event id of the batch. */
  ids: string[];
  at: Date;
}

export interface LedgerDoc {
  _id: string;
  /** Ids of the parts merged into this hour, ever: a part written again after its merge is dropped. */
  parts: string[];
}

export interface HourSlot {
  c: string;
  a: string;
}

/** A merge applied to a day's counts whose parts may still exist (trimmed once they are deleted). */
export interface AppliedMerge {
  m: string;
  hour: string;
  parts: string[];
}

export interface DayRollup {
  _id: string;
  /** Bumped by every write: writes are conditional on it. */
  v: number;
  /** `HH` → the hour's counts. */
  h: Record<string, HourSlot>;
  merges: AppliedMerge[];
}

export interface MetaDoc {
  _id: string;
  holder?: string;
  done?: boolean;
  at?: Date;
  n?: number;
  events?: number;
}

export const hourOf = (t: Date | number) =>
  new Date(Math.floor(new Date(t).getTime() / HOUR_MS) * HOUR_MS).toISOString();
export const hourCeil = (t: Date) => new Date(Math.ceil(t.getTime() / HOUR_MS) * HOUR_MS).toISOString();
export const dayOfHour = (hour: string) => hour.slice(0, 10);
export const slotOf = (hour: string) => hour.slice(11, 13);

export const countKey = (namespace: string, phase: PodPhase, type: WatchEventType) => `${namespace}/${phase}/${type}`;

export function parseKey(key: string): { namespace: string; phase: PodPhase; type: WatchEventType } {
  const [namespace, phase, type] = key.split('/') as [string, PodPhase, WatchEventType];
  return { namespace, phase, type };
}

export const decodeCounts = (s: string | undefined): Counts => (s ? (JSON.parse(s) as Counts) : {});
export const encodeCounts = (c: Counts): string => JSON.stringify(c);

/** Adds `b` into `a` (zeros dropped). */
export function addCounts(a: Counts, b: Counts, sign = 1): Counts {
  for (const [k, n] of Object.entries(b)) {
    const sum = (a[k] ?? 0) + sign * n;
    if (sum) a[k] = sum;
    else delete a[k];
  }
  return a;
}

/** The batch id: a hash of its sorted unique event ids, so a retry of the same batch has the same id. */
export const batchIdOf = (ids: Iterable<string>) => sha256([...new Set(ids)].sort().join('\n')).slice(0, 24);

export type Countable = Pick<HistoryEvent, 'kind' | 'time' | 'namespace' | 'phase' | 'type'>;

/** Pod events by hour (nodes are not counted by `podEventStats`). */
export function tally(events: Iterable<Countable>, into = new Map<string, Counts>(), sign = 1): Map<string, Counts> {
  for (const e of events) {
    if (e.kind !== 'Pod' || !e.namespace) continue;
    const hour = hourOf(e.time);
    const counts = into.get(hour) ?? {};
    addCounts(counts, { [countKey(e.namespace, e.phase, e.type)]: 1 }, sign);
    into.set(hour, counts);
  }
  return into;
}

/** The parts of one source, one per hour. */
export function partsOf(
  source: string,
  counts: Map<string, Counts>,
  archived = new Map<string, Counts>(),
  at = new Date(),
): RollupPart[] {
  const hours = [...new Set([...counts.keys(), ...archived.keys()])].sort();
  return hours
    .map((hour) => ({
      _id: `${source}/${hour}`,
      source,
      hour,
      c: encodeCounts(counts.get(hour) ?? {}),
      a: encodeCounts(archived.get(hour) ?? {}),
      at,
    }))
    .filter((p) => p.c !== '{}' || p.a !== '{}');
}
