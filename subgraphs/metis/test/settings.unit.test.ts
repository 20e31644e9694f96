import { describe, expect, it } from 'vitest';
import { SettingsError } from '@dataos/settings';
import { metisSettingsFromEnv } from '../src/settings.js';

describe("Metis's settings", () => {
  it('has the documented defaults and reads every one', () => {
    expect(metisSettingsFromEnv({})).toMatchObject({
      port: 4002,
      heimdall: { url: 'http://localhost:4001/graphql', timeoutMs: 2000 },
      cursorKey: undefined,
      listAuthz: 'grants',
      kit: { host: '127.0.0.1', maxBodyBytes: 1024 * 1024, logLevel: 'info' },
    });
    expect(
      metisSettingsFromEnv({
        PORT: '5002',
        HEIMDALL_URL: 'https://heimdall.internal/graphql',
        HEIMDALL_TIMEOUT_MS: '500',
        METIS_CURSOR_KEY: 'k',
        METIS_LIST_AUTHZ: 'decisions',
        MAX_COST: '0',
      }),
    ).toMatchObject({
      port: 5002,
      heimdall: { url: 'https://heimdall.internal/graphql', timeoutMs: 500 },
      cursorKey: 'k',
      listAuthz: 'decisions',
      kit: { limits: { maxCost: 0 } },
    });
  });

  it.each([
    ['PORT', '40o2'],
    ['HEIMDALL_URL', 'heimdall:4001'],
    ['HEIMDALL_TIMEOUT_MS', '2s'],
    ['MAX_BODY_SIZE', 'big'],
    ['LOG_LEVEL', 'loud'],
    ['MAX_ALIASES', '-1'],
    ['OIDC_JWKS_COOLDOWN_MS', '30s'],
    ['METIS_LIST_AUTHZ', 'grant'],
  ])('a typo fails at start: %s=%j, naming it and its value', (name, value) => {
    expect(() => metisSettingsFromEnv({ [name]: value })).toThrow(new RegExp(`^${name} must be `));
    expect(() => metisSettingsFromEnv({ [name]: value })).toThrow(`(got ${JSON.stringify(value)})`);
  });

  it('names every bad variable in one error', () => {
    try {
      metisSettingsFromEnv({ PORT: 'x', HEIMDALL_TIMEOUT_MS: 'y' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems.map((p) => p.variable).sort()).toEqual(['HEIMDALL_TIMEOUT_MS', 'PORT']);
      expect((error as Error).message.split('\n')).toHaveLength(2);
    }
  });
});
