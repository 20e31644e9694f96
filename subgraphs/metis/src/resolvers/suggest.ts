import { badUserInput } from '@dataos/errors';
import type { Context } from '../context.js';
import type { CatalogSearchType } from '../generated/resolvers.js';
import { NAMES_INDEX } from '../store/migrate.js';
import { searchCandidates, type SearchCandidate } from '../store/search.js';
import { ftKey, prefixLuceneQuery } from '../text.js';
import { ReadableRanking } from './readable-ranking.js';

const TYPES: CatalogSearchType[] = ['DATASET', 'COLUMN', 'GLOSSARY_TERM'];
const MAX_SUGGESTIONS = 50;
/** Prefix matches read per request: a search box needs the best few, not every match. */
const SUGGEST_SCAN = 500;

/** The completion order: the name itself first, then names starting with the prefix, then shorter names. */
function suggestionOrder(prefix: string) {
  const key = ftKey(prefix);
  const rank = (c: SearchCandidate) => {
    const name = ftKey(c.name);
    return name === key ? 0 : name.startsWith(key) ? 1 : 2;
  };
  return (a: SearchCandidate, b: SearchCandidate) =>
    rank(a) - rank(b) || a.name.length - b.name.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Completions for a search box: prefix matches of name words in the names index (no stemming),
 * ordered by `suggestionOrder` (the hit alone), then authorized along that order until `first`
 * readable ones, as search pages are. A name shared by several hits (`customer_id` in many
 * datasets) is suggested once.
 */
export async function suggest(
  ctx: Context,
  prefix: string,
  first: number | null | undefined,
  types: readonly CatalogSearchType[] | null | undefined,
) {
  const size = first ?? 10;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SUGGESTIONS)
    throw badUserInput(`first must be between 1 and ${MAX_SUGGESTIONS}.`, { field: 'first' });
  if (prefix.length > 200) throw badUserInput('prefix is longer than 200 characters.', { field: 'prefix' });
  const lucene = prefixLuceneQuery(prefix);
  if (!lucene) throw badUserInput('prefix needs at least one letter or digit.', { field: 'prefix' });
  const filter = {
    types: types?.length ? [...new Set(types)] : TYPES,
    tag: null,
    owner: null,
    domain: null,
    source: null,
  };
  const ranked = (await searchCandidates(ctx.store, prefix, lucene, filter, SUGGEST_SCAN, NAMES_INDEX)).sort(
    suggestionOrder(prefix),
  );
  // Distinct texts: one readable hit per name, the first in order.
  const walk = new ReadableRanking(ctx, ranked);
  const out: { type: CatalogSearchType; text: string; key: string }[] = [];
  const texts = new Set<string>();
  let from = 0;
  while (out.length < size && from < ranked.length) {
    const want = size - out.length;
    const readable = await walk.collect(from, want, 2 * want);
    if (!readable.length) break;
    for (const c of readable) {
      if (out.length < size && !texts.has(c.name)) {
        texts.add(c.name);
        out.push({ type: c.type, text: c.name, key: c.key });
      }
    }
    from = ranked.indexOf(readable.at(-1)!) + 1;
  }
  return out;
}
