import { z } from 'zod';
import { CLUSTER_NAME } from '@dataos/names';
import { assertUrn } from '../urn.js';
import type { ProfileSchedule } from './service.js';

const SCHEDULES = z
  .array(
    z
      .object({
        urn: z.string(),
        everySeconds: z
          .number()
          .int()
          .min(60)
          .max(7 * 86_400),
        cluster: z.string().regex(CLUSTER_NAME, 'cluster is a Minerva cluster name (a-z, 0-9, -)').optional(),
      })
      .strict(),
  )
  .max(1000);

/**
 * METIS_PROFILES: `[{"urn": "dataos://...", "everySeconds": 3600, "cluster": "minerva-trino"}]`,
 * the datasets profiled on schedule (`cluster` optional: the Gateway's routing without it).
 */
export function parseProfileSchedules(text: string | undefined): ProfileSchedule[] {
  if (!text?.trim()) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('METIS_PROFILES is not JSON: expected [{"urn": "dataos://...", "everySeconds": 3600}].');
  }
  const parsed = SCHEDULES.safeParse(json);
  if (!parsed.success) throw new Error(`METIS_PROFILES: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  for (const s of parsed.data) assertUrn(s.urn, 'METIS_PROFILES.urn');
  return parsed.data;
}
