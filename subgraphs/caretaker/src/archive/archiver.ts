import type { Filter } from 'mongodb';
import type { HistoryDoc, HistoryEvent } from '../model.js';
import type { Collections } from '../store/collections.js';
import { archivedParts, insertParts, undoParts } from '../store/rollups.js';
import {
  dayOf,
  dayStart,
  encodeBatch,
  manifestKeyOf,
  objectKey,
  parseObjectKey,
  scopeOf,
  type Manifest,
} from './format.js';
import type { ArchiveReader } from './reader.js';

export interface ArchiverOptions {
  /** History older than this is archived (CARETAKER_HISTORY_WINDOW_DAYS, default 7 days). */
  windowMs: number;
  /** Events per archive object at most (CARETAKER_ARCHIVE_BATCH, default 5000). */
  batchSize?: number;
  now?: () => Date;
  log?: (message: string, details?: Record<string, unknown>) => void;
}

export interface ArchivedObject {
  key: string;
  day: string;
  count: number;
  sha256: string;
}

export interface ArchiveRunResult {
  cutoff: Date;
  /** Events archived, verified and removed from MongoDB in this run. */
  archived: number;
  objects: ArchivedObject[];
  /** Batches claimed by an earlier run that did not finish, finished now. */
  recovered: number;
  /** Events still in MongoDB that a verified archive object already held: removed from MongoDB. */
  alreadyArchived: number;
}

const stripMark = ({ archive: _archive, ...event }: HistoryDoc): HistoryEvent => event;

/**
 * Moves history older than the window from MongoDB to the archive, one (day, scope) batch at a
 * time, never losing or duplicating an event, whatever step a crash interrupts:
 *
 * 1. claim: the batch's events get `archive.key` = a key derived from their ids (only events no
 *    other batch claimed: concurrent archivers never share an event);
 * 2. write the object, then its manifest (local folder: temp file + rename; S3: atomic puts);
 * 3. verify: read both back, check size, both checksums, count, and that every claimed event is in;
 * 4. delete from MongoDB exactly the claimed events of that key.
 *
 * A run first finishes the claims an interrupted run left: it rewrites the object from the
 * union of what the archive holds and what is still claimed in MongoDB (so a crash in the middle
 * of step 4 loses nothing), verifies, and deletes. Before archiving new events of a day and
 * scope, it drops those a verified object of that day and scope already holds (re-ingested
 * duplicates), so an event is in the archive once.
 */
export class Archiver {
  private readonly batchSize: number;
  private readonly now: () => Date;
  private readonly log: NonNullable<ArchiverOptions['log']>;

  constructor(
    private readonly c: Collections,
    private readonly reader: ArchiveReader,
    private readonly options: ArchiverOptions,
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => {});
  }

  async run(): Promise<ArchiveRunResult> {
    const now = this.now();
    const cutoff = new Date(now.getTime() - this.options.windowMs);
    const result: ArchiveRunResult = { cutoff, archived: 0, objects: [], recovered: 0, alreadyArchived: 0 };

    const pending = (await this.c.history.distinct('archive.key', { 'archive.key': { $exists: true } })) as string[];
    for (const key of pending.sort()) {
      const done = await this.finish(key);
      result.recovered++;
      result.archived += done.deleted;
      if (done.object) result.objects.push(done.object);
      this.log('archive: finished an interrupted batch', { key, deleted: done.deleted });
    }

    const known = new Map<string, Map<string, string | undefined>>();
    for (;;) {
      const oldest = await this.c.history
        .find(
          { time: { $lt: cutoff }, archive: { $exists: false } },
          { projection: { time: 1, kind: 1, namespace: 1 } },
        )
        .sort({ time: 1 })
        .limit(1)
        .next();
      if (!oldest) break;
      const day = dayOf(oldest.time);
      const scope = scopeOf(oldest);
      const end = new Date(Math.min(dayStart(day).getTime() + 86_400_000, cutoff.getTime()));
      const filter: Filter<HistoryDoc> = {
        ...(oldest.kind === 'Pod' ? { kind: 'Pod', namespace: oldest.namespace } : { kind: 'Node' }),
        time: { $gte: dayStart(day), $lt: end },
        archive: { $exists: false },
      };
      const batch = await this.c.history.find(filter).sort({ _id: 1 }).limit(this.batchSize).toArray();
      if (!batch.length) break; // taken by a concurrent run meanwhile; the next run goes on

      const archivedIds = await this.archivedIds(known, day, scope);
      const duplicates = batch.filter((e) => archivedIds.has(e._id));
      if (duplicates.length) {
        // A copy recorded by another batch than the archived one was counted by that batch too:
        // its count is taken back (ids fixed per record and batch: a rerun writes the same parts).
        const counted = duplicates.filter((e) => e.batch && e.batch !== archivedIds.get(e._id));
        await insertParts(this.c, undoParts(counted, now));
        const r = await this.c.history.deleteMany({
          _id: { $in: duplicates.map((e) => e._id) },
          archive: { $exists: false },
        });
        result.alreadyArchived += r.deletedCount;
      }
      const fresh = batch.filter((e) => !archivedIds.has(e._id));
      if (!fresh.length) continue;

      const key = objectKey(
        day,
        scope,
        fresh.map((e) => e._id),
      );
      await this.c.history.updateMany(
        { _id: { $in: fresh.map((e) => e._id) }, archive: { $exists: false } },
        { $set: { archive: { key, at: now } } },
      );
      const done = await this.finish(key);
      for (const e of done.events) archivedIds.set(e._id, e.batch);
      result.archived += done.deleted;
      if (done.object) result.objects.push(done.object);
    }
    if (result.archived || result.alreadyArchived) {
      this.log('archive: run done', {
        cutoff: cutoff.toISOString(),
        archived: result.archived,
        objects: result.objects.length,
      });
    }
    return result;
  }

  /** Ids (with their batch) held by the verified objects of a day and scope (read once per run, then kept up to date). */
  private async archivedIds(
    known: Map<string, Map<string, string | undefined>>,
    day: string,
    scope: string,
  ): Promise<Map<string, string | undefined>> {
    const k = `${day}|${scope}`;
    let ids = known.get(k);
    if (!ids) {
      ids = new Map();
      for (const manifest of await this.reader.manifests(day, scope)) {
        const verified = await this.reader.readVerified(manifest.key);
        for (const e of verified?.events ?? []) ids.set(e._id, e.batch);
      }
      known.set(k, ids);
    }
    return ids;
  }

  /** Steps 2–4 for one claimed key; idempotent, and safe to run after a crash at any step. */
  private async finish(
    key: string,
  ): Promise<{ object: ArchivedObject | null; deleted: number; events: HistoryEvent[] }> {
    const parsed = parseObjectKey(key);
    if (!parsed) throw new Error(`archive: claimed key "${key}" is not an archive key`);
    const claimed = (await this.c.history.find({ 'archive.key': key }).toArray()).map(stripMark);
    const existing = await this.reader.readVerified(key);
    const union = new Map<string, HistoryEvent>();
    for (const e of existing?.events ?? []) union.set(e._id, e);
    const missing = claimed.filter((e) => !union.has(e._id));
    for (const e of missing) union.set(e._id, e);
    if (!union.size) return { object: null, deleted: 0, events: [] };

    let manifest: Manifest;
    if (existing && !missing.length) {
      manifest = existing.manifest;
    } else {
      const encoded = encodeBatch(key, [...union.values()], this.now());
      await this.reader.store.put(key, encoded.body, 'application/gzip');
      await this.reader.store.put(
        manifestKeyOf(key),
        Buffer.from(JSON.stringify(encoded.manifest, null, 2)),
        'application/json',
      );
      manifest = encoded.manifest;
    }

    // Verify what the store gives back, not what was sent.
    const readBack = await this.reader.readVerified(key);
    if (!readBack || readBack.manifest.sha256 !== manifest.sha256 || readBack.manifest.count !== union.size) {
      throw new Error(`archive: ${key} did not verify after writing; nothing was removed from MongoDB`);
    }
    const inObject = new Set(readBack.events.map((e) => e._id));
    const lost = claimed.filter((e) => !inObject.has(e._id));
    if (lost.length)
      throw new Error(`archive: ${key} lacks ${lost.length} claimed events; nothing was removed from MongoDB`);

    // The object's archived counts, before anything leaves MongoDB (fixed ids: written once).
    await insertParts(this.c, archivedParts(key, readBack.events, this.now()));
    const ids = claimed.map((e) => e._id);
    const deleted = ids.length
      ? (await this.c.history.deleteMany({ _id: { $in: ids }, 'archive.key': key })).deletedCount
      : 0;
    return {
      object: { key, day: parsed.day, count: readBack.manifest.count, sha256: readBack.manifest.sha256 },
      deleted,
      events: readBack.events,
    };
  }
}
