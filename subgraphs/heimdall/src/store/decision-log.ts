import { setTimeout as sleep } from 'node:timers/promises';
import { MongoBulkWriteError, ObjectId } from 'mongodb';
import type { Logger } from '@dataos/subgraph-kit';
import type { Collections, DecisionDoc } from './collections.js';

export interface DecisionLogFilter {
  subject?: string | null;
  action?: string | null;
  pathPrefix?: string | null;
  allowed?: boolean | null;
  requestId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/**
 * Appends every decision to a capped collection. Writes are buffered and flushed in bulk
 * (every `flushMs` or `maxBuffer` entries) so that logging never sits on a decision's path.
 */
export class DecisionLog {
  private buffer: DecisionDoc[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private droppedTotal = 0;

  constructor(
    private readonly c: Collections,
    private readonly logger: Logger,
    private readonly options = { flushMs: 200, maxBuffer: 1000, retryMs: 500 },
    /** Told of the entries once they are in MongoDB (with their ids): the live feed. */
    private readonly onWritten?: (docs: DecisionDoc[]) => Promise<void>,
  ) {}

  /** Entries lost since start because MongoDB refused them twice. */
  get dropped(): number {
    return this.droppedTotal;
  }

  append(entry: DecisionDoc): void {
    this.buffer.push(entry);
    if (this.buffer.length >= this.options.maxBuffer) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs).unref();
  }

  /** Writes what is buffered; resolves once it is in MongoDB. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      const lost = await this.write(batch);
      if (this.onWritten) await this.onWritten(lost.size ? batch.filter((d) => !lost.has(d)) : batch);
    });
    return this.flushing;
  }

  /**
   * One retry after a pause (a replica-set election, a restart); then the entries are counted as
   * dropped. Returns the entries dropped.
   */
  private async write(batch: DecisionDoc[]): Promise<Set<DecisionDoc>> {
    let pending = batch;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (attempt) await sleep(this.options.retryMs);
      try {
        await this.c.decisions.insertMany(pending, { ordered: false });
        return new Set();
      } catch (error) {
        // Unordered: only the entries that failed are retried; a duplicate _id means an earlier
        // attempt did write it (its answer was lost).
        if (error instanceof MongoBulkWriteError) {
          const failed = new Set(
            [error.writeErrors]
              .flat()
              .filter((e) => e.code !== 11000)
              .map((e) => e.index),
          );
          pending = pending.filter((_, i) => failed.has(i));
        }
        if (pending.length === 0) return new Set();
        if (attempt === 0) {
          this.logger.warn({ err: error, entries: pending.length }, 'decision log write failed; retrying once');
          continue;
        }
        this.droppedTotal += pending.length;
        this.logger.error(
          { err: error, dropped: pending.length, droppedTotal: this.droppedTotal },
          'decision log write failed twice: entries dropped',
        );
      }
    }
    return new Set(pending);
  }

  async page(first: number, after: string | null, filter: DecisionLogFilter) {
    const query: Record<string, unknown> = {};
    if (filter.subject) query.subject = filter.subject;
    if (filter.action) query.action = filter.action;
    if (filter.allowed != null) query.allowed = filter.allowed;
    if (filter.requestId) query.requestId = filter.requestId;
    if (filter.pathPrefix)
      query['object.path'] = { $regex: `^${filter.pathPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}` };
    const time: Record<string, Date> = {};
    if (filter.since) time.$gte = filter.since;
    if (filter.until) time.$lt = filter.until;
    if (Object.keys(time).length) query.time = time;
    if (after) query._id = { $lt: new ObjectId(after) };
    const docs = await this.c.decisions
      .find(query)
      .sort({ _id: -1 })
      .limit(first + 1)
      .toArray();
    return { docs: docs.slice(0, first), hasNextPage: docs.length > first };
  }
}
