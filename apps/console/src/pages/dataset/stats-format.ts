import { formatDuration } from './freshness.js';
import { changesValue, type ColumnMask } from './masks.js';

/** Numbers as people read them: 1,234 (English grouping whatever the browser's locale, like the rest of the page). */
export const formatCount = (n: number | null | undefined): string =>
  n == null ? '—' : n.toLocaleString('en', { maximumFractionDigits: 2 });

/** Share of `part` in `whole` as "12.5 %" (one decimal, "<0.1 %" for a tiny non-zero share). */
export function formatPercent(part: number | null | undefined, whole: number | null | undefined): string {
  if (part == null || whole == null || whole <= 0) return '—';
  const share = (100 * part) / whole;
  if (share > 0 && share < 0.1) return '<0.1 %';
  return `${share.toLocaleString('en', { maximumFractionDigits: 1 })} %`;
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];
const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 hours ago" (or "in 2 minutes" for a clock ahead of ours); "—" when unknown. */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return RELATIVE.format(Math.trunc(seconds / size), unit);
  }
  return iso;
}

/** The exact time for a title: "07/12/2026, 14:03:12 UTC". */
export const exactTime = (iso: string | null | undefined): string =>
  iso && !Number.isNaN(Date.parse(iso)) ? `${new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC` : '';

/** A run's duration as "850 ms", "12.3 s", "2 min 5 s" (sub-second runs are the usual profile). */
export function runDuration(startIso: string, endIso: string | null | undefined): string {
  if (!endIso) return '—';
  const ms = Date.parse(endIso) - Date.parse(startIso);
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
  return formatDuration(ms / 1000);
}

/**
 * Why a profile's min/max are not shown to this reader (Metis withholds them, `masked: true`):
 * the Gateway masks the column for them, their rows are filtered (a min or max could come from a
 * row they cannot read), or the profiler itself read the column masked (no value was kept).
 */
export function withheldReason(gateway: { mask: ColumnMask | undefined; rowFiltered: boolean } | undefined): string {
  // The Gateway's answer for this reader is pending or missing: no reason to give beyond the fact.
  if (!gateway) return 'withheld for you';
  const { mask, rowFiltered } = gateway;
  if (changesValue(mask)) return 'withheld: masked for you';
  if (rowFiltered) return 'withheld: your rows are filtered';
  return 'withheld: masked when profiled';
}

/** Subject id as people read it: `users:id:alice` → alice. */
export const subjectName = (subject: string): string => subject.replace(/^users:id:/, '');
