import type { Filter } from 'mongodb';
import { ArchiveIntegrityError, daysBetween, type Manifest } from '../archive/format.js';
import type { ArchiveReader } from '../archive/reader.js';
import {
  POD_PHASES,
  podKey,
  type HistoryDoc,
  type HistoryEvent,
  type PodPhase,
  type WatchEventType,
} from '../model.js';
import { fail } from '../validate.js';
import type { Collections } from './collections.js';
import { BACKFILL_ID } from './backfill.js';
import { countKey, parseKey, type Counts } from './rollup-model.js';
import { readRollups } from './rollups.js';

/** History queries span at most this many days. */
export const MAX_RANGE_DAYS = 400;

export type EventSource = 'MONGODB' | 'ARCHIVE';
export interface SourcedEvent extends HistoryEvent {
  source: EventSource;
}

export function checkRange(from: Date, to: Date, field = 'to'): void {
  if (to.getTime() <= from.getTime()) fail(field, '`to` must be after `from`.');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    fail(field, `A time range spans at most ${MAX_RANGE_DAYS} days.`);
}

const WATCH_TYPES: WatchEventType[] = ['ADDED', 'MODIFIED', 'DELETED'];

export interface EventStats {
  from: Date;
  to: Date;
  total: number;
  byPhase: { phase: PodPhase; count: number }[];
  byType: { type: WatchEventType; count: number }[];
  byNamespace: { namespace: string; events: number; failed: number; deleted: number }[];
  archived: number;
}

/**
 * History reads over both stores: MongoDB (recent events, and older ones not archived yet) and
 * the archive (days partitioned by scope). An event present in both (archived, not yet removed
 * from MongoDB) is returned once, from MongoDB.
 */
export class HistoryStore {
  /** Set once the backfill flag is seen: it is never unset. */
  private backfilled = false;

  constructor(
    private readonly c: Collections,
    private readonly archive: ArchiveReader,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** True once the rollups hold the whole history (the one-time backfill is done). */
  async rollupsReady(): Promise<boolean> {
    this.backfilled ||= (await this.c.meta.findOne({ _id: BACKFILL_ID }))?.done === true;
    return this.backfilled;
  }

  /**
   * Counts of pod events in the whole hours covering [from, to) (`from` rounded down, `to` up),
   * from the rollups: a few single-document reads whatever the history size. Until the one-time
   * backfill is done, the exact raw aggregate (`rawStats`) answers instead.
   */
  async stats(from: Date, to: Date, namespace?: string | null): Promise<EventStats> {
    if (!(await this.rollupsReady())) return this.rawStats(from, to, namespace);
    const r = await readRollups(this.c, from, to, namespace);
    return statsOf(r.from, r.to, r.counts, r.archived);
  }

  private async archivedEvents(manifest: Manifest): Promise<HistoryEvent[]> {
    try {
      return await this.archive.events(manifest);
    } catch (error) {
      // A damaged object is skipped, loudly: the archiver deletes from MongoDB only what verified.
      if (!(error instanceof ArchiveIntegrityError)) throw error;
      this.warn(error.message);
      return [];
    }
  }

  /** A pod's events with from <= time < to, resourceVersion > afterRv, in resourceVersion order; `limit` at most. */
  async podEvents(
    namespace: string,
    name: string,
    from: Date,
    to: Date,
    limit: number,
    afterRv = 0,
  ): Promise<SourcedEvent[]> {
    return (
      (await this.podEventsMany([{ namespace, name }], from, to, limit, afterRv)).get(podKey(namespace, name)) ?? []
    );
  }

  /**
   * The same for many pods at once (`Pod.history` of a page of pods), by `namespace/name`: one
   * find over the pods' keys, sorted by (key, rv), reading at most `pods × limit` events (a pod
   * whose events may be cut short by that cap is read on its own), and each archive day and
   * namespace read once.
   */
  async podEventsMany(
    pods: readonly { namespace: string; name: string }[],
    from: Date,
    to: Date,
    limit: number,
    afterRv = 0,
  ): Promise<Map<string, SourcedEvent[]>> {
    const keys = [...new Set(pods.map((p) => podKey(p.namespace, p.name)))];
    const filter = (k: string[]): Filter<HistoryDoc> => ({
      kind: 'Pod',
      key: k.length === 1 ? k[0]! : { $in: k },
      time: { $gte: from, $lt: to },
      ...(afterRv ? { rv: { $gt: afterRv } } : {}),
    });
    const cap = keys.length * limit;
    const namespaces = [...new Set(pods.map((p) => p.namespace))];
    const [recent, archived] = await Promise.all([
      this.c.history
        .find(filter(keys), { projection: { archive: 0 } })
        .sort({ key: 1, rv: 1 })
        .limit(cap)
        .toArray(),
      this.archivedPodEvents(namespaces, new Set(keys), from, to, afterRv),
    ]);
    const byKey = new Map<string, HistoryDoc[]>(keys.map((k) => [k, []]));
    for (const e of recent) byKey.get(e.key)?.push(e);
    if (recent.length === cap) {
      // Capped: the last pod read, and pods not reached, may miss events.
      const last = recent.at(-1)!.key;
      const partial = keys.filter((k) => byKey.get(k)!.length < limit && (k === last || !byKey.get(k)!.length));
      await Promise.all(
        partial.map(async (k) => {
          byKey.set(
            k,
            await this.c.history
              .find(filter([k]), { projection: { archive: 0 } })
              .sort({ rv: 1 })
              .limit(limit)
              .toArray(),
          );
        }),
      );
    }
    const out = new Map<string, SourcedEvent[]>();
    for (const key of keys) {
      const merged = new Map<string, SourcedEvent>();
      for (const e of byKey.get(key)!) merged.set(e._id, { ...e, source: 'MONGODB' });
      for (const e of archived.get(key) ?? []) if (!merged.has(e._id)) merged.set(e._id, { ...e, source: 'ARCHIVE' });
      out.set(key, [...merged.values()].sort((a, b) => a.rv - b.rv).slice(0, limit));
    }
    return out;
  }

  /** Archived events of the given pods (by key), reading each day and namespace once. */
  private async archivedPodEvents(
    namespaces: string[],
    keys: ReadonlySet<string>,
    from: Date,
    to: Date,
    afterRv: number,
  ): Promise<Map<string, HistoryEvent[]>> {
    const out = new Map<string, HistoryEvent[]>();
    const days = daysBetween(from, to);
    const manifests = (
      await Promise.all(days.flatMap((d) => namespaces.map((ns) => this.archive.manifests(d, `ns=${ns}`))))
    ).flat();
    for (const m of manifests) {
      if (new Date(m.maxTime) < from || new Date(m.minTime) >= to) continue;
      for (const e of await this.archivedEvents(m)) {
        if (e.kind === 'Pod' && keys.has(e.key) && e.time >= from && e.time < to && e.rv > afterRv) {
          if (!out.has(e.key)) out.set(e.key, []);
          out.get(e.key)!.push(e);
        }
      }
    }
    return out;
  }

  /**
   * Exact counts of pod events with from <= time < to, from the raw history (the reference the
   * rollups are tested against; linear in the history size on FerretDB). MongoDB: one `$group` (one `$sum: 1`) by
   * namespace, phase, type and archive claim; the archive: manifest counts for objects wholly in
   * the range, the events of the others. Events claimed by an archive object counted here are
   * not counted again from MongoDB.
   */
  async rawStats(from: Date, to: Date, namespace?: string | null): Promise<EventStats> {
    const match: Filter<HistoryDoc> = {
      kind: 'Pod',
      time: { $gte: from, $lt: to },
      ...(namespace ? { namespace } : {}),
    };
    const [rows, manifests] = await Promise.all([
      this.c.history
        .aggregate<{
          _id: { namespace?: string; phase?: PodPhase; type?: WatchEventType; claim?: string | null };
          n: number;
        }>([
          { $match: match },
          {
            $group: {
              _id: { namespace: '$namespace', phase: '$phase', type: '$type', claim: '$archive.key' },
              n: { $sum: 1 },
            },
          },
        ])
        .toArray(),
      Promise.all(
        daysBetween(from, to).map((d) => this.archive.manifests(d, namespace ? `ns=${namespace}` : undefined)),
      ).then((m) => m.flat().filter((x) => x.scope.startsWith('ns='))),
    ]);

    // Counted as rollups count (`<namespace>/<phase>/<type>`), so both answer through statsOf.
    const counts: Counts = {};
    const archivedCounts: Counts = {};
    const count = (ns: string, phase: PodPhase, type: WatchEventType, n: number, into = counts) => {
      const key = countKey(ns, phase, type);
      into[key] = (into[key] ?? 0) + n;
    };

    const counted = new Set<string>();
    for (const m of manifests) {
      const ns = m.scope.slice('ns='.length);
      if (new Date(m.minTime) >= from && new Date(m.maxTime) < to) {
        for (const [k, n] of Object.entries(m.counts)) {
          const [phase, type] = k.split('/') as [PodPhase, WatchEventType];
          count(ns, phase, type, n);
          count(ns, phase, type, n, archivedCounts);
        }
        counted.add(m.key);
      } else if (new Date(m.maxTime) >= from && new Date(m.minTime) < to) {
        const events = await this.archivedEvents(m);
        if (!events.length) continue;
        for (const e of events) {
          if (e.time >= from && e.time < to) {
            count(ns, e.phase, e.type, 1);
            count(ns, e.phase, e.type, 1, archivedCounts);
          }
        }
        counted.add(m.key);
      }
    }
    for (const r of rows) {
      if (r._id.claim && counted.has(r._id.claim)) continue;
      count(r._id.namespace ?? '', r._id.phase ?? 'UNKNOWN', r._id.type ?? 'MODIFIED', r.n);
    }
    return statsOf(from, to, counts, archivedCounts);
  }
}

/** EventStats from rollup counts (`<namespace>/<phase>/<type>` → n). */
export function statsOf(from: Date, to: Date, counts: Counts, archived: Counts): EventStats {
  const byPhase = new Map<PodPhase, number>();
  const byType = new Map<WatchEventType, number>();
  const byNs = new Map<string, { events: number; failed: number; deleted: number }>();
  for (const [k, n] of Object.entries(counts)) {
    if (!n) continue;
    const { namespace, phase, type } = parseKey(k);
    byPhase.set(phase, (byPhase.get(phase) ?? 0) + n);
    byType.set(type, (byType.get(type) ?? 0) + n);
    const a = byNs.get(namespace) ?? { events: 0, failed: 0, deleted: 0 };
    a.events += n;
    if (phase === 'FAILED') a.failed += n;
    if (type === 'DELETED') a.deleted += n;
    byNs.set(namespace, a);
  }
  return {
    from,
    to,
    total: [...byType.values()].reduce((s, n) => s + n, 0),
    byPhase: POD_PHASES.filter((p) => byPhase.get(p)).map((phase) => ({ phase, count: byPhase.get(phase)! })),
    byType: WATCH_TYPES.filter((t) => byType.get(t)).map((type) => ({ type, count: byType.get(type)! })),
    byNamespace: [...byNs.entries()]
      .filter(([, a]) => a.events)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([ns, a]) => ({ namespace: ns, ...a })),
    archived: Object.values(archived).reduce((s, n) => s + n, 0),
  };
}
