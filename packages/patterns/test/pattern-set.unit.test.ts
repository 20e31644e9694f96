import { describe, expect, it } from 'vitest';
import { compilePattern, matches, PatternSet, type PatternKind } from '../src/index.js';

/** Deterministic picks, so a failure names its case. */
function picker(seed: number) {
  let s = seed;
  return <T>(list: readonly T[]) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return list[s % list.length]!;
  };
}

const PATH_GLOBS = [
  'dataos://**',
  'dataos://icebase:**',
  'dataos://icebase:retail/**',
  'dataos://icebase:retail/*',
  'dataos://icebase:*/orders',
  'dataos://*:retail/customers',
  'dataos://icebase:retail/orders',
  'DATAOS://IceBase:Finance/Ledger',
  '/metis/**',
  '/metis/*',
  '/metis/datasets',
  '/odin/{concepts,relations}/*',
  '/gateway/q?eries',
  '/a/x**',
];
const PATHS = [
  'dataos://icebase:retail/orders',
  'DATAOS://IceBase:Retail/Orders',
  'dataos://icebase:finance/ledger',
  'dataos://icebase',
  'dataos://lakehouse:retail/customers',
  'dataos://icebase:retail',
  '/metis',
  '/metis/',
  '/metis/datasets',
  '/metis/a/b',
  '/odin/concepts/x',
  '/odin/things/x',
  '/gateway/queries',
  '/a/xyz/w',
  '/b',
];
const TAG_GLOBS = ['dataos:domain:*', 'dataos:**', 'pii:{email,phone}', 'roles:id:admin', 'x:y?'];
const TAGS = [
  'dataos:domain:retail',
  'dataos:domain:retail:emea',
  'pii:email',
  'pii:name',
  'roles:id:admin',
  'x:yz',
  'x:y',
];

describe('PatternSet', () => {
  it.each<[PatternKind, string[], string[]]>([
    ['path', PATH_GLOBS, PATHS],
    ['tag', TAG_GLOBS, TAGS],
  ])('answers as testing every %s glob one by one', (kind, globs, names) => {
    const pick = picker(kind.length);
    let checked = 0;
    for (let round = 0; round < 300; round++) {
      const chosen = Array.from({ length: 1 + (round % 6) }, () => pick(globs));
      const set = new PatternSet(chosen, kind);
      for (const name of names) {
        const expected = chosen.some((g) => matches(compilePattern(g, kind), name));
        expect(set.has(name), `${JSON.stringify(chosen)} ${name}`).toBe(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('is empty without globs, and refuses a malformed one', () => {
    expect(new PatternSet([], 'path').has('/x')).toBe(false);
    expect(() => new PatternSet(['/a/{b'], 'path')).toThrow(/never closed/);
  });
});
