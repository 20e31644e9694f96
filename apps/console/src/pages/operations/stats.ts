/** Boundaries and rows for the pod events chart (twelve consecutive ranges, whole hours). */

export const STEPS = { hour: 3_600_000, '4 hours': 4 * 3_600_000, day: 86_400_000 } as const;
export type Step = keyof typeof STEPS;
const HOUR = 3_600_000;

/** Thirteen boundaries f0..f12 ending at the next whole hour after `now`. */
export function boundaries(step: Step, now: number): Record<string, string> {
  const end = Math.ceil(now / HOUR) * HOUR;
  const out: Record<string, string> = {};
  for (let i = 0; i <= 12; i++) out[`f${i}`] = new Date(end - (12 - i) * STEPS[step]).toISOString();
  return out;
}

export interface StatsBucket {
  from: string;
  total: number;
  byPhase: readonly { phase: string; count: number }[];
}

/** One chart row per range: its label and a count per phase (zeros included, so stacks line up). */
export function chartRows(buckets: readonly (StatsBucket | null | undefined)[], step: Step) {
  return buckets.map((b, i) => {
    const row: Record<string, string | number> = {
      label: b ? label(b.from, step) : `#${i}`,
      total: b?.total ?? 0,
    };
    for (const phase of ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN']) {
      row[phase] = b?.byPhase.find((p) => p.phase === phase)?.count ?? 0;
    }
    return row;
  });
}

function label(iso: string, step: Step): string {
  const d = new Date(iso);
  return step === 'day'
    ? d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
    : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
