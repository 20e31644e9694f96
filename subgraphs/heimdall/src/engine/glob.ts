import { PolicyValidationError } from './types.js';

/**
 * DataOS globs: `?` one character and `*` any run, both within one level; `**` any depth
 * (`/metis/**` matches `/metis`, `/metis/` and `/metis/a/b`); `[abc]`, `[a-z]`, `[!abc]`;
 * `{a,b}` alternatives (which may hold globs). The level separator is `/` for paths and `:` for
 * tags. Matching is case-sensitive.
 */
export type Separator = '/' | ':';

export interface CompiledGlob {
  source: string;
  /** No wildcard at all: compare as a string. */
  literal: boolean;
  regex: RegExp;
}

const WILDCARDS = /[*?[{\\]/;
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The text before the first wildcard: what every match starts with. */
export function literalPrefix(glob: string): string {
  const at = glob.search(WILDCARDS);
  return at < 0 ? glob : glob.slice(0, at);
}

function fail(pattern: string, problem: string): never {
  throw new PolicyValidationError('', `"${pattern}" is not a valid glob: ${problem}.`);
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

/** Top-level comma-separated parts of a brace body. */
function alternatives(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function body(pattern: string, whole: string, sep: Separator): string {
  const S = escapeRegex(sep);
  const notSep = `[^${S}]`;
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (i + 1 >= pattern.length) fail(whole, 'it ends with a lone backslash');
      out += escapeRegex(pattern[i + 1]!);
      i += 2;
    } else if (c === '*') {
      let end = i;
      while (pattern[end] === '*') end++;
      if (end - i >= 2) {
        const atLevelStart = i === 0 || pattern[i - 1] === sep;
        const atLevelEnd = end === pattern.length || pattern[end] === sep;
        if (i > 0 && atLevelStart && atLevelEnd && out.endsWith(S)) {
          // `a/**` and `a/**/b`: zero or more whole levels, the separator included.
          out = `${out.slice(0, -S.length)}(?:${S}.*)?`;
        } else {
          out += '.*';
        }
      } else {
        out += `${notSep}*`;
      }
      i = end;
    } else if (c === '?') {
      out += notSep;
      i++;
    } else if (c === '[') {
      let j = i + 1;
      const negated = pattern[j] === '!' || pattern[j] === '^';
      if (negated) j++;
      const start = j;
      if (pattern[j] === ']') j++; // a leading ] is literal
      while (j < pattern.length && pattern[j] !== ']') j++;
      if (j >= pattern.length) fail(whole, `"[" at ${i + 1} is never closed`);
      const content = pattern.slice(start, j);
      if (!content) fail(whole, 'an empty character class');
      const escaped = content.replace(/[\\\]^]/g, '\\$&');
      out += negated ? `[^${S}${escaped}]` : `[${escaped}]`;
      i = j + 1;
    } else if (c === '{') {
      const close = closingBrace(pattern, i);
      if (close < 0) fail(whole, `"{" at ${i + 1} is never closed`);
      out += `(?:${alternatives(pattern.slice(i + 1, close)).map((alt) => body(alt, whole, sep)).join('|')})`;
      i = close + 1;
    } else {
      out += escapeRegex(c);
      i++;
    }
  }
  return out;
}

export function compileGlob(pattern: string, sep: Separator): CompiledGlob {
  if (typeof pattern !== 'string' || pattern.length === 0) fail(String(pattern), 'it is empty');
  const literal = !WILDCARDS.test(pattern);
  return { source: pattern, literal, regex: new RegExp(`^${body(pattern, pattern, sep)}$`) };
}

export const globMatches = (glob: CompiledGlob, value: string) =>
  glob.literal ? glob.source === value : glob.regex.test(value);

/** Object paths compare without a trailing slash (`/metis/` is `/metis`), except `/` and `scheme://`. */
export function normalizePath(path: string): string {
  if (path.length > 1 && path.endsWith('/') && !path.endsWith('://')) return path.replace(/\/+$/, '') || '/';
  return path;
}
