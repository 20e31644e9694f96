import type { ReactNode } from 'react';

/** Words of the query worth marking: two characters or more, as typed (search is case-insensitive). */
export function queryWords(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length >= 2);
  // Longest first, so "customer" wins over "cust" when both are typed.
  return [...new Set(words)].sort((a, b) => b.length - a.length).slice(0, 20);
}

/** [start, end) ranges of `text` matching any word, merged and in order. */
export function matchRanges(text: string, words: readonly string[]): [number, number][] {
  if (!words.length || !text) return [];
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at !== -1; at = lower.indexOf(word, at + word.length)) {
      ranges.push([at, at + word.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** The text with the query's words in <mark>: React escapes both parts, so no markup can slip in. */
export function Highlight({ text, words }: { text: string; words: readonly string[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of matchRanges(text, words)) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
