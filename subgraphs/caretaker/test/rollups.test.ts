import { afterAll, describe, expect, it, vi } from 'vitest';
import { Archiver } from '../src/archive/archiver.js';
import { ArchiveReader } from '../src/archive/reader.js';
import { LocalFolderArchiveStore } from '../src/archive/store.js';
import { historyOf, type ClusterEvent } from '../src/model.js';
import { BatchingSink } from '../src/source/batching-sink.js';
import { BACKFILL_ID, backfillRollups } from '../src/store/backfill.js';
import type { Collections } from '../src/store/collections.js';
import { HistoryStore } from '../src/store/history.js';
import { ingestEvents, tombstoneMissing } from '../src/store/ingest.js';
import { batchIdOf, hourOf } from '../src/store/rollup-model.js';
import { compactRollups as compactInSlots, type CompactOptions, type CompactResult } from '../src/store/rollups.js';
import { eventsFromInput } from '../src/validate.js';
import { podEventInput } from '../../../packages/testkit/src/caretaker.js';
import { tempDir, testDb } from './db.js';
import { scenario } from './stream.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date();
// Two hours back, so the stream crosses an hour boundary.
const s = scenario(new Date(Math.floor(now.getTime() / HOUR) * HOUR - HOUR - 10 * 60_000));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanups) await f();
});

interface Setup {
  c: Collections;
  reader: ArchiveReader;
  history: HistoryStore;
}

/** A database of its own, rollups switched on (the backfill of an empty history sets the flag). */
async function setup(backfill = true): Promise<Setup> {
  const db = await testDb();
  const tmp = await tempDir();
  cleanups.push(db.drop, tmp.remove);
  const reader = new ArchiveReader(new LocalFolderArchiveStore(tmp.dir));
  if (backfill) expect(await backfillRollups(db.c, reader)).toMatchObject({ ran: true, events: 0 });
  return { c: db.c, reader, history: new HistoryStore(db.c, reader) };
}

const events = (input: unknown, at = now): ClusterEvent[] => eventsFromInput(input as never, at);
const WIDE = { from: new Date(now.getTime() - 30 * DAY), to: new Date(now.getTime() + DAY) };

/** Rollup stats equal the raw aggregate over the same whole hours, for all and for each namespace. */
async function expectExact(t: Setup, from = WIDE.from, to = WIDE.to) {
  for (const ns of [undefined, 'retail', 'finance']) {
    const rolled = await t.history.stats(from, to, ns);
    expect(rolled.from.getTime() % HOUR).toBe(0);
    expect(rolled).toEqual(await t.history.rawStats(rolled.from, rolled.to, ns));
  }
  return t.history.stats(from, to);
}

/**
 * Compaction with a 30-day slot: a run never meets a slot's last seconds (where it merges nothing,
 * leaving them to the next slot's holder), so tests do not depend on the wall clock.
 */
const LONG_SLOT = 30 * 24 * HOUR;
const compactRollups = (c: Collections, options: CompactOptions = {}) =>
  compactInSlots(c, { slotMs: LONG_SLOT, ...options });

const partIds = async (c: Collections) =>
  (await c.rollupParts.find({}, { projection: { _id: 1 } }).toArray()).map((p) => p._id);

describe('rollups: podEventStats from pre-aggregated counts', () => {
  it('the realistic stream (duplicates, late events, a retried batch) counts as the raw aggregate, before and after compaction', async () => {
    const t = await setup();
    for (const batch of s.batches) expect(await ingestEvents(t.c, events(batch.input), now)).toEqual(batch.expect);
    // The retried batch wrote no part of its own: its events belong to the first delivery.
    expect(new Set((await t.c.rollupParts.find().toArray()).map((p) => p.source)).size).toBe(4);
    const before = await expectExact(t);
    expect(before.total).toBe(14);
    const run = await compactRollups(t.c);
    expect(run.merged).toBeGreaterThan(4);
    expect(await partIds(t.c)).toEqual([]);
    expect(await expectExact(t)).toEqual(before);
    // Per hour too: the stream crosses an hour boundary.
    const boundary = new Date(Math.floor(now.getTime() / HOUR) * HOUR - HOUR);
    const first = await expectExact(t, new Date(boundary.getTime() - HOUR), boundary);
    const second = await expectExact(t, boundary, new Date(boundary.getTime() + HOUR));
    expect(first.total).toBeGreaterThan(0);
    expect(first.total + second.total).toBe(14);
    // Another compaction has nothing to do.
    expect(await compactRollups(t.c)).toEqual({ ran: true, merged: 0, dropped: 0, settled: 0, recoveredIntents: 0 });
  });

  it('resolution is one hour: from is rounded down, to up, and the result says so', async () => {
    const t = await setup();
    await ingestEvents(t.c, events(s.all), now);
    const at = s.at(5);
    const r = await t.history.stats(new Date(at.getTime() + 1), new Date(at.getTime() + 2));
    expect(r.from.toISOString()).toBe(hourOf(at));
    expect(r.to.getTime()).toBe(new Date(hourOf(at)).getTime() + HOUR);
    expect(r.total).toBeGreaterThan(1);
  });

  it('a batch retried after a crash between its history and its part counts once', async () => {
    const t = await setup();
    const batch = events(s.all);
    const insert = vi.spyOn(t.c.rollupParts, 'insertMany').mockRejectedValueOnce(new Error('crash before the part'));
    await expect(ingestEvents(t.c, batch, now)).rejects.toThrow('crash before the part');
    insert.mockRestore();
    expect(await partIds(t.c)).toEqual([]);
    expect(await t.c.rollupIntents.countDocuments()).toBe(1);
    // The retry finds every record already there, recorded by its own earlier attempt.
    expect(await ingestEvents(t.c, batch, now)).toMatchObject({ recorded: 0 });
    expect(await t.c.rollupIntents.countDocuments()).toBe(0);
    expect((await expectExact(t)).total).toBe(14);
    // A crash after the part, before the intent is removed: the retry writes nothing new.
    const del = vi.spyOn(t.c.rollupIntents, 'deleteOne').mockRejectedValueOnce(new Error('crash after the part'));
    await expect(ingestEvents(t.c, batch, now)).rejects.toThrow('crash after the part');
    del.mockRestore();
    await ingestEvents(t.c, batch, now);
    await compactRollups(t.c);
    expect((await expectExact(t)).total).toBe(14);
  });

  it('a writer that stopped for good (never retried) is finished by compaction from its intent', async () => {
    const t = await setup();
    const insert = vi.spyOn(t.c.rollupParts, 'insertMany').mockRejectedValueOnce(new Error('process killed'));
    await expect(ingestEvents(t.c, events(s.all), now)).rejects.toThrow('process killed');
    insert.mockRestore();
    // A fresh intent may belong to a writer still at work: left alone.
    expect(await compactRollups(t.c)).toMatchObject({ recoveredIntents: 0 });
    expect((await t.history.stats(WIDE.from, WIDE.to)).total).toBe(0);
    expect(await compactRollups(t.c, { staleIntentMs: 0 })).toMatchObject({ recoveredIntents: 1 });
    expect((await expectExact(t)).total).toBe(14);
  });

  it('an event delivered again in another batch belongs to its first batch only', async () => {
    const t = await setup();
    const [a, b, c] = events(s.all).filter((e) => e.kind === 'Pod');
    await ingestEvents(t.c, [a!, b!], now);
    await ingestEvents(t.c, [b!, c!], now);
    const first = batchIdOf([historyOf(a!)._id, historyOf(b!)._id]);
    expect((await t.c.history.findOne({ _id: historyOf(b!)._id }))?.batch).toBe(first);
    expect((await expectExact(t)).total).toBe(3);
    await compactRollups(t.c);
    expect((await expectExact(t)).total).toBe(3);
  });

  it('two writers ingesting the same batch at once count it once', async () => {
    const t = await setup();
    const batch = events(s.all);
    await Promise.all([
      ingestEvents(t.c, batch, now),
      ingestEvents(t.c, [...batch].reverse(), now),
      compactRollups(t.c),
    ]);
    await compactRollups(t.c);
    expect((await expectExact(t)).total).toBe(14);
  });

  it('a batch retried after its part was merged and deleted is not counted again', async () => {
    const t = await setup();
    const batch = events(s.all);
    await ingestEvents(t.c, batch, now);
    const parts = await t.c.rollupParts.find().toArray();
    await compactRollups(t.c);
    await ingestEvents(t.c, batch, now);
    expect(await partIds(t.c)).toEqual([]);
    // A writer that checked the ledger just before the merge writes its part after it: dropped.
    await t.c.rollupParts.insertMany(parts);
    expect(await compactRollups(t.c)).toMatchObject({ merged: 0, dropped: parts.length });
    expect((await expectExact(t)).total).toBe(14);
  });

  it('relist tombstones (DELETED events) are counted, once per relist', async () => {
    const t = await setup();
    await ingestEvents(t.c, events(s.all), now);
    await tombstoneMissing(t.c, 'Pod', new Set(['retail/orders-ingest-2']), 40, now);
    await tombstoneMissing(t.c, 'Pod', new Set(['retail/orders-ingest-2']), 40, now);
    const stats = await expectExact(t);
    expect(stats.total).toBe(16);
    expect(stats.byType.find((x) => x.type === 'DELETED')?.count).toBe(3);
  });

  it('informer sink: a failed batch is retried as it was, so its batch id (and part) stay the same', async () => {
    const written: string[][] = [];
    let fail = true;
    const sink = new BatchingSink({
      write: async (batch) => {
        written.push(batch.map((e) => historyOf(e)._id));
        if (fail) {
          fail = false;
          throw new Error('store down');
        }
      },
      relisted: async () => {},
      maxBatch: 1000,
      maxDelayMs: 5,
    });
    const all = events(s.all);
    sink.push(all.slice(0, 3));
    await vi.waitFor(() => expect(written).toHaveLength(1));
    sink.push(all.slice(3, 6));
    await vi.waitFor(() => expect(written.length).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    await sink.stop();
    expect(written[1]).toEqual(written[0]);
    expect(written.flat()).toHaveLength(9);
  });
});

describe('rollups: compaction interrupted at every step neither loses nor doubles a count', () => {
  type Step = { name: string; crash: (c: Collections) => void };
  /** Fails the `n`th call (1-based) of a collection method, once. */
  const failNth = <K extends 'replaceOne' | 'insertOne' | 'updateOne' | 'deleteMany'>(
    target: { [k in K]: unknown },
    method: K,
    n: number,
  ) => {
    const original = (target[method] as (...a: unknown[]) => unknown).bind(target);
    let calls = 0;
    const spy = vi.spyOn as unknown as (
      o: object,
      m: string,
    ) => { mockImplementation(f: (...a: unknown[]) => unknown): void };
    spy(target, method).mockImplementation((...args: unknown[]) => {
      if (++calls === n) return Promise.reject(new Error(`crash at ${method} #${n}`));
      return original(...args);
    });
  };
  const steps: Step[] = [
    { name: 'before the day is written', crash: (c) => failNth(c.rollups, 'insertOne', 1) },
    { name: 'after the day, before the epoch bump', crash: (c) => failNth(c.meta, 'updateOne', 1) },
    { name: 'after the epoch, before the ledger', crash: (c) => failNth(c.rollupLedger, 'updateOne', 1) },
    { name: 'after the ledger, before the parts are deleted', crash: (c) => failNth(c.rollupParts, 'deleteMany', 1) },
    {
      name: 'after the parts are deleted, before the merge record is trimmed',
      crash: (c) => failNth(c.rollups, 'replaceOne', 1),
    },
    { name: 'on the second hour (the first one done)', crash: (c) => failNth(c.rollupLedger, 'updateOne', 2) },
  ];

  it.each(steps)('crash $name: reads stay exact, the next run completes', async ({ crash }) => {
    const t = await setup();
    for (const batch of s.batches) await ingestEvents(t.c, events(batch.input), now);
    crash(t.c);
    await expect(compactRollups(t.c)).rejects.toThrow(/crash at/);
    vi.restoreAllMocks();
    // Right after the crash: reads see each count once.
    expect((await expectExact(t)).total).toBe(14);
    await compactRollups(t.c);
    expect(await partIds(t.c)).toEqual([]);
    expect((await t.c.rollups.find().toArray()).flatMap((d) => d.merges)).toEqual([]);
    expect((await expectExact(t)).total).toBe(14);
  });

  it('a crash in the middle of the part delete (some deleted)', async () => {
    const t = await setup();
    for (const batch of s.batches) await ingestEvents(t.c, events(batch.input), now);
    const original = t.c.rollupParts.deleteMany.bind(t.c.rollupParts);
    vi.spyOn(t.c.rollupParts, 'deleteMany').mockImplementationOnce((async (filter: { _id: { $in: string[] } }) => {
      await original({ _id: { $in: filter._id.$in.slice(0, 1) } });
      throw new Error('crash at delete, 1 done');
    }) as never);
    await expect(compactRollups(t.c)).rejects.toThrow('crash at delete');
    vi.restoreAllMocks();
    expect((await expectExact(t)).total).toBe(14);
    await compactRollups(t.c);
    expect((await expectExact(t)).total).toBe(14);
  });

  it('two replicas compacting at once, with ingest going on: one compacts per slot, nothing lost', async () => {
    const t = await setup();
    const runs: Promise<CompactResult>[] = [];
    for (const batch of s.batches) {
      await ingestEvents(t.c, events(batch.input), now);
      runs.push(compactRollups(t.c, { holder: 'replica-a' }), compactRollups(t.c, { holder: 'replica-b' }));
    }
    const results = await Promise.all(runs);
    // One replica holds the slot: all its runs go, the other's do nothing.
    const winners = new Set(results.flatMap((r, i) => (r.ran ? [i % 2] : [])));
    expect(winners.size).toBe(1);
    await compactRollups(t.c, { holder: winners.has(0) ? 'replica-a' : 'replica-b' });
    expect(await partIds(t.c)).toEqual([]);
    expect((await expectExact(t)).total).toBe(14);
  });

  it('FerretDB applies conditional updates non-atomically: the slot keeps concurrent merges apart', async () => {
    const t = await setup();
    for (const batch of s.batches) await ingestEvents(t.c, events(batch.input), now);
    // Many compactions of one holder at once are chained in process; another holder is refused.
    const [a, b] = await Promise.all([compactRollups(t.c), compactRollups(t.c)]);
    expect(a.ran && b.ran).toBe(true);
    expect(a.merged + b.merged).toBeGreaterThan(0);
    expect(await compactRollups(t.c, { holder: 'other-replica' })).toMatchObject({ ran: false });
    expect((await expectExact(t)).total).toBe(14);
  });
});

/** Pod events over ten days in two namespaces (days 8–10 older than the 7-day window). */
function tenDays(nowAt: Date): ClusterEvent[] {
  const pods: Record<string, unknown>[] = [];
  let rv = 100;
  for (let day = 10; day >= 1; day--) {
    for (const namespace of ['retail', 'finance']) {
      for (let i = 0; i < 3; i++) {
        const t = (m: number) => new Date(nowAt.getTime() - day * DAY + i * HOUR + m * 60_000);
        const common = { namespace, name: `job-${day}-${i}` };
        pods.push(podEventInput({ ...common, type: 'ADDED', rv: rv++, at: t(0), phase: 'PENDING' }));
        pods.push(podEventInput({ ...common, rv: rv++, at: t(1), phase: 'RUNNING', node: 'node-1' }));
        pods.push(
          podEventInput({ ...common, rv: rv++, at: t(20), phase: i === 2 ? 'FAILED' : 'SUCCEEDED', node: 'node-1' }),
        );
      }
    }
  }
  return eventsFromInput({ pods: pods as never }, nowAt);
}

describe('rollups, archive and backfill', () => {
  it('archiving keeps the counts (rollups survive it); an archived event delivered again is taken back', async () => {
    const t = await setup();
    const all = tenDays(now);
    for (let i = 0; i < all.length; i += 25) await ingestEvents(t.c, all.slice(i, i + 25), now);
    await compactRollups(t.c);
    const before = await expectExact(t);
    expect(before.total).toBe(180);
    const archiver = new Archiver(t.c, t.reader, { windowMs: 7 * DAY, now: () => now });
    expect((await archiver.run()).archived).toBe(54);
    await compactRollups(t.c);
    const after = await expectExact(t);
    expect({ ...after, archived: 0 }).toEqual({ ...before, archived: 0 });
    expect(after.archived).toBe(54);
    // A relist delivers old events again in a new batch: counted until the archiver drops the copies.
    const old = all.slice(0, 5);
    await ingestEvents(t.c, old, now);
    expect((await t.history.stats(WIDE.from, WIDE.to)).total).toBe(185);
    expect(await archiver.run()).toMatchObject({ alreadyArchived: 5 });
    expect((await expectExact(t)).total).toBe(180);
    await compactRollups(t.c);
    expect((await expectExact(t)).total).toBe(180);
    // The same run again takes nothing back twice.
    await archiver.run();
    expect((await expectExact(t)).total).toBe(180);
  });

  it('backfill: history recorded before rollups (in MongoDB and archived) is counted once, once', async () => {
    const t = await setup(false);
    // Pre-rollup history: plain records without a batch id, some archived already.
    const all = tenDays(now).map(historyOf);
    await t.c.history.insertMany(all);
    const archiver = new Archiver(t.c, t.reader, { windowMs: 7 * DAY, now: () => now });
    expect((await archiver.run()).archived).toBe(54);
    // Until the backfill is done, the raw aggregate answers (exact, to the millisecond).
    const narrow = { from: new Date(now.getTime() - 2 * DAY + 30 * 60_000), to: new Date(now.getTime() - DAY) };
    expect((await t.history.stats(narrow.from, narrow.to)).from).toEqual(narrow.from);
    expect(await t.history.rollupsReady()).toBe(false);

    // A crash before the flag is set: the rerun writes the same parts.
    vi.spyOn(t.c.meta, 'updateOne').mockRejectedValueOnce(new Error('crash before the flag'));
    await expect(backfillRollups(t.c, t.reader, now)).rejects.toThrow('crash before the flag');
    vi.restoreAllMocks();
    await compactRollups(t.c);
    // Two replicas starting at once.
    const both = await Promise.all([backfillRollups(t.c, t.reader, now), backfillRollups(t.c, t.reader, now)]);
    // Each counts the whole pre-rollup history, unless the other set the flag before it looked.
    expect(both.some((r) => r.ran)).toBe(true);
    for (const r of both) expect(r.ran ? r.events : 180).toBe(180);
    expect(await backfillRollups(t.c, t.reader, now)).toMatchObject({ ran: false });
    expect((await t.c.meta.findOne({ _id: BACKFILL_ID }))?.done).toBe(true);
    expect(await t.history.rollupsReady()).toBe(true);
    const stats = await expectExact(t);
    expect(stats).toMatchObject({ total: 180, archived: 54 });
    await compactRollups(t.c);
    expect(await expectExact(t)).toEqual(stats);

    // New events after the backfill go through batches; archiving them later changes nothing.
    await ingestEvents(
      t.c,
      events({ pods: [podEventInput({ rv: 9000, at: now, namespace: 'retail', name: 'late', phase: 'RUNNING' })] }),
      now,
    );
    await archiver.run();
    expect((await expectExact(t)).total).toBe(181);
  });
});
