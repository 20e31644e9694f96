import { describe, expect, it } from 'vitest';
import { Lru, textBytes } from '../src/lru.js';

describe('Lru', () => {
  it('forgets the least recently used entry and expired ones', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    lru.set('d', 4, 1000);
    expect(lru.get('d', 999)).toBe(4);
    expect(lru.get('d', 1000)).toBeUndefined();
  });

  it('bounded in bytes forgets old entries when big ones come, and never keeps one larger than the bound', () => {
    const lru = new Lru<string, string>({ max: 1000, maxBytes: 100, sizeOf: (v) => v.length });
    for (let i = 0; i < 10; i++) lru.set(`k${i}`, 'x'.repeat(20));
    expect(lru.size).toBe(5);
    expect(lru.bytes).toBe(100);
    expect(lru.get('k0')).toBeUndefined();
    expect(lru.get('k9')).toBe('x'.repeat(20));
    lru.set('huge', 'x'.repeat(101));
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.bytes).toBeLessThanOrEqual(100);
  });

  it('refuses a bound below one entry, and counts no bytes without a byte bound', () => {
    expect(() => new Lru(0)).toThrow(/at least 1/);
    const lru = new Lru<string, string>(3);
    lru.set('a', 'x'.repeat(1000));
    expect(lru.bytes).toBe(0);
    expect(lru.delete('a')).toBe(true);
    expect(lru.size).toBe(0);
  });

  it('sizes text as UTF-16, so a cache of parse trees is bounded by what they take', () => {
    expect(textBytes('ab', 'c')).toBe(6);
    expect(textBytes()).toBe(0);
    const lru = new Lru<string, string>({ max: 100, maxBytes: 40, sizeOf: (v, k) => textBytes(v, k) });
    lru.set('k1', 'x'.repeat(8));
    lru.set('k2', 'x'.repeat(8));
    expect(lru.bytes).toBe(40);
    lru.set('k3', 'x');
    expect(lru.get('k1')).toBeUndefined();
  });
});
