import { Binary, BSON, MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import { badUserInput } from '@dataos/errors';
import { CursorCodec } from '../cursor.js';
import type { Logger } from '../logger.js';
import { BoundedQueue } from './bounded-queue.js';
import { SlowConsumerError } from './close-codes.js';

/** One document of a feed: a few items that share one sequence number. */
export interface FeedDoc<T> {
  /** The sequence number: 1, 2, 3, ... with no gaps, in commit order. */
  _id: number;
  at: Date;
  items: T[];
}

/** As stored: the items as one BSON blob (FerretDB scans a blob ~7x faster than nested documents). */
interface StoredDoc {
  _id: number;
  at: Date;
  items: Binary;
}

/** Where a subscriber is: after item `index` of document `seq`. */
export interface FeedPosition {
  seq: number;
  index: number;
}

/** What a subscriber receives: its selected value and where it came from (for its cursor). */
export interface FeedNotice<U> extends FeedPosition {
  value: U;
  at: Date;
}

export interface FeedOptions {
  /** How often each replica reads new documents when idle (ms). */
  pollMs?: number;
  /** Documents older than this are deleted (the newest one always stays: it carries the sequence). */
  retentionMs?: number;
  /** Items per document at most, and bytes (BSON) per document at most. */
  maxItemsPerDoc?: number;
  maxDocBytes?: number;
  /** Sequence numbers per collection (see the class comment). */
  bucketSize?: number;
  logger?: Logger;
}

interface Subscriber<T, U> {
  queue: BoundedQueue<FeedNotice<U>>;
  select: (item: T) => U | null | undefined;
  /** Items at or before this position are not delivered (resume). */
  after: FeedPosition | null;
  /** Live entries that arrived while the subscriber was reading its backlog. */
  pending: FeedDoc<T>[] | null;
}

const DUPLICATE_KEY = 11000;
const READ_BATCH = 100;
/** How long a reader waits for a missing sequence number before it moves on (see `poll`). */
const GAP_WAIT_MS = 2_000;
const isPosition = (v: unknown): v is [number, number] =>
  Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n) && (n as number) >= 0);

/**
 * An ordered event log in MongoDB collections, shared by every replica of a subgraph: the
 * mechanism behind its subscriptions when the store has no change streams (FerretDB).
 *
 * **Order.** A writer claims sequence number `n` by inserting the document `_id: n`; only one
 * insert of an `_id` succeeds (unique `_id` inserts are atomic on MongoDB and FerretDB alike,
 * unlike conditional updates or `$inc` on FerretDB). A writer that loses reads the highest `_id`
 * and tries the next. A writer only tries `n + 1` after it saw `n` committed, so numbers are
 * gap-free and a reader that has read `n` never later finds a smaller one.
 *
 * **Buckets.** Document `n` lives in the collection `<name>_<floor(n / bucketSize)>`. FerretDB
 * answers every query, `_id` lookups included, by decoding the whole collection (measured: a
 * `find` on 20 documents of 150 KB took 1.7 s on a loaded machine), so a reader must never query a
 * collection that holds the whole retention: it reads only the bucket of `head + 1`, and retention
 * drops whole buckets (a cheap `drop`, no scan). On MongoDB the same reads are `_id` range scans.
 *
 * **Delivery.** Each replica runs one reader that polls for `_id > head` (woken at once by its
 * own writes) and fans documents out to its subscribers, each through a bounded queue. At least
 * once, in sequence order; resumable from any position still retained.
 */
export class SequencedFeed<T extends Document> {
  private head = 0;
  private openedCount = 0;
  private lastWritten = 0;
  private readonly subscribers = new Set<Subscriber<T, unknown>>();
  private timer: NodeJS.Timeout | null = null;
  private trimTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private running = false;
  private gapSince = 0;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly pollMs: number;
  private readonly retentionMs: number;
  private readonly maxItems: number;
  private readonly maxBytes: number;
  private readonly bucketSize: number;
  private readonly cursors = new CursorCodec();
  private lastCatchUpCheck = 0;

  constructor(
    readonly db: Db,
    /** Collections are `<name>_<bucket>`. */
    readonly name: string,
    options: FeedOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 100;
    this.retentionMs = options.retentionMs ?? 3_600_000;
    this.maxItems = options.maxItemsPerDoc ?? 500;
    this.maxBytes = options.maxDocBytes ?? 1024 * 1024;
    this.bucketSize = options.bucketSize ?? 128;
    this.logger = options.logger;
  }

  private readonly logger: Logger | undefined;

  /** Starts reading from the current end: subscribers without a position see what comes next. */
  async start(): Promise<void> {
    if (this.running) return;
    this.head = await this.maxSeq();
    this.running = true;
    this.schedule(this.pollMs);
    this.trimTimer = setInterval(
      () => void this.trim().catch((e: unknown) => this.warn(e, 'feed trim failed')),
      60_000,
    );
    this.trimTimer.unref();
  }

  /** Stops reading and ends every subscriber's stream. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    await this.polling;
    await this.writes.catch(() => {});
    for (const s of this.subscribers) s.queue.end();
    this.subscribers.clear();
  }

  /** The highest sequence number this replica has read. */
  get position(): number {
    return this.head;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** Subscriptions opened since start (only grows): a metric, and what tests wait on. */
  get opened(): number {
    return this.openedCount;
  }

  /** Appends items in order; returns the sequence numbers claimed (one per document). */
  append(items: T[]): Promise<number[]> {
    if (items.length === 0) return Promise.resolve([]);
    // One writer at a time per replica: our own writes never race each other for a number.
    const run = this.writes.then(async () => {
      const seqs: number[] = [];
      for (const chunk of this.chunks(items)) seqs.push(await this.insert(chunk));
      this.wake();
      return seqs;
    });
    this.writes = run.catch(() => {});
    return run;
  }

  /**
   * A subscriber's stream of selected items after `after` (or from now). Refuses a position
   * older than the retained documents (BAD_USER_INPUT on `field`), before anything is opened.
   */
  async subscribe<U>(options: {
    select: (item: T) => U | null | undefined;
    after?: FeedPosition | null;
    /** Items waiting at most before the subscriber is failed as too slow. */
    limit: number;
    field?: string;
  }): Promise<BoundedQueue<FeedNotice<U>>> {
    const after = options.after ?? null;
    if (after && after.seq <= this.head) {
      const oldest = await this.minSeq();
      if (oldest === null || oldest > after.seq + 1) {
        throw badUserInput(
          `The cursor is older than the events kept (${Math.round(this.retentionMs / 60_000)} min): read the history, then subscribe without \`after\`.`,
          { field: options.field ?? 'after' },
        );
      }
    }
    const subscriber: Subscriber<T, U> = {
      select: options.select,
      after,
      pending: after && after.seq <= this.head ? [] : null,
      queue: new BoundedQueue<FeedNotice<U>>(options.limit, () => this.subscribers.delete(subscriber as never)),
    };
    this.subscribers.add(subscriber as never);
    this.openedCount++;
    if (subscriber.pending) void this.catchUp(subscriber, this.head);
    return subscriber.queue;
  }

  /** An opaque cursor for a position, of the list `kind`. */
  cursor(kind: string, position: FeedPosition): string {
    return this.cursors.encode(kind, [position.seq, position.index]);
  }

  /** The position of a cursor of `kind` (BAD_USER_INPUT on `field` otherwise). */
  positionOf(kind: string, cursor: string, field = 'after'): FeedPosition {
    const [seq, index] = this.cursors.decode(kind, cursor, { is: isPosition, field });
    return { seq, index };
  }

  /**
   * Drops the buckets whose newest document is past the retention, never the newest bucket
   * (writers number after its last document). Returns the buckets dropped.
   */
  async trim(now = Date.now()): Promise<number> {
    const buckets = await this.buckets();
    let dropped = 0;
    for (const k of buckets.slice(0, -1)) {
      const newest = await this.bucket(k)
        .find({}, { projection: { at: 1 } })
        .sort({ _id: -1 })
        .limit(1)
        .next();
      if (newest && newest.at.getTime() >= now - this.retentionMs) break;
      await this.bucket(k)
        .drop()
        .catch(() => false);
      dropped++;
    }
    return dropped;
  }

  private bucket(k: number): Collection<StoredDoc> {
    return this.db.collection<StoredDoc>(`${this.name}_${k}`);
  }

  private bucketOf(seq: number): number {
    return Math.floor(seq / this.bucketSize);
  }

  /** The buckets that exist, in order. */
  private async buckets(): Promise<number[]> {
    const prefix = `${this.name}_`;
    const names = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return names
      .map((c) => c.name)
      .filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))
      .map((n) => Number(n.slice(prefix.length)))
      .sort((a, b) => a - b);
  }

  private async minSeq(): Promise<number | null> {
    for (const k of await this.buckets()) {
      const first = await this.bucket(k)
        .find({}, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .limit(1)
        .next();
      if (first) return first._id;
    }
    return null;
  }

  private decode(doc: StoredDoc): FeedDoc<T> {
    return { _id: doc._id, at: doc.at, items: BSON.deserialize(doc.items.buffer).items as T[] };
  }

  private *chunks(items: T[]): Generator<T[]> {
    let chunk: T[] = [];
    let bytes = 0;
    for (const item of items) {
      const size = BSON.calculateObjectSize(item);
      if (chunk.length > 0 && (chunk.length >= this.maxItems || bytes + size > this.maxBytes)) {
        yield chunk;
        chunk = [];
        bytes = 0;
      }
      chunk.push(item);
      bytes += size;
    }
    if (chunk.length) yield chunk;
  }

  private async insert(items: T[]): Promise<number> {
    let next = Math.max(this.head, this.lastWritten) + 1;
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const blob = new Binary(BSON.serialize({ items }));
        await this.bucket(this.bucketOf(next)).insertOne({ _id: next, at: new Date(), items: blob });
        this.lastWritten = next;
        return next;
      } catch (error) {
        if (!(error instanceof MongoServerError) || error.code !== DUPLICATE_KEY) throw error;
        next = (await this.maxSeq()) + 1;
      }
    }
    throw new Error('Could not claim a feed sequence number after 100 attempts.');
  }

  private async maxSeq(): Promise<number> {
    const buckets = await this.buckets();
    for (const k of buckets.reverse()) {
      const last = await this.bucket(k)
        .find({}, { projection: { _id: 1 } })
        .sort({ _id: -1 })
        .limit(1)
        .next();
      if (last) return last._id;
    }
    return 0;
  }

  private wake(): void {
    if (!this.running || this.polling) return;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.polling = this.poll()
        .catch((error: unknown) => {
          this.warn(error, 'feed read failed');
          return false;
        })
        .then((more) => {
          this.polling = null;
          if (this.running) this.schedule(more ? 0 : this.pollMs);
        });
    }, ms);
    // The feed never keeps a process alive on its own.
    this.timer.unref();
  }

  /** Reads what follows `head` and delivers it; true when there may be more at once. */
  private async poll(): Promise<boolean> {
    const docs = await this.bucket(this.bucketOf(this.head + 1))
      .find({ _id: { $gt: this.head } })
      .sort({ _id: 1 })
      .limit(READ_BATCH)
      .toArray();
    if (docs.length === 0) return this.skipDropped();
    for (const stored of docs) {
      if (stored._id !== this.head + 1) {
        // Numbers are gap-free when written; a gap is a document trimmed (or, on a store that
        // reads from a lagging node, not visible yet): wait a little, then move on.
        const now = Date.now();
        if (!this.gapSince) this.gapSince = now;
        if (now - this.gapSince < GAP_WAIT_MS) return false;
        this.warn(null, `feed skipped sequence numbers ${this.head + 1}-${stored._id - 1}`);
      }
      this.gapSince = 0;
      const doc = this.decode(stored);
      this.head = doc._id;
      for (const s of this.subscribers) {
        if (s.pending) {
          s.pending.push(doc);
          if (s.pending.length > s.queue.limit) s.queue.fail(new SlowConsumerError(s.queue.limit));
        } else this.deliver(s, doc);
      }
    }
    return docs.length === READ_BATCH || this.bucketOf(this.head + 1) !== this.bucketOf(docs.at(-1)!._id);
  }

  /**
   * A reader more than a retention behind (a process paused for long) finds its bucket dropped:
   * every few seconds of silence it checks, and moves on to the oldest document kept.
   */
  private async skipDropped(): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastCatchUpCheck < 5_000) return false;
    this.lastCatchUpCheck = now;
    const oldest = await this.minSeq();
    if (oldest === null || oldest <= this.head + 1) return false;
    this.warn(null, `feed skipped sequence numbers ${this.head + 1}-${oldest - 1}: older than the retention`);
    this.head = oldest - 1;
    return true;
  }

  /** Reads the backlog of a resuming subscriber up to `until`, then what arrived meanwhile. */
  private async catchUp<U>(s: Subscriber<T, U>, until: number): Promise<void> {
    let from = s.after!.seq;
    try {
      while (from <= until && !s.queue.closed) {
        const docs = await this.bucket(this.bucketOf(from))
          .find({ _id: { $gte: from, $lte: until } })
          .sort({ _id: 1 })
          .limit(READ_BATCH)
          .toArray();
        for (const doc of docs) this.deliver(s, this.decode(doc));
        // The rest of this bucket, or the next one.
        from = docs.length === READ_BATCH ? docs.at(-1)!._id + 1 : (this.bucketOf(from) + 1) * this.bucketSize;
      }
      const pending = s.pending ?? [];
      s.pending = null;
      for (const doc of pending) if (doc._id > until) this.deliver(s, doc);
    } catch (error) {
      s.queue.fail(error);
    }
  }

  private deliver<U>(s: Subscriber<T, U>, doc: FeedDoc<T>): void {
    doc.items.forEach((item, index) => {
      if (s.queue.closed) return;
      if (s.after && (doc._id < s.after.seq || (doc._id === s.after.seq && index <= s.after.index))) return;
      const value = s.select(item);
      if (value !== null && value !== undefined) s.queue.push({ seq: doc._id, index, at: doc.at, value });
    });
  }

  private warn(error: unknown, message: string): void {
    if (this.logger) this.logger.warn(error ? { err: error } : {}, message);
  }
}
