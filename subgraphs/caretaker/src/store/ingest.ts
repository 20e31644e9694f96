import type { Collection, Db, Document } from 'mongodb';
import { historyOf, podKey, type ClusterEvent, type NodeDoc, type PodDoc } from '../model.js';
import { serverKindOf } from './server-kind.js';
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

/** The current-state document an event writes. */
export function stateOf(event: ClusterEvent, now: Date): StateDoc {
  const deleted = event.type === 'DELETED';
  const common = {
    deleted,
    deletedAt: deleted ? event.observedAt : null,
    observedAt: event.observedAt,
    updatedAt: now,
  };
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
 * What became of one event: its state is the current one, history only, known already, or known
 * from an earlier attempt of this very batch (a retry: counted as a duplicate, published again).
 */
export type IngestOutcome = 'applied' | 'stale' | 'duplicate' | 'redelivered';

/** How current states are written: see `applyNewest`. */
export type StateWrites = 'update' | 'replace';

/**
 * `replace` on FerretDB, `update` on MongoDB. FerretDB runs each update statement on its own,
 * ~10 ms (~25 ms with a condition besides `_id`, which it does not push down), even in a bulk: a
 * 1000-event batch spent ~14 s there. Multi-document statements cost one command.
 */
export async function stateWritesOf(db: Db): Promise<StateWrites> {
  return (await serverKindOf(db)) === 'ferretdb' ? 'replace' : 'update';
}

async function storedVersions(collection: Collection<StateDoc>, ids: string[]): Promise<Map<string, number>> {
  // One `$in` (a scan of the current states on FerretDB, ~0.1 s at 2,000 objects), not one lookup per id.
  const docs = await collection
    .find({ _id: { $in: ids } }, { projection: { resourceVersion: 1 }, batchSize: ids.length + 1 })
    .toArray();
  return new Map(docs.map((d) => [d._id, d.resourceVersion as number]));
}

/**
 * Writes each state over the stored one only when it is newer (by resourceVersion). Returns the
 * resourceVersion applied per object `_id`. Two forms, both without a read-then-write race on
 * MongoDB:
 *
 * - `update` (MongoDB): updates conditional on the stored version; a new object is inserted (a
 *   concurrent insert of the same object makes ours an update). No moment without a state.
 * - `replace` (FerretDB): one conditional `deleteMany` of the older states, one `insertMany`
 *   (a state there meanwhile is compared again), then a read-back. Four commands per batch
 *   whatever its size. Readers may miss an object between the delete and the insert (ms).
 *
 * Not an upsert with `{_id, resourceVersion: {$lt}}`: when the stored state is newer, that upsert
 * fails on the duplicate `_id`, and FerretDB stops an unordered bulk at the first such error.
 */
async function applyNewest(
  collection: Collection<StateDoc>,
  docs: StateDoc[],
  mode: StateWrites,
  stored: Map<string, number>,
): Promise<Map<string, number>> {
  if (!docs.length) return new Map();
  return mode === 'replace' ? replaceNewest(collection, docs, stored) : updateNewest(collection, docs, stored);
}

async function updateNewest(
  collection: Collection<StateDoc>,
  docs: StateDoc[],
  stored: Map<string, number>,
): Promise<Map<string, number>> {
  const applied = new Map<string, number>();
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
      const rv = await storedVersions(
        collection,
        updates.map((d) => d._id),
      );
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
 * The `replace` form. FerretDB 1.24 evaluates a delete's filter and removes the matches in two
 * steps (not atomic, like its conditional updates): a racing writer may remove a newer state
 * than its own and insert its older one. Hence the read-back after the writes: a state of ours
 * that is missing or older is written again, and only a state read back as ours counts as
 * applied. What remains is a race inside a single FerretDB statement (README, FerretDB findings).
 */
async function replaceNewest(
  collection: Collection<StateDoc>,
  docs: StateDoc[],
  first: Map<string, number>,
): Promise<Map<string, number>> {
  const applied = new Map<string, number>();
  const written = new Set<string>();
  let todo = docs;
  for (let attempt = 0; attempt < 8 && todo.length; attempt++) {
    const stored =
      attempt === 0
        ? first
        : await storedVersions(
            collection,
            todo.map((d) => d._id),
          );
    for (const d of todo)
      if (written.has(d._id) && stored.get(d._id) === d.resourceVersion) applied.set(d._id, d.resourceVersion);
    todo = todo.filter((d) => (stored.get(d._id) ?? -Infinity) < d.resourceVersion);
    // The last round only reads back.
    if (!todo.length || attempt === 7) break;
    const older = todo.filter((d) => stored.has(d._id));
    if (older.length) {
      // `_id: $in` first: FerretDB then tries the `$or` (one clause per object) on the matches only.
      const ids = older.map((d) => d._id);
      await collection.deleteMany({
        _id: { $in: ids },
        $or: older.map((d) => ({ _id: d._id, resourceVersion: { $lt: d.resourceVersion } })),
      });
    }
    // A duplicate: someone else's state got there in between, compared again on the next round.
    const skipped = await insertNew(collection, todo);
    todo.forEach((d, i) => skipped.has(i) || written.add(d._id));
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
export async function ingestEvents(
  c: Collections,
  events: ClusterEvent[],
  now = new Date(),
  options: {
    stateWrites?: StateWrites;
    /** Filled with each event's outcome, in the order of `events` (what live subscribers are told). */
    outcomes?: IngestOutcome[];
  } = {},
): Promise<IngestResult> {
  const received = events.length;
  if (!received) return { received, applied: 0, stale: 0, duplicates: 0, recorded: 0 };
  const records = events.map(historyOf);
  const states = events.map((e) => stateOf(e, now));
  const podStates = newestPerObject(states.filter((_, i) => events[i]!.kind === 'Pod'));
  const nodeStates = newestPerObject(states.filter((_, i) => events[i]!.kind === 'Node'));
  const podsC = c.pods as unknown as Collection<StateDoc>;
  const nodesC = c.nodes as unknown as Collection<StateDoc>;
  const read = (collection: Collection<StateDoc>, docs: StateDoc[]) =>
    docs.length
      ? storedVersions(
          collection,
          docs.map((d) => d._id),
        )
      : new Map<string, number>();
  // History and its rollup part first (see rollups.ts), then the current state. The stored versions
  // are only read meanwhile: the state writes are conditional and compare again when they moved.
  const [{ history, skipped, ours }, mode, storedPods, storedNodes] = await Promise.all([
    recordHistory(c, records, now),
    options.stateWrites ?? stateWritesOf(c.db),
    read(podsC, podStates),
    read(nodesC, nodeStates),
  ]);
  const known = new Set(history.filter((_, i) => skipped.has(i)).map((h) => h._id));
  const [pods, nodes] = await Promise.all([
    applyNewest(podsC, podStates, mode, storedPods),
    applyNewest(nodesC, nodeStates, mode, storedNodes),
  ]);
  const result = { received, applied: 0, stale: 0, duplicates: 0, recorded: history.length - skipped.size };
  const seen = new Set<string>();
  events.forEach((event, i) => {
    const id = records[i]!._id;
    const first = !seen.has(id);
    seen.add(id);
    const state = states[i]!;
    let outcome: IngestOutcome;
    if (first && (event.kind === 'Pod' ? pods : nodes).get(state._id) === state.resourceVersion) outcome = 'applied';
    else if (first && known.has(id) && ours?.has(id)) outcome = 'redelivered';
    else if (!first || known.has(id)) outcome = 'duplicate';
    else outcome = 'stale';
    if (outcome === 'applied') result.applied++;
    else if (outcome === 'duplicate' || outcome === 'redelivered') result.duplicates++;
    else result.stale++;
    options.outcomes?.push(outcome);
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
        // Not matched: changed meanwhile, or between the delete and the insert of a `replace` writer: compared again.
        if (applied) break;
        continue;
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
  /** Filled with the DELETED events recorded (what live subscribers are told). */
  recorded?: ClusterEvent[],
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
  recorded?.push(...deletions);
  return bulkUpdate(
    collection,
    gone.map((d) => ({
      updateOne: {
        filter: { _id: d._id, resourceVersion: d.resourceVersion },
        update: {
          $set: {
            deleted: true,
            deletedAt: now,
            observedAt: now,
            updatedAt: now,
            reason,
            resourceVersion: listResourceVersion,
          },
        },
      },
    })),
  );
}
