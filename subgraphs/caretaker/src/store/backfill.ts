import { HISTORY_PREFIX, dayOf, isManifestKey, objectKeyOfManifest, type Manifest } from '../archive/format.js';
import type { ArchiveReader } from '../archive/reader.js';
import type { Collections } from './collections.js';
import { partsOf, tally, type Counts, type RollupPart } from './rollup-model.js';
import { archivedParts, insertParts, upsert } from './rollups.js';

/** `caretaker_meta` flag: the rollups hold the history recorded before they existed. */
export const BACKFILL_ID = 'rollups_backfill';

export interface BackfillResult {
  /** False when the flag was set already (nothing read). */
  ran: boolean;
  /** Pod events counted (recorded before rollups: without a batch id). */
  events: number;
  parts: number;
}

/**
 * One-time, idempotent: counts the pod history recorded before rollups existed (records without
 * a batch id, in MongoDB and in verified archive objects, each event once) into parts with fixed
 * ids (`backfill/<hour>`, and `a-<object>/<hour>` for archived counts, the ids the archiver
 * writes), then sets the flag. Replicas running it at once, or a rerun after a crash, write the
 * same parts: counted once. Records with a batch id are their batch's.
 */
export async function backfillRollups(
  c: Collections,
  reader: ArchiveReader,
  now = new Date(),
  warn: (m: string) => void = () => {},
): Promise<BackfillResult> {
  if ((await c.meta.findOne({ _id: BACKFILL_ID }))?.done) return { ran: false, events: 0, parts: 0 };

  const manifests = (
    await Promise.all(
      (await reader.store.list(HISTORY_PREFIX))
        .filter(isManifestKey)
        .map((k) => reader.manifest(objectKeyOfManifest(k))),
    )
  ).filter((m): m is Manifest => m !== null && m.scope.startsWith('ns='));
  const verified = new Set(manifests.map((m) => m.key));
  const partitions = new Set(manifests.map((m) => `${m.day}|${m.scope}`));

  // MongoDB first, then the archive: an event the archiver moves meanwhile is written to the
  // archive before it leaves MongoDB, so the archive read sees it if this scan did not.
  const counts = new Map<string, Counts>();
  const seen = new Set<string>();
  let events = 0;
  const cursor = c.history
    .find({ kind: 'Pod' }, { projection: { kind: 1, time: 1, namespace: 1, phase: 1, type: 1, batch: 1, archive: 1 } })
    .batchSize(5000);
  for await (const d of cursor) {
    if (d.batch) continue;
    if (d.archive && verified.has(d.archive.key)) continue; // counted from its object
    // Only events whose day and namespace the archive holds can be in both.
    if (partitions.has(`${dayOf(d.time)}|ns=${d.namespace}`)) seen.add(d._id);
    tally([d], counts);
    events++;
  }

  const archived: RollupPart[] = [];
  for (const m of manifests) {
    const object = await reader.readVerified(m.key);
    if (!object) {
      warn(`rollup backfill: ${m.key} does not verify; its events are not counted`);
      continue;
    }
    archived.push(...archivedParts(m.key, object.events, now));
    for (const e of object.events) {
      if (e.kind !== 'Pod' || e.batch || seen.has(e._id)) continue;
      tally([e], counts);
      events++;
    }
  }

  const parts = [...partsOf('backfill', counts, undefined, now), ...archived];
  const written = await insertParts(c, parts);
  // Two replicas finishing at once may both try the insert: the loser's retry is an update.
  await upsert(() =>
    c.meta.updateOne({ _id: BACKFILL_ID }, { $set: { done: true, at: now, events } }, { upsert: true }),
  );
  return { ran: true, events, parts: written };
}
