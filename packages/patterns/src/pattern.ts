import { LRUCache } from 'lru-cache';
import { Automaton } from './automaton.js';
import { PatternError } from './errors.js';
import { normalize, separatorsOf, type PatternKind } from './kinds.js';
import { parse, runs, WILDCARDS } from './parse.js';
import { toRegExp } from './regex.js';

/** Longest pattern accepted: as long as the longest name Heimdall checks. */
export const MAX_PATTERN_LENGTH = 2048;

/**
 * A backtracking regex costs up to length^runs per name; the automaton length × pattern, but about
 * 50 times the regex on a short tag (1 µs against 20 ns). So: one run, the regex always (linear);
 * two runs, the regex on names up to 256 characters (at most 65,536 steps) and the automaton on
 * longer ones (a 2,000-character name took 5.7 ms on the regex); more runs, the automaton.
 */
const TWO_RUN_REGEX_MAX_LENGTH = 256;

export interface Pattern {
  /** The pattern as compared: normalized for its kind (a URN or a column pattern in lower case). */
  readonly source: string;
  readonly kind: PatternKind;
  /** No wildcard at all: compared as text. */
  readonly literal: boolean;
  /** Whether a name already normalized for this kind matches (see `normalize`). */
  test(normalizedValue: string): boolean;
}

/**
 * Compiled patterns by kind and text. Policies are few and reused on every decision; the bound
 * (entries and bytes) keeps a caller who sends many distinct patterns from growing the process.
 */
const cache = new LRUCache<string, Pattern>({
  max: 10_000,
  maxSize: 16 * 1024 * 1024,
  // Compiled size grows with the text: a few hundred bytes per character in the automaton, less in a regex.
  sizeCalculation: (_pattern, key) => 256 * key.length + 256,
});

function build(text: string, kind: PatternKind): Pattern {
  if (typeof text !== 'string' || text.length === 0) throw new PatternError(String(text), 'it is empty');
  if (text.length > MAX_PATTERN_LENGTH) {
    throw new PatternError(
      `${text.slice(0, 40)}...`,
      `it is ${text.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`,
    );
  }
  const source = normalize(text, kind);
  const literal = !WILDCARDS.test(source);
  if (literal) return { source, kind, literal, test: (value) => value === source };
  const seps = separatorsOf(source, kind);
  const pieces = parse(source, seps);
  const count = runs(pieces);
  const regex = count <= 2 ? toRegExp(pieces, seps) : null;
  const automaton = count >= 2 ? new Automaton(pieces, seps) : null;
  let test: (value: string) => boolean;
  if (!automaton) test = (value) => regex!.test(value);
  else if (!regex) test = (value) => automaton.test(value);
  else test = (value) => (value.length <= TWO_RUN_REGEX_MAX_LENGTH ? regex.test(value) : automaton.test(value));
  return { source, kind, literal, test };
}

/** The compiled pattern (from the cache when seen before); throws PatternError saying what is wrong. */
export function compilePattern(text: string, kind: PatternKind): Pattern {
  const key = `${kind}\u0000${text}`;
  let pattern = cache.get(key);
  if (!pattern) {
    pattern = build(text, kind);
    cache.set(key, pattern);
  }
  return pattern;
}

/** Whether `value`, already normalized for the pattern's kind (see `normalize`), matches. */
export const matchesNormalized = (pattern: Pattern, value: string): boolean => pattern.test(value);

/** Whether `value` (as written) matches `pattern`. */
export const matches = (pattern: Pattern, value: string): boolean => pattern.test(normalize(value, pattern.kind));

/** One-off: whether `value` matches the pattern text `text` of `kind`; throws PatternError on a malformed pattern. */
export const patternMatches = (text: string, kind: PatternKind, value: string): boolean =>
  matches(compilePattern(text, kind), value);

/** The problem with `text` as a pattern of `kind`, or null when it compiles. */
export function patternProblem(text: string, kind: PatternKind): string | null {
  try {
    compilePattern(text, kind);
    return null;
  } catch (error) {
    if (error instanceof PatternError) return error.message;
    throw error;
  }
}
