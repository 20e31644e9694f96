import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@dataos/operation-walker';
import { kitSettingsFromEnv } from '../src/settings.js';

const SUBSCRIPTIONS = {
  perConnection: 100,
  perSubject: 500,
  bufferEvents: 10_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  keepAliveMs: 12_000,
  initTimeoutMs: 10_000,
  maxConnections: 10_000,
};

describe("the kit's settings", () => {
  it('defaults: 127.0.0.1, a 1 MiB body, info logs, the shared limits', () => {
    expect(kitSettingsFromEnv({})).toEqual({
      host: '127.0.0.1',
      maxBodyBytes: 1024 * 1024,
      logLevel: 'info',
      limits: DEFAULT_LIMITS,
      subscriptions: SUBSCRIPTIONS,
      serviceIdentity: { mode: 'off', trustedCallers: [] },
    });
  });

  it('reads every one, body sizes as Express reads them', () => {
    expect(
      kitSettingsFromEnv({
        HOST: '0.0.0.0',
        MAX_BODY_SIZE: '512kb',
        LOG_LEVEL: 'silent',
        MAX_DEPTH: '7',
        MAX_COST: '0',
        SUBSCRIPTIONS_PER_CONNECTION: '10',
        SUBSCRIPTION_BUFFER: '50',
        SUBSCRIPTION_KEEPALIVE_MS: '0',
        SERVICE_IDENTITY: 'required',
        SERVICE_CLIENT_ID: 'dataos-svc-odin',
        SERVICE_CLIENT_SECRET: 's3cret',
        SERVICE_TRUSTED_CALLERS: 'dataos-router, dataos-svc-gateway',
      }),
    ).toEqual({
      host: '0.0.0.0',
      maxBodyBytes: 512 * 1024,
      logLevel: 'silent',
      limits: { ...DEFAULT_LIMITS, maxDepth: 7, maxCost: 0 },
      subscriptions: { ...SUBSCRIPTIONS, perConnection: 10, bufferEvents: 50, keepAliveMs: 0 },
      serviceIdentity: {
        mode: 'required',
        trustedCallers: ['dataos-router', 'dataos-svc-gateway'],
        credentials: { clientId: 'dataos-svc-odin', clientSecret: 's3cret' },
      },
    });
  });

  it('service identity: half a client, or required with nobody trusted, fails the start', () => {
    expect(() => kitSettingsFromEnv({ SERVICE_CLIENT_ID: 'dataos-svc-odin' })).toThrow(
      'SERVICE_CLIENT_SECRET must be set: set with SERVICE_CLIENT_ID',
    );
    expect(() => kitSettingsFromEnv({ SERVICE_IDENTITY: 'required' })).toThrow(/^SERVICE_TRUSTED_CALLERS must be set/);
    expect(() => kitSettingsFromEnv({ SERVICE_IDENTITY: 'on' })).toThrow(
      'SERVICE_IDENTITY must be one of required, off (got "on")',
    );
  });

  it('a typo fails with every bad variable named', () => {
    expect(() =>
      kitSettingsFromEnv({ MAX_BODY_SIZE: '1 MB please', LOG_LEVEL: 'verbose', MAX_SELECTIONS: '1e4' }),
    ).toThrow(
      [
        'MAX_BODY_SIZE must be a size in bytes ≥ 1 such as 1048576, 512kb or 1mb (got "1 MB please")',
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
        'MAX_SELECTIONS must be an integer ≥ 0 (got "1e4")',
      ].join('\n'),
    );
  });
});
