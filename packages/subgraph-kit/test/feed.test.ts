import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongo, type TestMongo } from '@dataos/testkit';
import { SequencedFeed, type FeedNotice } from '../src/subscriptions/feed.js';
import type { BoundedQueue } from '../src/subscriptions/bounded-queue.js';

type Item = { writer: string; n: number };

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await testMongo('CARETAKER', 'kit_feed_test_');
});
afterAll(async () => {
  await mongo?.drop();
});

const feedOn = (name: string, options: ConstructorParameters<typeof SequencedFeed>[2] = {}) =>
  new SequencedFeed<Item>(mongo.db, name, { pollMs: 20, ...options });

async function take<T>(queue: BoundedQueue<T>, n: number, timeoutMs = 10_000): Promise<T[]> {
  const out: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const next = await Promise.race([
      queue.next(),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), Math.max(1, deadline - Date.now()))),
    ]);
    if (next === 'timeout') throw new Error(`got ${out.length} of ${n}`);
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('SequencedFeed on the store (two replicas on one collection)', () => {
  it('concurrent writers on two replicas get distinct, gap-free numbers; both replicas deliver everything in that order', async () => {
    const [a, b] = [feedOn('feed_race', { bucketSize: 8 }), feedOn('feed_race', { bucketSize: 8 })];
    await Promise.all([a.start(), b.start()]);
    const subA = await a.subscribe({ select: (i: Item) => i, limit: 1000 });
    const subB = await b.subscribe({ select: (i: Item) => i, limit: 1000 });
    const writes = await Promise.all(
      Array.from({ length: 15 }, (_, n) => [a.append([{ writer: 'a', n }]), b.append([{ writer: 'b', n }])]).flat(),
    );
    const seqs = writes.flat().sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const [gotA, gotB] = await Promise.all([take(subA, 30), take(subB, 30)]);
    expect(gotA.map((x) => x.seq)).toEqual(seqs);
    expect(gotB.map((x) => x.seq)).toEqual(seqs);
    // Per writer, in the order it wrote.
    for (const w of ['a', 'b']) {
      expect(gotA.filter((x) => x.value.writer === w).map((x) => x.value.n)).toEqual([...Array(15).keys()]);
    }
    await Promise.all([a.stop(), b.stop()]);
    expect(await subA.next()).toEqual({ value: undefined, done: true });
  });

  it('splits large appends into documents, and resumes after any position', async () => {
    const feed = feedOn('feed_resume', { maxItemsPerDoc: 3, bucketSize: 2 });
    await feed.start();
    const seqs = await feed.append(Array.from({ length: 7 }, (_, n) => ({ writer: 'w', n })));
    expect(seqs).toEqual([1, 2, 3]);
    const after = { seq: 2, index: 0 }; // item 3 was seen
    const resumed = await feed.subscribe({ select: (i: Item) => i.n, after, limit: 100 });
    const got: FeedNotice<number>[] = await take(resumed, 3);
    expect(got.map((x) => x.value)).toEqual([4, 5, 6]);
    await feed.append([{ writer: 'w', n: 7 }]);
    expect((await take(resumed, 1)).map((x) => x.value)).toEqual([7]);
    expect(feed.positionOf('k', feed.cursor('k', got[0]!))).toEqual({ seq: 2, index: 1 });
    expect(() => feed.positionOf('other', feed.cursor('k', got[0]!))).toThrow('not valid here');
    await feed.stop();
  });

  it('drops whole buckets past the retention but keeps the newest number; a cursor older than what is kept is BAD_USER_INPUT', async () => {
    const feed = feedOn('feed_trim', { retentionMs: 60_000, bucketSize: 1 });
    await feed.start();
    await feed.append([{ writer: 'w', n: 1 }]);
    await feed.append([{ writer: 'w', n: 2 }]);
    await feed.append([{ writer: 'w', n: 3 }]);
    expect(await feed.trim(Date.now() + 120_000)).toBe(2);
    await new Promise((r) => setTimeout(r, 100));
    const error = await feed
      .subscribe({ select: (i: Item) => i, after: { seq: 1, index: 0 }, limit: 10 })
      .catch((e) => e);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    // Numbering goes on after the kept document.
    expect(await feed.append([{ writer: 'w', n: 4 }])).toEqual([4]);
    await feed.stop();
  });

  it('fails a subscriber that falls further behind than its limit', async () => {
    const feed = feedOn('feed_slow');
    await feed.start();
    const slow = await feed.subscribe({ select: (i: Item) => i, limit: 2 });
    expect(feed.subscriberCount).toBe(1);
    await feed.append([1, 2, 3, 4].map((n) => ({ writer: 'w', n })));
    for (let i = 0; i < 100 && feed.subscriberCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(feed.subscriberCount).toBe(0);
    await expect(slow.next()).rejects.toThrow('read too slowly');
    await feed.stop();
  });
});
