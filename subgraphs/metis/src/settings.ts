import { HEIMDALL_CLIENT_SETTINGS } from '@dataos/heimdall-client';
import { parseSettings, setting, type Env } from '@dataos/settings';
import { KIT_SETTINGS, kitSettingsOf, type KitSettings } from '@dataos/subgraph-kit';

/** Metis's variables, the kit's and the Heimdall client's included: one start checks them all. */
export const METIS_SETTINGS = {
  ...KIT_SETTINGS,
  ...HEIMDALL_CLIENT_SETTINGS,
  PORT: setting.port({ default: 4002 }),
  /** Cursor sealing key; unset: a random key kept in Neo4j. */
  METIS_CURSOR_KEY: setting.text({}),
};

export interface MetisSettings {
  port: number;
  kit: KitSettings;
  heimdall: { url: string; timeoutMs: number };
  cursorKey: string | undefined;
}

export function metisSettingsFromEnv(env: Env = process.env): MetisSettings {
  const v = parseSettings(METIS_SETTINGS, env);
  return {
    port: v.PORT,
    kit: kitSettingsOf(v),
    heimdall: { url: v.HEIMDALL_URL, timeoutMs: v.HEIMDALL_TIMEOUT_MS },
    cursorKey: v.METIS_CURSOR_KEY,
  };
}
