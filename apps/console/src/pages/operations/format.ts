/** Display helpers for Kubernetes quantities and times. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  let v = value;
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  return `${v >= 10 || unit === 0 ? Math.round(v) : v.toFixed(1)} ${UNITS[unit]}`;
}

export function millicores(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value % 1000 === 0 ? `${value / 1000} CPU` : `${value}m CPU`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

/** 0..1 as a percentage for bar widths, clamped (a node can be overcommitted). */
export const ratio = (used: number, total: number) => (total > 0 ? Math.min(1, Math.max(0, used / total)) : 0);
