import { distance } from 'fastest-levenshtein';

/**
 * Full-text helpers. Neo4j's analyzers keep `customer_id`, `PII.Email` and `dataos:domain:retail`
 * as single tokens, so Metis indexes derived `ft*` properties with words split on punctuation and
 * camelCase, and builds Lucene queries only from letters and digits (nothing to escape).
 */
export function ftText(...parts: (string | null | undefined)[]): string {
  const words = new Set<string>();
  for (const part of parts) {
    if (!part) continue;
    for (const w of part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^\p{L}\p{N}]+/u))
      if (w) words.add(w.toLowerCase());
    // The whole identifier too, so `customer_id` also matches as one word.
    const whole = part.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
    if (whole) words.add(whole);
  }
  return [...words].join(' ');
}

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);
export const MAX_QUERY_TOKENS = 8;

export function queryTokens(text: string): string[] {
  const tokens = [
    ...new Set(
      text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean),
    ),
  ];
  const meaningful = tokens.filter((t) => !STOP_WORDS.has(t));
  return (meaningful.length ? meaningful : tokens).slice(0, MAX_QUERY_TOKENS);
}

/**
 * Every token must match some field; name matches weigh most, then tags, then description, then
 * context (depot, collection, the dataset of a column). Tokens of 3+ characters also match as
 * prefixes of names, for search-as-you-type.
 */
export function luceneQuery(text: string): string | null {
  const tokens = queryTokens(text);
  if (!tokens.length) return null;
  return tokens
    .map((t) => {
      const clauses = [`ftName:${t}^4`, `ftTags:${t}^2`, `description:${t}`, `ftContext:${t}^0.5`];
      if (t.length >= 3) clauses.push(`ftName:${t}*^1.5`);
      return `(${clauses.join(' OR ')})`;
    })
    .join(' AND ');
}

/**
 * Edits a query word may be away from a name word and still match (as Elasticsearch's `AUTO`
 * fuzziness): none under 4 letters (too many short words are one letter apart), 1 up to 5, 2
 * from 6 (Lucene's fuzzy maximum).
 */
export const allowedEdits = (word: string) => (word.length < 4 ? 0 : word.length < 6 ? 1 : 2);

/**
 * The typo-tolerant query, for the names index (no stemming): every word must be within its
 * allowed edits of a name word, or be a tag word. Hits whose name holds every word as it is are
 * left out: the main query finds them already, and reading them twice doubled a search's cost.
 * Null when no word allows an edit (the main query finds everything this one could).
 */
export function fuzzyLuceneQuery(text: string): string | null {
  const tokens = queryTokens(text);
  if (!tokens.some((t) => allowedEdits(t) > 0)) return null;
  const near = tokens.map((t) => {
    const edits = allowedEdits(t);
    return `(${edits ? `ftName:${t}~${edits}` : `ftName:${t}`} OR ftTags:${t})`;
  });
  return `${near.join(' AND ')} AND NOT (${tokens.map((t) => `ftName:${t}`).join(' AND ')})`;
}

/** Suggestions: every word of the prefix starts a name word (the last one may be cut anywhere). */
export function prefixLuceneQuery(prefix: string): string | null {
  const tokens = queryTokens(prefix);
  if (!tokens.length) return null;
  return tokens.map((t) => `ftName:${t}*`).join(' AND ');
}

/** A name word within the allowed edits of the query word (a typo), for the ranking. */
export function nearWord(word: string, names: readonly string[]): boolean {
  const edits = allowedEdits(word);
  return edits > 0 && names.some((n) => Math.abs(n.length - word.length) <= edits && distance(n, word) <= edits);
}

/** A name reduced to lower-case letters and digits: hits whose name is exactly the query come first. */
export const ftKey = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** What the ranking compares a query word with: the word and, from 3 letters, a rough stem (prefix match). */
export interface RankTerm {
  word: string;
  /** Null for words under 3 letters: they rank only as whole words. */
  prefix: string | null;
}

const SUFFIXES = ['ings', 'ing', 'ies', 'es', 'ed', 's'];

/**
 * A crude English stem (`customers` → `customer`, `tracking` → `track`). It only ranks hits that
 * Lucene already matched (with its own stemmer), so it need not be exact, only deterministic.
 */
export function rankStem(word: string): string {
  for (const s of SUFFIXES) if (word.length - s.length >= 3 && word.endsWith(s)) return word.slice(0, -s.length);
  return word;
}

export const rankTerms = (text: string): RankTerm[] =>
  queryTokens(text).map((word) => ({ word, prefix: word.length >= 3 ? rankStem(word) : null }));
