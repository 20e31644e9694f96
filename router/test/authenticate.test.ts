import { describe, expect, it } from 'vitest';
import {
  bearerChallenge,
  describeTokenFailure,
  headerRefusal,
  tokenRefusal,
  unauthenticatedError,
} from '../src/authz/authenticate.js';
import { DecisionCache } from '../src/authz/decision-cache.js';
import type { RouterAuthorization } from '@dataos/heimdall-client';

const jwt = (header: object, payload: object) =>
  `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe('headerRefusal', () => {
  it('accepts "Bearer <token>" in any case, and refuses every other shape', () => {
    expect(headerRefusal('Bearer abc.def-_~+/=')).toBeUndefined();
    expect(headerRefusal('bearer abc')).toBeUndefined();
    expect(headerRefusal('Basic dXNlcjpwYXNz')).toMatchObject({ reason: 'unsupported_scheme' });
    expect(headerRefusal('Basic dXNlcjpwYXNz')?.challenge).toBeUndefined();
    expect(headerRefusal('Bearer')).toMatchObject({ reason: 'malformed_header', challenge: 'invalid_request' });
    expect(headerRefusal('Bearer a b')).toMatchObject({ reason: 'malformed_header' });
    expect(headerRefusal('Bearer a"b')).toMatchObject({ reason: 'malformed_header' });
    expect(headerRefusal('abc.def.ghi')).toMatchObject({ reason: 'unsupported_scheme' });
  });
});

describe('describeTokenFailure', () => {
  it('says when an expired token expired, and for whom a token of another audience was issued', () => {
    const token = jwt({ alg: 'RS256' }, { exp: 1_796_148_000, aud: 'urn:other', iss: 'https://evil.example' });
    expect(describeTokenFailure('expired', token, null)).toBe('it expired at 2026-12-01T18:00:00Z');
    expect(describeTokenFailure('wrong_audience', token, null)).toBe(
      "it was issued for the audience 'urn:other', not for this API",
    );
    expect(describeTokenFailure('wrong_issuer', token, null)).toBe("its issuer 'https://evil.example' is not trusted");
    expect(describeTokenFailure('expired', 'opaque', null)).toBe('it has expired');
    // A word the router does not know: Heimdall's own sentence.
    expect(describeTokenFailure('revoked_yesterday', 'opaque', 'The token was revoked.')).toBe('the token was revoked');
  });

  it('builds an RFC 6750 challenge whose quoted values hold no quote, backslash or non-ASCII', () => {
    const token = jwt({ alg: 'RS256' }, { aud: 'a"b\\c\u00e9' });
    const refusal = tokenRefusal('wrong_audience', token, null);
    expect(refusal.message).toBe(
      "The access token is not valid: it was issued for the audience 'a?b?c?', not for this API",
    );
    expect(bearerChallenge(refusal)).toBe(`Bearer error="invalid_token", error_description="${refusal.message}"`);
    const error = unauthenticatedError(refusal);
    expect(error.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'wrong_audience',
      http: { status: 401 },
    });
  });
});

describe('DecisionCache and refused tokens', () => {
  const cacheAnswering = (answer: Partial<RouterAuthorization>) => {
    const calls: string[] = [];
    const cache = new DecisionCache({
      ttlMs: 30_000,
      size: 10,
      ask: async (token) => {
        calls.push(token);
        return { authenticated: false, reason: 'refused', scopes: [], policies: [], expiresAt: null, ...answer };
      },
    });
    return { cache, calls };
  };

  it('marks a token Heimdall refused as not valid, with its reason', async () => {
    const { cache } = cacheAnswering({ tokenFailure: 'invalid_signature' });
    const caller = await cache.authorize('Bearer t', []);
    expect(caller.invalidToken).toMatchObject({ reason: 'invalid_signature', challenge: 'invalid_token' });
    expect(caller.unavailable).toBeUndefined();
  });

  it('does not blame the token when Heimdall could not verify it (issuer unreachable): fail closed, no 401', async () => {
    const { cache } = cacheAnswering({
      tokenFailure: 'issuer_unavailable',
      reason: 'The token issuer could not be reached to verify the token.',
    });
    const caller = await cache.authorize('Bearer t', []);
    expect(caller.invalidToken).toBeUndefined();
    expect(caller).toMatchObject({ authenticated: false, unavailable: true });
  });

  it('keeps a refusal for the short refusal TTL: a burst with one bad token asks once', async () => {
    const { cache, calls } = cacheAnswering({ tokenFailure: 'expired' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => cache.authorize('Bearer t', ['p'])));
    expect(answers.every((a) => a.invalidToken?.reason === 'expired')).toBe(true);
    await cache.authorize('Bearer t', ['q']);
    expect(calls).toHaveLength(1);
  });
});
