import type { Collection, Document } from 'mongodb';
import { historyOf, podKey, type ClusterEvent, type NodeDoc, type PodDoc } from '../model.js';
import type { Collections } from './collections.js';
import { recordHistory } from './rollups.js';
import { DUPLICATE_KEY, bulkUpdate, insertNew } from './write.js';

/** Each received event counts in exactly one of applied, stale, duplicates. */
export interface IngestResult {
  received: number;
  /** Events whose state became the current one. */
  applied: number;
  /** Events new to the history but not applied: the stored (or a later event in the batch) state is as new or newer. */
  stale: number;
  /** Events whose history record existed already (or came twice in the batch), not applied. */
  duplicates: number;
  /** New history records. */
  recorded: number;
}

export { UPDATE_CHUNK, insertNew } from './write.js';

type StateDoc = (PodDoc | NodeDoc) & Document;

function stateOf(event: ClusterEvent, now: Date): StateDoc {
  const deleted = event.type === 'DELETED';
  const common = { deleted, deletedAt: deleted ? event.observedAt : null, observedAt: event.observedAt, updatedAt: now };
  return event.kind === 'Pod'
    ? { _id: podKey(event.pod.namespace, event.pod.name), ...event.pod, ...common }
    : { _id: event.node.name, ...event.node, ...common };
}

/** The newest state per object: within a batch, only the highest resourceVersion can win. */
function newestPerObject(docs: StateDoc[]): StateDoc[] {
  const newest = new Map<string, StateDoc>();
  for (const doc of docs) {
    const seen = newest.get(doc._id);
    if (!seen || seen.resourceVersion < doc.resourceVersion) newest.set(doc._id, doc);
  }
  return [...newest.values()];
}

/**
 * Writes each state over the stored one only when it is newer (by resourceVersion), without a
 * read-then-write race between replicas: updates are conditional on the stored version, and a
 * new object is inserted (a concurrent insert of the same object makes ours an update).
 * Returns the resourceVersion applied per object `_id`.
 *
 * Not an upsert with `{_id, resourceVersion: {$lt}}`: when the stored state is newer, that upsert
 * fails on the duplicate `_id`, and FerretDB stops an unordered bulk at the first such error.
 */
async function applyNewest(collection: Collection<StateDoc>, docs: StateDoc[]): Promise<Map<string, number>> {
  const applied = new Map<string, number>();
  if (!docs.length) return applied;
  const stored = new Map(
    (await collection.find({ _id: { $in: docs.map((d) => d._id) } }, { projection: { resourceVersion: 1 } }).toArray()).map(
      (d) => [d._id, d.resourceVersion as number],
    ),
  );
  let updates = docs.filter((d) => (stored.get(d._id) ?? Infinity) < d.resourceVersion);
  let inserts = docs.filter((d) => !stored.has(d._id));
  for (let attempt = 0; attempt < 5 && (updates.length || inserts.length); attempt++) {
    const matched = await bulkUpdate(
      collection,
      updates.map(({ _id, ...state }) => ({
        updateOne: { filter: { _id, resourceVersion: { $lt: state.resourceVersion } }, update: { $set: state } },
      })),
    );
    if (matched === updates.length) for (const d of updates) applied.set(d._id, d.resourceVersion);
    else {
      // A concurrent writer got some first: which ones are ours is read back (rare).
      const now = await collection.find({ _id: { $in: updates.map((d) => d._id) } }, { projection: { resourceVersion: 1 } }).toArray();
      const rv = new Map(now.map((d) => [d._id, d.resourceVersion as number]));
      for (const d of updates) if (rv.get(d._id) === d.resourceVersion) applied.set(d._id, d.resourceVersion);
    }
    const skipped = await insertNew(collection, inserts);
    inserts.forEach((d, i) => skipped.has(i) || applied.set(d._id, d.resourceVersion));
    // Inserted meanwhile by someone else: ours applies only if newer, as an update.
    updates = inserts.filter((_, i) => skipped.has(i));
    inserts = [];
  }
  return applied;
}

/**
 * Records a batch of events with bulk writes: the history first (append-only, duplicates skipped
 * by event id), then the current state of each object. Retrying a batch after a failure anywhere
 * is safe and completes it: no transactions needed (FerretDB has none).
 *
 * Every event counts once: `applied` (its state became the current one), else `duplicates` (its
 * id was recorded already, earlier or in this batch), else `stale` (new to the history, but the
 * stored state, or a later event of the batch, is as new or newer).
 */
export async function ingestEvents(c: Collections, events: ClusterEvent[], now = new Date()): Promise<IngestResult> {
  const received = events.length;
  if (!received) return { received, applied: 0, stale: 0, duplicates: 0, recorded: 0 };
  const records = events.map(historyOf);
  // History and its rollup part first (see rollups.ts), then the current state.
  const { history, skipped } = await recordHistory(c, records, now);
  const known = new Set(history.filter((_, i) => skipped.has(i)).map((h) => h._id));
  const states = events.map((e) => stateOf(e, now));
  const [pods, nodes] = await Promise.all([
    applyNewest(c.pods as unknown as Collection<StateDoc>, newestPerObject(states.filter((_, i) => events[i]!.kind === 'Pod'))),
    applyNewest(c.nodes as unknown as Collection<StateDoc>, newestPerObject(states.filter((_, i) => events[i]!.kind === 'Node'))),
  ]);
  const result = { received, applied: 0, stale: 0, duplicates: 0, recorded: history.length - skipped.size };
  const seen = new Set<string>();
  events.forEach((event, i) => {
    const id = records[i]!._id;
    const first = !seen.has(id);
    seen.add(id);
    const state = states[i]!;
    if (first && (event.kind === 'Pod' ? pods : nodes).get(state._id) === state.resourceVersion) result.applied++;
    else if (!first || known.has(id)) result.duplicates++;
    else result.stale++;
  });
  return result;
}

/**
 * The same, one event and one round trip at a time: the baseline the bench compares bulk
 * ingest against, and a cross-check in tests (both must end in the same state).
 */
export async function ingestOneByOne(c: Collections, events: ClusterEvent[], now = new Date()): Promise<IngestResult> {
  const result = { received: events.length, applied: 0, stale: 0, duplicates: 0, recorded: 0 };
  for (const event of events) {
    // The same history and rollup path as bulk ingest, for one event.
    const recorded = (await recordHistory(c, [historyOf(event)], now)).skipped.size === 0;
    if (recorded) result.recorded++;
    let applied = false;
    const collection = (event.kind === 'Pod' ? c.pods : c.nodes) as unknown as Collection<StateDoc>;
    const { _id, ...state } = stateOf(event, now);
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await collection.findOne({ _id }, { projection: { resourceVersion: 1 } });
      if (stored) {
        if ((stored.resourceVersion as number) >= state.resourceVersion) break;
        const r = await collection.updateOne({ _id, resourceVersion: { $lt: state.resourceVersion } }, { $set: state });
        applied = r.matchedCount > 0;
        break;
      }
      try {
        await collection.insertOne({ _id, ...state } as StateDoc);
        applied = true;
        break;
      } catch (error) {
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
      }
    }
    if (applied) result.applied++;
    else if (!recorded) result.duplicates++;
    else result.stale++;
  }
  return result;
}

/**
 * After a full relist (informer start, or a relist after 410 Gone), objects Caretaker believes
 * alive but the cluster no longer lists were deleted while nobody watched: record a DELETED
 * event for each (id `<kind>/<key>@<list resourceVersion>`: the deletion happened at or before
 * the list, and a retry of the same relist records it once) and tombstone them at the list's
 * resourceVersion. Only objects not newer than the list (a pod created after it is not in it),
 * and the state only if it did not change meanwhile. Returns the tombstones written.
 */
export async function tombstoneMissing(
  c: Collections,
  kind: 'Pod' | 'Node',
  present: ReadonlySet<string>,
  listResourceVersion: number,
  now = new Date(),
): Promise<number> {
  const collection = (kind === 'Pod' ? c.pods : c.nodes) as unknown as Collection<StateDoc>;
  const alive = await collection.find({ deleted: false, resourceVersion: { $lte: listResourceVersion } }).toArray();
  const gone = alive.filter((d) => !present.has(d._id));
  if (!gone.length) return 0;
  const reason = 'NotFoundOnRelist';
  // History first, as on ingest: a failure before the tombstones is completed by the next relist.
  const deletions = gone.map((d): ClusterEvent => {
    // The last state seen, at the list's resourceVersion (the state-only fields are ignored by historyOf).
    const object = { ...d, resourceVersion: listResourceVersion };
    return kind === 'Pod'
      ? { kind, type: 'DELETED', observedAt: now, pod: { ...(object as PodDoc), reason } }
      : { kind, type: 'DELETED', observedAt: now, node: object as NodeDoc };
  });
  await recordHistory(c, deletions.map(historyOf), now);
  return bulkUpdate(
    collection,
    gone.map((d) => ({
      updateOne: {
        filter: { _id: d._id, resourceVersion: d.resourceVersion },
        update: {
          $set: { deleted: true, deletedAt: now, observedAt: now, updatedAt: now, reason, resourceVersion: listResourceVersion },
        },
      },
    })),
  );
}
