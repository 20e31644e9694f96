import { describe, expect, it } from 'vitest';
import { Automaton } from '../src/automaton.js';
import { normalize, separatorsOf, type PatternKind } from '../src/kinds.js';
import { parse } from '../src/parse.js';
import { toRegExp } from '../src/regex.js';
import { patternMatches } from '../src/index.js';

/** Both matchers for one pattern, to hold the automaton to the regex it replaces for many runs. */
function both(text: string, kind: PatternKind) {
  const source = normalize(text, kind);
  const seps = separatorsOf(source, kind);
  const pieces = parse(source, seps);
  return { regex: toRegExp(pieces, seps), automaton: new Automaton(pieces, seps) };
}

describe('bounded cost', () => {
  it('a pattern with many runs against a long name answers in milliseconds (a backtracking regex takes seconds)', () => {
    const name = `/${'a'.repeat(2000)}`;
    for (const pattern of ['/a*a*a*b', '/a*a*a*a*a*a*a*a*b', '/**a**a**a**a**b', '/{a*,b*}{a*,b*}{a*,b*}b']) {
      const started = performance.now();
      expect(patternMatches(pattern, 'path', name)).toBe(false);
      expect(patternMatches(pattern, 'path', `${name}b`)).toBe(true);
      expect(performance.now() - started, pattern).toBeLessThan(250);
    }
  });

  it('the automaton agrees with the regex on random patterns and names', () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const atoms = ['a', 'b', '/', ':', '*', '**', '?', '[ab]', '[!a]', '{a,b*}', '{,/}', '\\*'];
    const letters = ['a', 'b', '/', ':', '*', 'c'];
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const text = Array.from({ length: 1 + random(6) }, () => atoms[random(atoms.length)]).join('');
      for (const kind of ['path', 'tag'] as const) {
        const { regex, automaton } = both(text, kind);
        for (let j = 0; j < 20; j++) {
          const name = Array.from({ length: random(8) }, () => letters[random(letters.length)]).join('');
          expect(automaton.test(name), `${text} (${kind}) on ${name}`).toBe(regex.test(name));
          compared++;
        }
      }
    }
    expect(compared).toBe(16_000);
  });

  it('the automaton agrees on the zero-level rule and URN separators', () => {
    const cases: [string, string, boolean][] = [
      ['/metis/**', '/metis', true],
      ['/a/**/z', '/a/z', true],
      ['dataos://icebase:**', 'dataos://icebase', true],
      ['dataos://icebase:**', 'dataos://icebase2:x/y', false],
      ['dataos://*:*/*', 'dataos://icebase:retail/customers', true],
      ['dataos://*', 'dataos://icebase:retail', false],
    ];
    for (const [text, name, expected] of cases) {
      const { regex, automaton } = both(text, 'path');
      expect([regex.test(name), automaton.test(name)], text).toEqual([expected, expected]);
    }
  });
});
