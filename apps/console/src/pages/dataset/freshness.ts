const UNITS: [string, number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/** "3 d 4 h", "5 h", "2 min 5 s": the largest unit and the next one when not zero. */
export function formatDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const first = UNITS.findIndex(([, size]) => rest >= size);
  if (first === -1) return '0 s';
  const parts: string[] = [];
  for (const [label, size] of UNITS.slice(first, first + 2)) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n} ${label}`);
  }
  return parts.join(' ');
}

export interface FreshnessFacts {
  lastRefreshedAt?: string | null;
  ageSeconds?: number | null;
  sloSeconds?: number | null;
  stale?: boolean | null;
}

export type FreshnessStatus = 'fresh' | 'stale' | 'no-slo' | 'never';

export function freshnessStatus(f: FreshnessFacts): FreshnessStatus {
  if (f.ageSeconds == null) return 'never';
  if (f.sloSeconds == null) return 'no-slo';
  return f.stale ? 'stale' : 'fresh';
}

/** One sentence a person reads: how old, against which SLO, and whether that is late. */
export function describeFreshness(f: FreshnessFacts): string {
  const status = freshnessStatus(f);
  if (status === 'never') return 'No successful run recorded.';
  const age = `Refreshed ${formatDuration(f.ageSeconds!)} ago`;
  if (status === 'no-slo') return `${age}; no freshness SLO.`;
  const slo = formatDuration(f.sloSeconds!);
  return status === 'stale'
    ? `${age}: late, the SLO is ${slo} (${formatDuration(f.ageSeconds! - f.sloSeconds!)} over).`
    : `${age}: within its SLO of ${slo}.`;
}

/** Bytes as people read them (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
