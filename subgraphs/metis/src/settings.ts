import { HEIMDALL_CLIENT_SETTINGS } from '@dataos/heimdall-client';
import { parseSettings, setting, type Env } from '@dataos/settings';
import { KIT_SETTINGS, kitSettingsOf, type KitSettings } from '@dataos/subgraph-kit';
import { parseScanTargets, type ScanTarget } from './scan/config.js';
import { parseProfileSchedules } from './profile/config.js';
import type { ProfileSchedule } from './profile/service.js';

/** Metis's variables, the kit's and the Heimdall client's included: one start checks them all. */
export const METIS_SETTINGS = {
  ...KIT_SETTINGS,
  ...HEIMDALL_CLIENT_SETTINGS,
  PORT: setting.port({ default: 4002 }),
  /** Cursor sealing key; unset: a random key kept in Neo4j. */
  METIS_CURSOR_KEY: setting.text({}),
  /**
   * How lists, search and lineage are filtered: `grants` (one Heimdall `grants` call per request,
   * checked locally; per-object decisions only where a policy's condition needs the object) or
   * `decisions` (one decision per dataset, the behaviour before grants; kept for comparison).
   */
  METIS_LIST_AUTHZ: setting.oneOf(['grants', 'decisions'] as const, { default: 'grants' }),
  /**
   * The depots Metis scans (src/scan/config.ts): a JSON list of `{depot, type, url, catalog?,
   * everySeconds?, passwordEnv?}`. Text here, parsed apart: its errors never echo the value.
   */
  METIS_SCANS: setting.text({}),
  /** The Gateway's /graphql, for profiles (src/profile): unset, profiling is off. */
  METIS_GATEWAY_URL: setting.url({}),
  /** Datasets profiled on schedule: a JSON list of `{urn, everySeconds}` (src/profile/config.ts). */
  METIS_PROFILES: setting.text({}),
};

export interface MetisSettings {
  port: number;
  kit: KitSettings;
  heimdall: { url: string; timeoutMs: number };
  cursorKey: string | undefined;
  listAuthz: 'grants' | 'decisions';
  /** Depots scanned on demand and on schedule (METIS_SCANS). */
  scans: ScanTarget[];
  /** Profiles through the Gateway (METIS_GATEWAY_URL, METIS_PROFILES). */
  /** `retryMs`: first retry of a failed scheduled run (default 30 s; tests shorten it). */
  profiles: { gatewayUrl: string | undefined; schedules: ProfileSchedule[]; retryMs?: number };
}

export function metisSettingsFromEnv(env: Env = process.env): MetisSettings {
  const v = parseSettings(METIS_SETTINGS, env);
  return {
    port: v.PORT,
    kit: kitSettingsOf(v),
    heimdall: { url: v.HEIMDALL_URL, timeoutMs: v.HEIMDALL_TIMEOUT_MS },
    cursorKey: v.METIS_CURSOR_KEY,
    listAuthz: v.METIS_LIST_AUTHZ,
    scans: parseScanTargets(v.METIS_SCANS, env),
    profiles: { gatewayUrl: v.METIS_GATEWAY_URL, schedules: parseProfileSchedules(v.METIS_PROFILES) },
  };
}
