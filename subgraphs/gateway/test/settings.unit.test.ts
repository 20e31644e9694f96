import { describe, expect, it } from 'vitest';
import { SettingsError } from '@dataos/settings';
import { gatewaySettingsFromEnv } from '../src/settings.js';

describe("the Gateway's settings", () => {
  it('has the documented defaults', () => {
    expect(gatewaySettingsFromEnv({})).toMatchObject({
      port: 4004,
      heimdall: { url: 'http://localhost:4001/graphql', timeoutMs: 2000 },
      metis: { url: 'http://localhost:4002/graphql', timeoutMs: 5000 },
      maxRows: 10_000,
      queryTimeoutMs: 30_000,
      policyCacheMs: 2000,
      healthIntervalMs: 30_000,
      defaultCluster: 'minerva-default',
      maskSecret: undefined,
      duckdb: { threads: 2, memoryLimit: '1GB', tempDirectory: '', maxResultBytes: 16 * 1024 * 1024 },
      trino: { user: 'dataos-gateway' },
      kit: { maxBodyBytes: 1024 * 1024, logLevel: 'info', limits: { maxDepth: 15 } },
    });
  });

  it('reads every one', () => {
    const s = gatewaySettingsFromEnv({
      PORT: '5004',
      METIS_URL: 'https://metis.internal/graphql',
      GATEWAY_MAX_ROWS: '500',
      GATEWAY_QUERY_TIMEOUT_MS: '0',
      GATEWAY_POLICY_CACHE_MS: '100',
      GATEWAY_HEALTH_INTERVAL_MS: '0',
      GATEWAY_DEFAULT_CLUSTER: 'minerva-b',
      GATEWAY_MASK_SECRET: 's3cret-0123456789',
      GATEWAY_DUCKDB_THREADS: '8',
      GATEWAY_DUCKDB_MEMORY_LIMIT: '4GB',
      GATEWAY_MAX_RESULT_BYTES: '32mb',
      TRINO_USER: 'gw',
      TRINO_PASSWORD: 'pw',
    });
    expect(s).toMatchObject({
      port: 5004,
      metis: { url: 'https://metis.internal/graphql' },
      maxRows: 500,
      queryTimeoutMs: 0,
      policyCacheMs: 100,
      healthIntervalMs: 0,
      defaultCluster: 'minerva-b',
      maskSecret: 's3cret-0123456789',
      duckdb: { threads: 8, memoryLimit: '4GB', maxResultBytes: 32 * 1024 * 1024 },
      trino: { user: 'gw', password: 'pw' },
    });
  });

  it.each([
    ['GATEWAY_MAX_ROWS', '10k'],
    ['GATEWAY_MAX_ROWS', '0'],
    ['GATEWAY_QUERY_TIMEOUT_MS', '30s'],
    ['GATEWAY_POLICY_CACHE_MS', '-1'],
    ['GATEWAY_HEALTH_INTERVAL_MS', 'off'],
    ['GATEWAY_DUCKDB_THREADS', 'two'],
    ['GATEWAY_MAX_RESULT_BYTES', '16 MiB'],
    ['METIS_URL', 'metis:4002'],
    ['HEIMDALL_TIMEOUT_MS', '2s'],
    ['PORT', '4oo4'],
  ])('a typo fails at start: %s=%j, naming it and its value', (name, value) => {
    expect(() => gatewaySettingsFromEnv({ [name]: value })).toThrow(new RegExp(`^${name} must be `));
    expect(() => gatewaySettingsFromEnv({ [name]: value })).toThrow(`(got ${JSON.stringify(value)})`);
  });

  it('names every bad variable in one error', () => {
    try {
      gatewaySettingsFromEnv({ GATEWAY_MAX_ROWS: '10k', GATEWAY_DUCKDB_THREADS: '0', METIS_URL: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).problems.map((p) => p.variable).sort()).toEqual([
        'GATEWAY_DUCKDB_THREADS',
        'GATEWAY_MAX_ROWS',
        'METIS_URL',
      ]);
    }
  });
});
