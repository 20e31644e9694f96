import type { Piece } from './parse.js';

/**
 * A pattern as a nondeterministic automaton, run over all its states at once: time proportional to
 * the name's length times the pattern's, whatever the pattern. A backtracking regex takes
 * length^runs for `/a*a*a*a*b` against a long `/aaa…` (2,000 characters, three runs: seconds).
 */
type State =
  { t: 'step'; test: (c: string) => boolean; next: number } | { t: 'split'; next: number[] } | { t: 'accept' };

export class Automaton {
  private readonly states: State[] = [{ t: 'accept' }];
  private readonly start: number;
  /** Stamps instead of a fresh Set per character: the automaton is reused for every name. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(pieces: readonly Piece[], seps: string) {
    const notSep = (c: string) => !seps.includes(c);
    this.start = this.build(pieces, 0, notSep);
    this.seen = new Uint32Array(this.states.length);
  }

  private add(state: State): number {
    this.states.push(state);
    return this.states.length - 1;
  }

  /** A loop of `test` steps that may also be left at once for `next`. */
  private loop(test: (c: string) => boolean, next: number): number {
    const split = this.add({ t: 'split', next: [] });
    const step = this.add({ t: 'step', test, next: split });
    (this.states[split] as { next: number[] }).next = [step, next];
    return split;
  }

  /** Built from the end, each piece leading to `next`; returns the entry state. */
  private build(pieces: readonly Piece[], next: number, notSep: (c: string) => boolean): number {
    for (let i = pieces.length - 1; i >= 0; i--) {
      const p = pieces[i]!;
      if (p.t === 'char') {
        const c = p.c;
        next = this.add({ t: 'step', test: (x) => x === c, next });
      } else if (p.t === 'one') {
        const re = p.test;
        next = this.add({ t: 'step', test: (x) => re.test(x), next });
      } else if (p.t === 'star') next = this.loop(notSep, next);
      else if (p.t === 'any') next = this.loop(() => true, next);
      else if (p.t === 'levels') {
        const sep = p.sep;
        const rest = this.add({ t: 'step', test: (x) => x === sep, next: this.loop(() => true, next) });
        next = this.add({ t: 'split', next: [next, rest] });
      } else {
        const target = next;
        next = this.add({ t: 'split', next: p.alts.map((a) => this.build(a, target, notSep)) });
      }
    }
    return next;
  }

  /** Adds `s` and every state reachable from it without reading a character. */
  private close(s: number, into: number[]): void {
    if (this.seen[s] === this.stamp) return;
    this.seen[s] = this.stamp;
    const state = this.states[s]!;
    if (state.t === 'split') for (const n of state.next) this.close(n, into);
    else into.push(s);
  }

  test(value: string): boolean {
    let current: number[] = [];
    this.bump();
    this.close(this.start, current);
    // UTF-16 units, as the regex backend reads them, so both agree on what `?` is.
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      const next: number[] = [];
      this.bump();
      for (const s of current) {
        const state = this.states[s]!;
        if (state.t === 'step' && state.test(c)) this.close(state.next, next);
      }
      if (next.length === 0) return false;
      current = next;
    }
    return current.includes(0);
  }

  private bump(): void {
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
  }
}
