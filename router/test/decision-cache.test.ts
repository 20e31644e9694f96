import { describe, expect, it } from 'vitest';
import type { RouterAuthorization } from '@dataos/heimdall-client';
import { DecisionCache, bearerToken, jwtExpiryMs, tokenHash } from '../src/authz/decision-cache.js';

const jwt = (exp: number) =>
  `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'alice', exp })).toString('base64url')}.sig`;

function setup(
  options: { ttlMs?: number; expiresAt?: (now: number) => number | null; fail?: boolean; refuse?: () => boolean } = {},
) {
  let now = 1_000_000_000_000;
  const calls: { token: string; policies: string[] }[] = [];
  const cache = new DecisionCache({
    ttlMs: options.ttlMs ?? 30_000,
    size: 100,
    now: () => now,
    ask: async (token, policies): Promise<RouterAuthorization> => {
      calls.push({ token, policies });
      if (options.fail) throw new Error('connection refused');
      if (options.refuse?.()) {
        const denied = policies.map((name) => ({ name, allowed: false, reason: 'not authenticated' }));
        return {
          authenticated: false,
          reason: 'JWKS could not be fetched',
          scopes: [],
          policies: denied,
          expiresAt: null,
        };
      }
      const expiresAt = options.expiresAt ? options.expiresAt(now) : now + 3_600_000;
      return {
        authenticated: true,
        reason: null,
        scopes: ['openid'],
        policies: policies.map((name) => ({ name, allowed: name.startsWith('yes'), reason: '' })),
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      };
    },
  });
  return { cache, calls, advance: (ms: number) => (now += ms), now: () => now };
}

describe('DecisionCache', () => {
  it('asks Heimdall once per token within the TTL', async () => {
    const { cache, calls, advance } = setup();
    const token = jwt(Math.floor(Date.now() / 1000) + 3600) + 'x';
    const first = await cache.authorize(`Bearer ${token}`, ['yes-a']);
    expect(first.policies.get('yes-a')).toBe(true);
    advance(29_000);
    await cache.authorize(`Bearer ${token}`, ['yes-a']);
    expect(calls).toHaveLength(1);
    advance(2_000);
    await cache.authorize(`Bearer ${token}`, ['yes-a']);
    expect(calls).toHaveLength(2);
  });

  it('never keeps an answer past the expiry Heimdall gives', async () => {
    const { cache, calls, advance } = setup({ expiresAt: (now) => now + 5_000 });
    await cache.authorize('Bearer opaque-token', []);
    advance(4_000);
    await cache.authorize('Bearer opaque-token', []);
    expect(calls).toHaveLength(1);
    advance(1_001);
    await cache.authorize('Bearer opaque-token', []);
    expect(calls).toHaveLength(2);
  });

  it("never keeps an answer past the JWT's own exp", async () => {
    const { cache, calls, advance, now } = setup({ expiresAt: () => null });
    const token = jwt(Math.floor(now() / 1000) + 2);
    await cache.authorize(`Bearer ${token}`, []);
    advance(1_000);
    await cache.authorize(`Bearer ${token}`, []);
    expect(calls).toHaveLength(1);
    advance(2_000);
    await cache.authorize(`Bearer ${token}`, []);
    expect(calls).toHaveLength(2);
  });

  it('asks again for policies it has not asked about for that token, and merges', async () => {
    const { cache, calls } = setup();
    await cache.authorize('Bearer t1', ['yes-a']);
    const both = await cache.authorize('Bearer t1', ['yes-a', 'no-b']);
    expect(calls.map((c) => c.policies)).toEqual([['yes-a'], ['no-b']]);
    expect([...both.policies]).toEqual([
      ['yes-a', true],
      ['no-b', false],
    ]);
    await cache.authorize('Bearer t1', ['no-b', 'yes-a']);
    expect(calls).toHaveLength(2);
  });

  it('shares one call between concurrent requests with the same token', async () => {
    const { cache, calls } = setup();
    await Promise.all(Array.from({ length: 10 }, () => cache.authorize('Bearer same', ['yes-a'])));
    expect(calls).toHaveLength(1);
  });

  it('keeps tokens apart', async () => {
    const { cache, calls } = setup();
    await cache.authorize('Bearer one', []);
    await cache.authorize('Bearer two', []);
    expect(calls.map((c) => c.token)).toEqual(['one', 'two']);
  });

  it('does not call Heimdall without a token', async () => {
    const { cache, calls } = setup();
    const anonymous = await cache.authorize(undefined, ['yes-a']);
    expect(anonymous.authenticated).toBe(false);
    expect(await cache.authorize('Basic dXNlcjpwYXNz', [])).toMatchObject({ authenticated: false });
    expect(calls).toHaveLength(0);
  });

  it('fails closed and caches nothing when Heimdall cannot be asked', async () => {
    const { cache, calls } = setup({ fail: true });
    const caller = await cache.authorize('Bearer t', ['yes-a']);
    expect(caller).toMatchObject({ authenticated: false, unavailable: true });
    await cache.authorize('Bearer t', ['yes-a']);
    expect(calls).toHaveLength(2);
  });

  it('keeps a refusal of the token for a second only: a passing verification error does not lock the user out', async () => {
    let refusing = true;
    const { cache, calls, advance } = setup({ refuse: () => refusing });
    const refused = await cache.authorize('Bearer good-token', ['yes-a']);
    expect(refused.authenticated).toBe(false);
    advance(500);
    expect((await cache.authorize('Bearer good-token', ['yes-a'])).authenticated).toBe(false);
    expect((await cache.authorize('Bearer good-token', ['yes-b'])).authenticated).toBe(false);
    expect(calls).toHaveLength(1); // a flood of bad tokens still asks once a second at most
    refusing = false;
    advance(600);
    const allowed = await cache.authorize('Bearer good-token', ['yes-a']);
    expect(allowed.authenticated).toBe(true);
    expect(allowed.policies.get('yes-a')).toBe(true);
    expect(calls).toHaveLength(2);
    // The allowing answer keeps the full TTL.
    advance(20_000);
    await cache.authorize('Bearer good-token', ['yes-a']);
    expect(calls).toHaveLength(2);
  });

  it('lets a valid token in as soon as Heimdall is back', async () => {
    let down = true;
    const { cache, calls } = setup();
    const ask = (cache as unknown as { options: { ask: (...a: unknown[]) => Promise<unknown> } }).options;
    const real = ask.ask;
    ask.ask = async (...args) => {
      if (down) throw new Error('connection refused');
      return real(...args);
    };
    expect((await cache.authorize('Bearer t', ['yes-a'])).unavailable).toBe(true);
    down = false;
    expect((await cache.authorize('Bearer t', ['yes-a'])).authenticated).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('caches nothing with a TTL of 0', async () => {
    const { cache, calls } = setup({ ttlMs: 0 });
    await cache.authorize('Bearer t', []);
    await cache.authorize('Bearer t', []);
    expect(calls).toHaveLength(2);
  });
});

describe('token helpers', () => {
  it('reads bearer tokens, JWT expiry and hashes tokens', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(jwtExpiryMs(jwt(1234))).toBe(1_234_000);
    expect(jwtExpiryMs('opaque')).toBeUndefined();
    expect(tokenHash('a')).not.toContain('a'.repeat(2));
    expect(tokenHash('a')).toHaveLength(43);
  });
});
