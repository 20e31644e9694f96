import { describe, expect, it } from 'vitest';
import { SettingsError } from '@dataos/settings';
import { odinSettingsFromEnv } from '../src/settings.js';

describe("Odin's settings", () => {
  it('has the documented defaults and reads every one', () => {
    expect(odinSettingsFromEnv({})).toMatchObject({
      port: 4003,
      heimdall: { url: 'http://localhost:4001/graphql', timeoutMs: 2000 },
      metis: { url: 'http://localhost:4002/graphql', timeoutMs: 5000 },
    });
    expect(
      odinSettingsFromEnv({
        PORT: '5003',
        METIS_URL: 'https://metis.internal/graphql',
        METIS_TIMEOUT_MS: '800',
        HOST: '0.0.0.0',
      }),
    ).toMatchObject({
      port: 5003,
      metis: { url: 'https://metis.internal/graphql', timeoutMs: 800 },
      kit: { host: '0.0.0.0' },
    });
  });

  it.each([
    ['PORT', '4003x'],
    ['METIS_URL', 'localhost:4002'],
    ['METIS_TIMEOUT_MS', '5 s'],
    ['HEIMDALL_URL', 'ftp://heimdall'],
    ['MAX_DEPTH', 'deep'],
    ['OIDC_ALLOW_INSECURE', 'yes'],
  ])('a typo fails at start: %s=%j, naming it and its value', (name, value) => {
    expect(() => odinSettingsFromEnv({ [name]: value })).toThrow(new RegExp(`^${name} must be `));
    expect(() => odinSettingsFromEnv({ [name]: value })).toThrow(`(got ${JSON.stringify(value)})`);
  });

  it('names every bad variable in one error', () => {
    try {
      odinSettingsFromEnv({ METIS_URL: 'x', METIS_TIMEOUT_MS: 'y' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems.map((p) => p.variable)).toEqual(['METIS_URL', 'METIS_TIMEOUT_MS']);
    }
  });
});
