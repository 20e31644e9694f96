import { HEIMDALL_CLIENT_SETTINGS } from '@dataos/heimdall-client';
import { METIS_CLIENT_SETTINGS } from '@dataos/metis-client';
import { parseSettings, setting, type Env } from '@dataos/settings';
import { KIT_SETTINGS, kitSettingsOf, type KitSettings } from '@dataos/subgraph-kit';

/** Odin's variables: the kit's and its clients' (Heimdall, Metis) and its port; one start checks them all. */
export const ODIN_SETTINGS = {
  ...KIT_SETTINGS,
  ...HEIMDALL_CLIENT_SETTINGS,
  ...METIS_CLIENT_SETTINGS,
  PORT: setting.port({ default: 4003 }),
};

export interface OdinSettings {
  port: number;
  kit: KitSettings;
  heimdall: { url: string; timeoutMs: number };
  metis: { url: string; timeoutMs: number };
}

export function odinSettingsFromEnv(env: Env = process.env): OdinSettings {
  const v = parseSettings(ODIN_SETTINGS, env);
  return {
    port: v.PORT,
    kit: kitSettingsOf(v),
    heimdall: { url: v.HEIMDALL_URL, timeoutMs: v.HEIMDALL_TIMEOUT_MS },
    metis: { url: v.METIS_URL, timeoutMs: v.METIS_TIMEOUT_MS },
  };
}
