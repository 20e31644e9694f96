import { PatternError } from './errors.js';

/** A pattern as a sequence of pieces, shared by both matchers (regex and automaton). */
export type Piece =
  | { t: 'char'; c: string }
  /** `?`, `[..]`, `[!..]`: one character within the level (`test` is anchored, one character). */
  | { t: 'one'; test: RegExp; source: string }
  /** `*`: any run within one level. */
  | { t: 'star' }
  /** `**` inside a level (`/a/x**`): any run, across levels. */
  | { t: 'any' }
  /** `/**` as a whole level (`/metis/**`, `a:**:b`): nothing, or the separator and any run. */
  | { t: 'levels'; sep: string }
  | { t: 'alt'; alts: Piece[][] };

/** Characters that make a pattern more than literal text. */
export const WILDCARDS = /[*?[{\\]/;

/** The text before the first wildcard: what every match starts with (Heimdall indexes policies by it). */
export function literalPrefix(pattern: string): string {
  const at = pattern.search(WILDCARDS);
  return at < 0 ? pattern : pattern.slice(0, at);
}

export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function fail(pattern: string, problem: string): never {
  throw new PatternError(pattern, problem);
}

/** Index of the `}` closing the `{` at `open`, honouring nesting and escapes. */
function closingBrace(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Top-level comma-separated parts of a brace body, each with its offset in the body. */
function alternatives(body: string): [string, number][] {
  const parts: [string, number][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push([body.slice(start, i), start]);
      start = i + 1;
    }
  }
  parts.push([body.slice(start), start]);
  return parts;
}

function one(source: string, whole: string, at: number): Piece {
  try {
    return { t: 'one', test: new RegExp(`^${source}$`, 's'), source };
  } catch {
    return fail(
      whole,
      `the character class at ${at} is not valid (a range goes from the lower character to the higher)`,
    );
  }
}

/**
 * The pieces of `pattern`, whose levels are separated by any character of `seps`. `whole` is the
 * full pattern and `at` the offset of `pattern` in it, for error messages (positions count from 1).
 */
export function parse(pattern: string, seps: string, whole = pattern, at = 0): Piece[] {
  const S = escapeRegex(seps);
  const out: Piece[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (i + 1 >= pattern.length) fail(whole, 'it ends with a lone backslash');
      out.push({ t: 'char', c: pattern[i + 1]! });
      i += 2;
    } else if (c === '*') {
      let end = i;
      while (pattern[end] === '*') end++;
      const last = out.at(-1);
      if (end - i < 2) out.push({ t: 'star' });
      else if (
        last?.t === 'char' &&
        seps.includes(last.c) &&
        pattern[i - 1] === last.c &&
        (end === pattern.length || seps.includes(pattern[end]!))
      ) {
        // `a/**` and `a/**/b`: zero or more whole levels, the separator included, so `/metis/**`
        // matches `/metis` and `dataos://icebase:**` the depot itself.
        out[out.length - 1] = { t: 'levels', sep: last.c };
      } else out.push({ t: 'any' });
      i = end;
    } else if (c === '?') {
      out.push(one(`[^${S}]`, whole, at + i + 1));
      i++;
    } else if (c === '[') {
      let j = i + 1;
      const negated = pattern[j] === '!' || pattern[j] === '^';
      if (negated) j++;
      const start = j;
      if (pattern[j] === ']') j++; // a leading ] is literal
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) fail(whole, `"[" at ${at + i + 1} is never closed`);
      const content = pattern.slice(start, j);
      const escaped = content.replace(/[\\\]^]/g, '\\$&');
      // A negated class stays within its level, as `?` does; a class that lists a separator may match it.
      out.push(one(negated ? `[^${S}${escaped}]` : `[${escaped}]`, whole, at + i + 1));
      i = j + 1;
    } else if (c === '{') {
      const close = closingBrace(pattern, i);
      if (close < 0) fail(whole, `"{" at ${at + i + 1} is never closed`);
      out.push({
        t: 'alt',
        alts: alternatives(pattern.slice(i + 1, close)).map(([alt, offset]) =>
          parse(alt, seps, whole, at + i + 1 + offset),
        ),
      });
      i = close + 1;
    } else {
      out.push({ t: 'char', c });
      i++;
    }
  }
  return out;
}

/** How many unbounded runs (`*`, `**`) the pieces hold, alternatives included. */
export function runs(pieces: readonly Piece[]): number {
  let n = 0;
  for (const p of pieces) {
    if (p.t === 'star' || p.t === 'any' || p.t === 'levels') n++;
    else if (p.t === 'alt') for (const a of p.alts) n += runs(a);
  }
  return n;
}
