import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { daysBetween } from '../archive/format.js';
import type { HistoryDoc, HistoryEvent } from '../model.js';
import type { Collections } from './collections.js';
import {
  addCounts,
  batchIdOf,
  dayOfHour,
  decodeCounts,
  encodeCounts,
  hourCeil,
  hourOf,
  partsOf,
  slotOf,
  tally,
  type Counts,
  type DayRollup,
  type RollupPart,
} from './rollup-model.js';
import { DUPLICATE_KEY, insertNew, mapLimit } from './write.js';

/**
 * Rollups of the pod history, written exactly once without transactions:
 *
 * - ingest: each record carries the id of the batch that first recorded it; the batch then writes
 *   its contribution (the events whose stored record has its batch id) as one part per hour,
 *   `_id` = `<batch>/<hour>`. A retry has the same id and the same content: counted once.
 * - compaction merges parts into day documents (one slot per hour), conditionally on the day's
 *   version, records the merge in the day (so readers skip its parts) and the part ids in the
 *   hour's ledger (so a part written again later is dropped), then deletes the parts and trims
 *   the merge record.
 * - reads: the days in range plus the parts not merged yet, checked against a rollup epoch that
 *   every merge bumps (a read racing a merge is retried).
 */

export const EPOCH_ID = 'rollup_epoch';
/** An intent older than this belongs to a writer that stopped: compaction finishes it. */
export const STALE_INTENT_MS = 10 * 60_000;

/** Parts not merged yet, by hour, minus those the ledger lists (merged already). */
export async function insertParts(c: Collections, parts: RollupPart[], checkLedger = true): Promise<number> {
  if (!parts.length) return 0;
  let todo = parts;
  if (checkLedger) {
    const hours = [...new Set(parts.map((p) => p.hour))];
    const ledgers = await Promise.all(hours.map((h) => c.rollupLedger.findOne({ _id: h })));
    const merged = new Set(ledgers.flatMap((l) => l?.parts ?? []));
    todo = parts.filter((p) => !merged.has(p._id));
  }
  const skipped = await insertNew(c.rollupParts, todo);
  return todo.length - skipped.size;
}

/** Stored `batch` of each id (single-document reads: FerretDB scans the collection for `$in`). */
async function storedBatches(c: Collections, ids: string[]): Promise<Map<string, string | undefined>> {
  const docs = await mapLimit(ids, 16, (id) => c.history.findOne({ _id: id }, { projection: { batch: 1 } }));
  return new Map(docs.filter((d) => d !== null).map((d) => [d._id, d.batch]));
}

/**
 * Records history and its rollup part, for every write path (mutation, informer, relist
 * tombstones, the one-by-one baseline): intent → history (duplicates skipped) → parts → intent
 * removed. Returns the indexes (into the deduplicated records) of records that existed already.
 */
export async function recordHistory(
  c: Collections,
  records: HistoryEvent[],
  now = new Date(),
): Promise<{ history: HistoryEvent[]; skipped: Set<number>; ours?: Set<string> }> {
  const unique = new Map<string, HistoryEvent>();
  for (const h of records) if (!unique.has(h._id)) unique.set(h._id, h);
  const history = [...unique.values()];
  if (!history.length) return { history, skipped: new Set() };
  const batch = batchIdOf(unique.keys());
  // Wall-clock time (not `now`, the caller's event time): compaction judges stale intents by it.
  const retried =
    (await insertNew(c.rollupIntents, [{ _id: batch, ids: [...unique.keys()], at: new Date() }])).size > 0;
  const skipped = await insertNew(
    c.history,
    history.map((h) => ({ ...h, batch })),
  );
  // Skipped records count here only if an earlier attempt of this very batch recorded them.
  const skippedPods = history.filter((h, i) => skipped.has(i) && h.kind === 'Pod').map((h) => h._id);
  const stored = skippedPods.length ? await storedBatches(c, skippedPods) : new Map<string, string | undefined>();
  const ours = history.filter((h, i) => !skipped.has(i) || stored.get(h._id) === batch);
  const again = retried || [...stored.values()].some((b) => b === batch);
  // The ledger is read only when an earlier attempt may have been merged already.
  await insertParts(c, partsOf(batch, tally(ours), undefined, now), again);
  await c.rollupIntents.deleteOne({ _id: batch });
  // `ours`: the ids this batch recorded, now or in an earlier attempt (live notices are sent again for those).
  return { history, skipped, ours: new Set(ours.map((h) => h._id)) };
}

/** Finishes intents whose writer stopped between its history insert and its parts. */
async function recoverIntents(c: Collections, now: Date, staleMs: number): Promise<number> {
  const stale = await c.rollupIntents.find({ at: { $lt: new Date(now.getTime() - staleMs) } }).toArray();
  for (const intent of stale) {
    // Rare: one `$in` (a scan on FerretDB) rather than thousands of lookups.
    const docs = await c.history
      .find(
        { _id: { $in: intent.ids } },
        { projection: { kind: 1, time: 1, namespace: 1, phase: 1, type: 1, batch: 1 } },
      )
      .toArray();
    await insertParts(c, partsOf(intent._id, tally(docs.filter((d) => d.batch === intent._id)), undefined, now));
    await c.rollupIntents.deleteOne({ _id: intent._id });
  }
  return stale.length;
}

/** An upsert by `_id`; two at once may both try the insert (E11000): the loser's retry is an update. */
export async function upsert(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    await run();
  }
}

const bumpEpoch = (c: Collections) =>
  upsert(() => c.meta.updateOne({ _id: EPOCH_ID }, { $inc: { n: 1 } }, { upsert: true }));

/** Writes `next` over the day at version `v` (0: absent); false when someone else wrote first. */
async function writeDay(c: Collections, next: DayRollup, v: number): Promise<boolean> {
  if (v === 0) {
    try {
      await c.rollups.insertOne(next);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
  return (await c.rollups.replaceOne({ _id: next._id, v }, next)).matchedCount === 1;
}

const emptyDay = (day: string): DayRollup => ({ _id: day, v: 0, h: {}, merges: [] });

/** Ledger, delete, trim for a merge already applied to its day (idempotent). */
async function settle(
  c: Collections,
  day: string,
  merge: { m: string; hour: string; parts: string[] },
  extra: string[] = [],
): Promise<void> {
  if (merge.parts.length) {
    await upsert(() =>
      c.rollupLedger.updateOne({ _id: merge.hour }, { $addToSet: { parts: { $each: merge.parts } } }, { upsert: true }),
    );
  }
  const ids = [...merge.parts, ...extra];
  if (ids.length) await c.rollupParts.deleteMany({ _id: { $in: ids } });
  for (let attempt = 0; attempt < 10; attempt++) {
    const d = await c.rollups.findOne({ _id: day });
    if (!d || !d.merges.some((x) => x.m === merge.m)) return;
    if (await writeDay(c, { ...d, v: d.v + 1, merges: d.merges.filter((x) => x.m !== merge.m) }, d.v)) return;
  }
}

export interface CompactResult {
  /** False when another holder compacts during this slot (nothing done). */
  ran: boolean;
  /** Parts merged into the rollups. */
  merged: number;
  /** Parts found merged already (a batch written again after its merge): dropped. */
  dropped: number;
  /** Merges a stopped compaction left applied but not cleaned up, finished. */
  settled: number;
  /** Batches a stopped writer left without parts, finished. */
  recoveredIntents: number;
}

/** Merges the parts of one hour; safe to run concurrently with other compactions and after a crash anywhere. */
async function mergeHour(c: Collections, hour: string, parts: RollupPart[], result: CompactResult): Promise<void> {
  const day = dayOfHour(hour);
  const m = randomBytes(8).toString('hex');
  for (let attempt = 0; attempt < 20; attempt++) {
    // The day first, then the ledger: a merge that completed before this read of the day is in the ledger.
    const d = (await c.rollups.findOne({ _id: day })) ?? emptyDay(day);
    const ledger = new Set((await c.rollupLedger.findOne({ _id: hour }))?.parts ?? []);
    const inFlight = new Set(d.merges.flatMap((x) => x.parts));
    const dropped = parts.filter((p) => ledger.has(p._id) && !inFlight.has(p._id)).map((p) => p._id);
    const fresh = parts.filter((p) => !ledger.has(p._id) && !inFlight.has(p._id));
    if (!fresh.length) {
      if (dropped.length) result.dropped += (await c.rollupParts.deleteMany({ _id: { $in: dropped } })).deletedCount;
      return;
    }
    const slot = d.h[slotOf(hour)];
    const counts: Counts = decodeCounts(slot?.c);
    const archived: Counts = decodeCounts(slot?.a);
    for (const p of fresh) {
      addCounts(counts, decodeCounts(p.c));
      addCounts(archived, decodeCounts(p.a));
    }
    const merge = { m, hour, parts: fresh.map((p) => p._id) };
    const next: DayRollup = {
      ...d,
      v: d.v + 1,
      h: { ...d.h, [slotOf(hour)]: { c: encodeCounts(counts), a: encodeCounts(archived) } },
      merges: [...d.merges, merge],
    };
    if (!(await writeDay(c, next, d.v))) continue;
    // Readers that read the day before this write and the parts after the delete retry on the epoch.
    await bumpEpoch(c);
    await settle(c, day, merge, dropped);
    result.merged += fresh.length;
    result.dropped += dropped.length;
    return;
  }
  throw new Error(`rollups: hour ${hour} kept changing under compaction; the next run goes on`);
}

/**
 * Compaction runs one at a time per database: FerretDB 1.24 does not apply a conditional update
 * atomically (20 concurrent `replaceOne({_id, v: 0})` match up to 12 times; checked), so the
 * version checks alone cannot keep two compactors apart there. Only a unique `_id` insert is
 * atomic on both stores: the right to compact during a one-minute slot is the insert of
 * `compaction@<slot>`; a run stops merging 10 s before its slot ends. (In process, runs of one
 * holder are chained.) On MongoDB the version checks would suffice; the slot costs one insert.
 */
export const SLOT_MS = 60_000;
const SLOT_MARGIN_MS = 10_000;
const PROCESS_HOLDER = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
const chains = new Map<string, Promise<unknown>>();

/** The slot's end when `holder` holds the current slot (taking it if free), else null. */
async function takeSlot(c: Collections, holder: string, slotMs: number): Promise<number | null> {
  const slot = Math.floor(Date.now() / slotMs);
  const marker = (n: number) => `compaction@${slotMs}@${n}`;
  const id = marker(slot);
  try {
    await c.meta.insertOne({ _id: id, holder, at: new Date() });
    // Earlier slots' markers are of no use any more.
    await c.meta.deleteMany({ _id: { $in: [1, 2, 3, 4, 5].map((k) => marker(slot - k)) } });
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    if ((await c.meta.findOne({ _id: id }))?.holder !== holder) return null;
  }
  return (slot + 1) * slotMs;
}

export interface CompactOptions {
  now?: Date;
  staleIntentMs?: number;
  /** Who compacts (default: this process); one holder per slot and database. */
  holder?: string;
  /** Slot length (default SLOT_MS). */
  slotMs?: number;
}

/**
 * One compaction run (periodic, and callable): finishes what stopped writers and compactions left,
 * then merges every part. A crash between any two steps neither loses nor doubles a count.
 * `ran` is false when another holder has the current slot.
 */
export function compactRollups(c: Collections, options: CompactOptions = {}): Promise<CompactResult> {
  const holder = options.holder ?? PROCESS_HOLDER;
  const key = `${c.db.databaseName}|${holder}`;
  const run = (chains.get(key) ?? Promise.resolve()).catch(() => {}).then(() => compactOnce(c, holder, options));
  chains.set(key, run);
  run.finally(() => chains.get(key) === run && chains.delete(key)).catch(() => {});
  return run;
}

async function compactOnce(c: Collections, holder: string, options: CompactOptions): Promise<CompactResult> {
  const now = options.now ?? new Date();
  const result: CompactResult = { ran: false, merged: 0, dropped: 0, settled: 0, recoveredIntents: 0 };
  const slotMs = options.slotMs ?? SLOT_MS;
  const end = await takeSlot(c, holder, slotMs);
  if (end === null) return result;
  result.ran = true;
  const inTime = () => Date.now() < end - Math.min(SLOT_MARGIN_MS, slotMs / 6);
  result.recoveredIntents = await recoverIntents(c, now, options.staleIntentMs ?? STALE_INTENT_MS);
  const parts = await c.rollupParts.find({}).toArray();
  const days = [...new Set(parts.map((p) => dayOfHour(p.hour)))];
  // Merges applied whose clean-up stopped.
  for (const day of days) {
    const d = await c.rollups.findOne({ _id: day });
    for (const merge of d?.merges ?? []) {
      await settle(c, day, merge);
      result.settled++;
    }
  }
  const byHour = new Map<string, RollupPart[]>();
  for (const p of parts) byHour.set(p.hour, [...(byHour.get(p.hour) ?? []), p]);
  const pending = new Set((await c.rollupParts.find({}, { projection: { _id: 1 } }).toArray()).map((p) => p._id));
  for (const [hour, ps] of [...byHour.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!inTime()) break; // the rest in the next slot
    const still = ps.filter((p) => pending.has(p._id));
    if (still.length) await mergeHour(c, hour, still, result);
  }
  return result;
}

export interface RollupCounts {
  /** Counts by `<namespace>/<phase>/<type>`. */
  counts: Counts;
  archived: Counts;
  /** The range actually counted: whole hours. */
  from: Date;
  to: Date;
}

/** Counts over the whole hours covering [from, to): the days in range plus parts not merged yet. */
export async function readRollups(
  c: Collections,
  from: Date,
  to: Date,
  namespace?: string | null,
): Promise<RollupCounts> {
  const fromH = hourOf(from);
  const toH = hourCeil(to);
  const days = daysBetween(new Date(fromH), new Date(toH));
  const inRange = (hour: string) => hour >= fromH && hour < toH;
  const keep = (k: string) => !namespace || k.startsWith(`${namespace}/`);
  let out: RollupCounts = { counts: {}, archived: {}, from: new Date(fromH), to: new Date(toH) };
  for (let attempt = 0; attempt < 5; attempt++) {
    const e1 = (await c.meta.findOne({ _id: EPOCH_ID }))?.n ?? 0;
    // Days before parts: a part deleted after its merge was applied is then either in the day read,
    // or its merge happened after the first epoch read (retried).
    const dayDocs = await Promise.all(days.map((d) => c.rollups.findOne({ _id: d })));
    const parts = await c.rollupParts.find({ hour: { $gte: fromH, $lt: toH } }).toArray();
    const e2 = (await c.meta.findOne({ _id: EPOCH_ID }))?.n ?? 0;
    const counts: Counts = {};
    const archived: Counts = {};
    const add = (into: Counts, encoded: string) => {
      for (const [k, n] of Object.entries(decodeCounts(encoded))) if (keep(k)) into[k] = (into[k] ?? 0) + n;
    };
    const applied = new Set<string>();
    for (const d of dayDocs) {
      if (!d) continue;
      for (const x of d.merges) for (const p of x.parts) applied.add(p);
      for (const [slot, s] of Object.entries(d.h)) {
        if (!inRange(`${d._id}T${slot}:00:00.000Z`)) continue;
        add(counts, s.c);
        add(archived, s.a);
      }
    }
    for (const p of parts) {
      if (applied.has(p._id)) continue;
      add(counts, p.c);
      add(archived, p.a);
    }
    out = { counts, archived, from: new Date(fromH), to: new Date(toH) };
    if (e1 === e2) break;
  }
  return out;
}

/** Parts that take back the count of records dropped from MongoDB as copies of archived ones (archiver). */
export function undoParts(
  dropped: Pick<HistoryDoc, '_id' | 'kind' | 'time' | 'namespace' | 'phase' | 'type' | 'batch'>[],
  now: Date,
): RollupPart[] {
  return dropped.flatMap((e) =>
    partsOf(`u-${batchIdOf([`${e._id} ${e.batch}`])}`, tally([e], undefined, -1), undefined, now),
  );
}

/** The archived counts of a verified archive object (archiver; backfill writes the same ids). */
export function archivedParts(key: string, events: HistoryEvent[], now: Date): RollupPart[] {
  return partsOf(`a-${batchIdOf([key])}`, new Map(), tally(events), now);
}
