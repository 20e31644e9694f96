import type { Context } from '../context.js';
import { searchDatasetFacts, type DatasetFacts, type SearchCandidate } from '../store/search.js';
import { objectPaths } from '../urn.js';

/** Rounds a walk may take before the last one takes every remaining candidate. */
const MAX_ROUNDS = 6;
/** The readable share a round assumes at least, so that a run of hidden hits grows rounds fast. */
const MIN_RATE = 1 / 32;
/** A round asks for this much more than the readable share seen so far predicts. */
const MARGIN = 1.2;

/**
 * Walks a ranking with the caller's decisions, authorizing only as far as asked: each round
 * sends the undecided datasets and glossary terms of the next slice in one Heimdall batch, sized
 * from the readable share seen so far. Decisions are kept per dataset (its columns share them)
 * and per term for the request, so a second walk over the same hits costs nothing.
 */
export class ReadableRanking {
  /** `d <urn>` or `t <name>` → readable. */
  private readonly decided = new Map<string, boolean>();
  private readonly facts = new Map<string, DatasetFacts>();

  constructor(
    private readonly ctx: Context,
    readonly ranked: readonly SearchCandidate[],
  ) {
    for (const c of ranked) if (c.dataset) this.facts.set(c.dataset.urn, c.dataset);
  }

  private static subject(c: SearchCandidate): string {
    return c.datasetUrn !== null ? `d ${c.datasetUrn}` : `t ${c.key}`;
  }

  /** Readable, for a candidate already decided. */
  allowed(c: SearchCandidate): boolean {
    return this.decided.get(ReadableRanking.subject(c)) === true;
  }

  /** The dataset facts behind a readable dataset or column hit (its domain and source for facets). */
  datasetOf(c: SearchCandidate): DatasetFacts | undefined {
    return c.datasetUrn === null ? undefined : this.facts.get(c.datasetUrn);
  }

  /** One round: facts of the columns' datasets not read yet, then one batch of decisions. */
  private async authorize(chunk: readonly SearchCandidate[]): Promise<void> {
    const datasets = new Set<string>();
    const terms = new Set<string>();
    for (const c of chunk) {
      if (this.decided.has(ReadableRanking.subject(c))) continue;
      if (c.datasetUrn !== null) datasets.add(c.datasetUrn);
      else terms.add(c.key);
    }
    if (datasets.size === 0 && terms.size === 0) return;
    const missing = [...datasets].filter((u) => !this.facts.has(u));
    if (missing.length) for (const f of await searchDatasetFacts(this.ctx.store, missing)) this.facts.set(f.urn, f);
    const known: DatasetFacts[] = [];
    for (const u of datasets) {
      const f = this.facts.get(u);
      if (f) known.push(f);
      else this.decided.set(`d ${u}`, false); // a column whose dataset is gone: nothing to show it in
    }
    const [readableDatasets, readableTerms] = await Promise.all([
      this.ctx.access.readable(known, (f) => ({ urn: f.urn, tags: f.tags, domainName: f.domain })),
      this.ctx.access.readablePaths([...terms], (t) => objectPaths.glossaryTerm(t)),
    ]);
    for (const f of known) this.decided.set(`d ${f.urn}`, false);
    for (const t of terms) this.decided.set(`t ${t}`, false);
    for (const f of readableDatasets) this.decided.set(`d ${f.urn}`, true);
    for (const t of readableTerms) this.decided.set(`t ${t}`, true);
  }

  /**
   * The first `want` readable hits at or after index `from`, in rank order; the first round looks
   * at `firstRound` candidates, later ones at what the readable share seen so far predicts. Hits
   * before `from` are never authorized.
   */
  async collect(from: number, want: number, firstRound = want): Promise<SearchCandidate[]> {
    const found: SearchCandidate[] = [];
    let at = from;
    for (let round = 1; found.length < want && at < this.ranked.length; round++) {
      let size = firstRound;
      if (round >= MAX_ROUNDS) size = Infinity;
      else if (round > 1)
        size = Math.ceil(((want - found.length) / Math.max(found.length / (at - from), MIN_RATE)) * MARGIN) + 8;
      const chunk = this.ranked.slice(at, at + size);
      await this.authorize(chunk);
      for (const c of chunk) {
        at++;
        if (this.allowed(c) && found.push(c) === want) break;
      }
    }
    return found;
  }
}
