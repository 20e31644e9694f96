import { demoTables, demoUrn } from '@dataos/gateway';
import { DEV_TRINO_CLUSTER } from './seed-trino.js';

/**
 * METIS_PROFILES of `npm run dev`: every demo lakehouse table, hourly, on the Trino cluster when
 * the devstack has Trino (else where the Gateway routes it: the embedded DuckDB). Metis profiles
 * them as its own principal (Heimdall's seed policy `metis-profiler`), under the Gateway's masks.
 */
export function devProfileSchedules(trino: boolean): string {
  return JSON.stringify(
    demoTables().map((t) => ({
      urn: demoUrn(t),
      everySeconds: 3600,
      ...(trino ? { cluster: DEV_TRINO_CLUSTER } : {}),
    })),
  );
}
