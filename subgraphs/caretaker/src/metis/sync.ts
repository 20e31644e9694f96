import type { Collection } from 'mongodb';
import type { Collections } from '../store/collections.js';
import { metisResources, type Skipped } from './resources.js';
import { MAX_PER_REQUEST, type MetisResourceWriter } from './writer.js';

/** What Metis was last told about a resource, and when (`_id` = the resource URN). */
interface SyncedDoc {
  _id: string;
  fingerprint: string;
  syncedAt: Date;
}

export interface ResourceSyncResult {
  /** Resources behind Caretaker's pods that Metis can hold. */
  known: number;
  /** Upserted in Metis by this run. */
  pushed: number;
  /** Already in Metis as they are (not sent). */
  unchanged: number;
  /** Refused or not answered; tried again on the next run. */
  failed: { urn: string; code: string; message: string }[];
  skipped: Skipped[];
}

export interface ResourceSyncOptions {
  /** Resources per Metis request (MAX_PER_REQUEST, 20, at most). */
  batchSize?: number;
  /** A resource is sent again after this long even when unchanged, repairing a Metis that lost it (24 h). */
  resyncMs?: number;
  now?: () => Date;
}

/**
 * Makes the DataOS resources that own Caretaker's pods (workflows, services, clusters, ...) Metis
 * resources, without anyone calling `upsertResource`. Push, not pull: Caretaker learns of a
 * resource when its first pod arrives, and Metis needs no access to Caretaker's store. Each run
 * reads the distinct resource URNs of the pods (tombstones too: a finished workflow is still a
 * resource), sends those that are new, changed or due for a resync, in batches, and records in
 * `metis_resources` only what Metis confirmed; the rest is tried again next run. Upserts are
 * idempotent, so replicas running at once, or a crash between the push and the record, only
 * repeat a write.
 */
export class MetisResourceSync {
  private readonly synced: Collection<SyncedDoc>;
  private running: Promise<ResourceSyncResult> | undefined;

  constructor(
    private readonly c: Collections,
    private readonly writer: MetisResourceWriter,
    private readonly options: ResourceSyncOptions = {},
  ) {
    this.synced = c.db.collection<SyncedDoc>('metis_resources');
  }

  /** One run; a call while a run is under way shares it. */
  run(): Promise<ResourceSyncResult> {
    this.running ??= this.runOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(): Promise<ResourceSyncResult> {
    const now = this.options.now?.() ?? new Date();
    const dueBefore = now.getTime() - (this.options.resyncMs ?? 86_400_000);
    const urns = (await this.c.pods.distinct('resourceUrn')) as (string | null)[];
    const { resources, skipped } = metisResources(urns);
    const synced = new Map((await this.synced.find({}).toArray()).map((d) => [d._id, d]));
    const due = resources.filter((r) => {
      const last = synced.get(r.urn);
      return !last || last.fingerprint !== r.fingerprint || last.syncedAt.getTime() < dueBefore;
    });

    const result: ResourceSyncResult = {
      known: resources.length,
      pushed: 0,
      unchanged: resources.length - due.length,
      failed: [],
      skipped,
    };
    const size = Math.min(Math.max(1, this.options.batchSize ?? MAX_PER_REQUEST), MAX_PER_REQUEST);
    for (let i = 0; i < due.length; i += size) {
      const batch = due.slice(i, i + size);
      const outcomes = await this.writer.upsert(batch);
      const ok = new Set(outcomes.filter((o) => o.ok).map((o) => o.urn));
      const confirmed = batch.filter((r) => ok.has(r.urn));
      if (confirmed.length) {
        await this.synced.bulkWrite(
          confirmed.map((r) => ({
            updateOne: {
              filter: { _id: r.urn },
              update: { $set: { fingerprint: r.fingerprint, syncedAt: now } },
              upsert: true,
            },
          })),
          { ordered: false },
        );
      }
      result.pushed += confirmed.length;
      for (const o of outcomes) if (!o.ok) result.failed.push({ urn: o.urn, code: o.code, message: o.message });
      // Metis unreachable even after retries: leave the remaining batches for the next run.
      if (!ok.size && outcomes.every((o) => !o.ok && o.code === 'SERVICE_UNAVAILABLE')) {
        for (const r of due.slice(i + size))
          result.failed.push({ urn: r.urn, code: 'SERVICE_UNAVAILABLE', message: 'not sent: Metis unavailable' });
        break;
      }
    }
    return result;
  }
}
