import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../src/subscriptions/bounded-queue.js';
import { SlowConsumerError } from '../src/subscriptions/close-codes.js';
import { SubscriptionQuota } from '../src/subscriptions/quota.js';

describe('BoundedQueue', () => {
  it('hands items over in order, to a waiting reader at once', async () => {
    const q = new BoundedQueue<number>(3);
    const waiting = q.next();
    expect(q.push(1)).toBe(true);
    expect(await waiting).toEqual({ value: 1, done: false });
    q.push(2);
    q.push(3);
    expect(q.size).toBe(2);
    expect(await q.next()).toEqual({ value: 2, done: false });
    expect(await q.next()).toEqual({ value: 3, done: false });
  });

  it('fails a reader that falls more than `limit` behind, dropping what it held', async () => {
    let closed = 0;
    const q = new BoundedQueue<number>(2, () => closed++);
    expect([q.push(1), q.push(2), q.push(3)]).toEqual([true, true, false]);
    expect(q.size).toBe(0);
    expect(closed).toBe(1);
    await expect(q.next()).rejects.toBeInstanceOf(SlowConsumerError);
    expect(await q.next()).toEqual({ value: undefined, done: true });
    expect(q.push(4)).toBe(false);
  });

  it('fails a waiting reader at once', async () => {
    const q = new BoundedQueue<number>(2);
    const waiting = q.next();
    q.fail(new Error('store down'));
    await expect(waiting).rejects.toThrow('store down');
  });

  it('end() lets the reader finish what is buffered; return() ends a waiting reader and calls onClose once', async () => {
    let closed = 0;
    const q = new BoundedQueue<number>(5, () => closed++);
    q.push(1);
    q.end();
    expect(await q.next()).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: undefined, done: true });
    const r = new BoundedQueue<number>(5, () => closed++);
    const waiting = r.next();
    await r.return();
    await r.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(closed).toBe(2);
  });
});

describe('SubscriptionQuota', () => {
  it('counts per key up to the limit and forgets keys at zero', () => {
    const quota = new SubscriptionQuota(2);
    expect([quota.acquire('a'), quota.acquire('a'), quota.acquire('a'), quota.acquire('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(quota.count('a')).toBe(2);
    quota.release('a');
    expect(quota.acquire('a')).toBe(true);
    quota.release('b');
    quota.release('b'); // more releases than acquires never go negative
    expect(quota.count('b')).toBe(0);
    expect(quota.keys).toBe(1);
  });
});
