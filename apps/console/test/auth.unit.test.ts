import { describe, expect, it } from 'vitest';
import { safeReturnPath } from '../src/auth/CallbackPage.js';
import { keyBy } from '../src/graphql/client.js';

describe('where the sign-in callback returns to', () => {
  it('returns to the page the user was on', () => {
    expect(safeReturnPath({ returnTo: '/datasets/x?tab=1#column-email' })).toBe('/datasets/x?tab=1#column-email');
  });

  it('never leaves the console on a forged state', () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/x', 'javascript:alert(1)', 42, undefined]) {
      expect(safeReturnPath({ returnTo })).toBe('/');
    }
    expect(safeReturnPath(undefined)).toBe('/');
  });
});

describe('cache keys', () => {
  const key = keyBy('datasetUrn', 'name') as (o: Record<string, unknown>) => string | undefined;

  it('keys by natural identifiers when present', () => {
    expect(key({ __typename: 'Column', datasetUrn: 'u', name: 'email' })).toBe('Column:["u","email"]');
  });

  it('leaves an object inside its parent when a key field was not asked for', () => {
    expect(key({ __typename: 'Column', name: 'email' })).toBeUndefined();
  });
});
