import { HEIMDALL_CLIENT_SETTINGS } from '@dataos/heimdall-client';
import { METIS_CLIENT_SETTINGS } from '@dataos/metis-client';
import { ODIN_CLIENT_SETTINGS } from './concepts.js';
import { parseSettings, setting, type Env } from '@dataos/settings';
import { KIT_SETTINGS, kitSettingsOf, type KitSettings } from '@dataos/subgraph-kit';
import { DUCKDB_DEFAULTS, type DuckDbEngineOptions } from './engines/duckdb.js';
import { IMPERSONATION_MODES, type Impersonation } from './engines/trino.js';
import { DEFAULT_QUERY_TIMEOUT_MS, MAX_LIMIT } from './query.js';

/** The Gateway's variables, the kit's and its clients' included: one start checks them all (README, Settings). */
export const GATEWAY_SETTINGS = {
  ...KIT_SETTINGS,
  ...HEIMDALL_CLIENT_SETTINGS,
  ...METIS_CLIENT_SETTINGS,
  ...ODIN_CLIENT_SETTINGS,
  PORT: setting.port({ default: 4004 }),
  GATEWAY_MAX_ROWS: setting.int({ min: 1, default: MAX_LIMIT }),
  /** 0: no time limit. */
  GATEWAY_QUERY_TIMEOUT_MS: setting.durationMs({ min: 0, default: DEFAULT_QUERY_TIMEOUT_MS }),
  GATEWAY_POLICY_CACHE_MS: setting.durationMs({ min: 0, default: 2000 }),
  /** 0 turns the health checks off. */
  GATEWAY_HEALTH_INTERVAL_MS: setting.durationMs({ min: 0, default: 30_000 }),
  GATEWAY_DEFAULT_CLUSTER: setting.text({ default: 'minerva-default' }),
  GATEWAY_MASK_SECRET: setting.text({}),
  GATEWAY_DUCKDB_THREADS: setting.int({ min: 1, max: 1024, default: DUCKDB_DEFAULTS.threads }),
  // DuckDB's own syntax (`1GB`, `512MiB`): DuckDB checks it when the engine starts.
  GATEWAY_DUCKDB_MEMORY_LIMIT: setting.text({ default: DUCKDB_DEFAULTS.memoryLimit }),
  GATEWAY_DUCKDB_TEMP_DIRECTORY: setting.text({ default: DUCKDB_DEFAULTS.tempDirectory }),
  GATEWAY_MAX_RESULT_BYTES: setting.bytes({ min: 1, default: DUCKDB_DEFAULTS.maxResultBytes }),
  TRINO_USER: setting.text({ default: 'dataos-gateway' }),
  TRINO_PASSWORD: setting.text({}),
  /** `caller`: each query runs as its caller (Trino impersonation); `off`: as TRINO_USER. */
  TRINO_IMPERSONATION: setting.oneOf(IMPERSONATION_MODES, { default: 'caller' }),
};

export interface GatewaySettings {
  port: number;
  kit: KitSettings;
  heimdall: { url: string; timeoutMs: number };
  metis: { url: string; timeoutMs: number };
  /** Odin, for the columns' concepts (ODIN_URL, ODIN_TIMEOUT_MS). */
  odin: { url: string; timeoutMs: number };
  /** Largest page a query may ask (GATEWAY_MAX_ROWS). */
  maxRows: number;
  queryTimeoutMs: number;
  /** How long a replica reuses the data policies and the mask keyring (GATEWAY_POLICY_CACHE_MS). */
  policyCacheMs: number;
  healthIntervalMs: number;
  defaultCluster: string;
  /** The keyring's first master key, when set; its secret stays in the environment. */
  maskSecret: string | undefined;
  duckdb: Required<Pick<DuckDbEngineOptions, 'threads' | 'memoryLimit' | 'tempDirectory' | 'maxResultBytes'>>;
  trino: { user: string; password?: string; impersonation: Impersonation };
}

export function gatewaySettingsFromEnv(env: Env = process.env): GatewaySettings {
  const v = parseSettings(GATEWAY_SETTINGS, env);
  return {
    port: v.PORT,
    kit: kitSettingsOf(v),
    heimdall: { url: v.HEIMDALL_URL, timeoutMs: v.HEIMDALL_TIMEOUT_MS },
    metis: { url: v.METIS_URL, timeoutMs: v.METIS_TIMEOUT_MS },
    odin: { url: v.ODIN_URL, timeoutMs: v.ODIN_TIMEOUT_MS },
    maxRows: v.GATEWAY_MAX_ROWS,
    queryTimeoutMs: v.GATEWAY_QUERY_TIMEOUT_MS,
    policyCacheMs: v.GATEWAY_POLICY_CACHE_MS,
    healthIntervalMs: v.GATEWAY_HEALTH_INTERVAL_MS,
    defaultCluster: v.GATEWAY_DEFAULT_CLUSTER,
    maskSecret: v.GATEWAY_MASK_SECRET,
    duckdb: {
      threads: v.GATEWAY_DUCKDB_THREADS,
      memoryLimit: v.GATEWAY_DUCKDB_MEMORY_LIMIT,
      tempDirectory: v.GATEWAY_DUCKDB_TEMP_DIRECTORY,
      maxResultBytes: v.GATEWAY_MAX_RESULT_BYTES,
    },
    trino: {
      user: v.TRINO_USER,
      ...(v.TRINO_PASSWORD ? { password: v.TRINO_PASSWORD } : {}),
      impersonation: v.TRINO_IMPERSONATION,
    },
  };
}
