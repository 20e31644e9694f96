import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  literalPrefix,
  matches,
  patternMatches,
  patternProblem,
  type PatternKind,
} from '../src/index.js';

/** The README's table of DataOS's own examples: pattern, kind, names it matches, names it does not. */
const EXAMPLES: [string, PatternKind, string[], string[]][] = [
  ['users:id:*', 'tag', ['users:id:alice', 'users:id:svc-1'], ['users:id:a:b', 'users:type:person', 'roles:id:admin']],
  ['users:**', 'tag', ['users:id:alice', 'users:type:person'], ['roles:id:admin']],
  ['roles:id:{admin,operator}', 'tag', ['roles:id:admin', 'roles:id:operator'], ['roles:id:Admin', 'roles:id:admins']],
  ['roles:id:data-??', 'tag', ['roles:id:data-ro'], ['roles:id:data-dev']],
  ['/metis/**', 'path', ['/metis', '/metis/', '/metis/datasets', '/metis/a/b'], ['/metisx', '/odin/metis']],
  ['/metis/*', 'path', ['/metis/datasets'], ['/metis', '/metis/a/b']],
  [
    'dataos://icebase:retail/**',
    'path',
    ['dataos://icebase:retail', 'dataos://icebase:retail/customers', 'DATAOS://IceBase:Retail/Orders'],
    ['dataos://icebase:retailx/a', 'dataos://lakehouse:retail/customers'],
  ],
  [
    'dataos://icebase:retail/*',
    'path',
    ['dataos://icebase:retail/customers'],
    ['dataos://icebase:retail', 'dataos://icebase:retail/a/b', 'dataos://icebase:finance/customers'],
  ],
  [
    'dataos://icebase:**',
    'path',
    ['dataos://icebase', 'dataos://icebase:retail', 'dataos://icebase:retail/customers'],
    ['dataos://icebase2:retail/customers', 'dataos://lakehouse:retail/x'],
  ],
  ['dataos://icebase:*', 'path', ['dataos://icebase:retail'], ['dataos://icebase:retail/customers']],
  [
    'dataos://icebase:*/*',
    'path',
    ['dataos://icebase:retail/customers', 'dataos://icebase:finance/invoices'],
    ['dataos://lakehouse:retail/customers'],
  ],
  [
    'dataos://*:retail/customers',
    'path',
    ['dataos://icebase:retail/customers', 'dataos://lakehouse:retail/customers'],
    ['dataos://icebase:finance/customers'],
  ],
  ['dataos://ice*', 'path', ['dataos://icebase'], ['dataos://icebase:retail', 'dataos://icebase:retail/customers']],
  [
    'dataos://**',
    'path',
    ['dataos://icebase:retail/customers', 'dataos://lakehouse:finance/invoices'],
    ['/metis/datasets'],
  ],
  ['dataos:domain:*', 'tag', ['dataos:domain:retail'], ['dataos:domain:retail:emea', 'Dataos:domain:retail']],
  ['PII.*', 'column', ['PII.Email', 'pii.name', 'PII.PhoneNumber'], ['PIIX.Email', 'Sensitive.Email']],
  ['PII.{Email,PhoneNumber}', 'column', ['PII.Email', 'pii.phonenumber'], ['PII.Name']],
  ['full_*', 'column', ['full_name', 'Full_Name'], ['name_full']],
  ['[!_]*', 'column', ['email'], ['_hidden']],
];

describe('DataOS examples (the README table)', () => {
  it.each(EXAMPLES)('%s (%s)', (pattern, kind, yes, no) => {
    for (const name of yes) expect(patternMatches(pattern, kind, name), `${pattern} should match ${name}`).toBe(true);
    for (const name of no)
      expect(patternMatches(pattern, kind, name), `${pattern} should not match ${name}`).toBe(false);
  });
});

describe('separators', () => {
  it('in a URN `*` crosses neither the `:` after the depot nor a `/`', () => {
    expect(patternMatches('dataos://*', 'path', 'dataos://icebase:retail/customers')).toBe(false);
    expect(patternMatches('dataos://icebase:retail*', 'path', 'dataos://icebase:retail/customers')).toBe(false);
  });

  it('in other paths `:` is an ordinary character', () => {
    expect(patternMatches('/heimdall/*', 'path', '/heimdall/a:b')).toBe(true);
  });

  it('a column tag has no separator, so `PII.*` covers every PII tag', () => {
    expect(patternMatches('PII.*', 'column', 'PII.Date.Of.Birth')).toBe(true);
  });
});

describe('case rules', () => {
  it('paths other than URNs and tags are case-sensitive', () => {
    expect(patternMatches('/Metis/**', 'path', '/metis/a')).toBe(false);
    expect(patternMatches('users:id:alice', 'tag', 'users:id:Alice')).toBe(false);
  });

  it('URNs and column names and tags compare in lower case, wildcards or not', () => {
    expect(patternMatches('dataos://ICEBASE:retail/Customers', 'path', 'dataos://icebase:RETAIL/customers')).toBe(true);
    expect(patternMatches('dataos://icebase:[A-Z]*/*', 'path', 'dataos://icebase:Retail/x')).toBe(true);
    expect(patternMatches('PII.Email', 'column', 'pii.email')).toBe(true);
    expect(compilePattern('PII.Email', 'column').source).toBe('pii.email');
  });
});

describe('compile once', () => {
  it('returns the same compiled pattern for the same text and kind', () => {
    expect(compilePattern('roles:id:*', 'tag')).toBe(compilePattern('roles:id:*', 'tag'));
    expect(compilePattern('PII.*', 'column')).not.toBe(compilePattern('PII.*', 'tag'));
  });

  it('tells literal patterns apart and gives their literal prefix', () => {
    expect(compilePattern('users:id:alice', 'tag').literal).toBe(true);
    expect(compilePattern('users:id:*', 'tag').literal).toBe(false);
    expect(literalPrefix(compilePattern('DATAOS://IceBase:Retail/**', 'path').source)).toBe('dataos://icebase:retail/');
  });

  it('matches names as written against the normalized pattern', () => {
    expect(matches(compilePattern('/metis/datasets', 'path'), '/metis/datasets/')).toBe(true);
  });
});

describe('validation', () => {
  it('says what is wrong, and nothing for a good pattern', () => {
    expect(patternProblem('roles:id:{admin,operator', 'tag')).toBe(
      '"roles:id:{admin,operator" is not a valid glob: "{" at 10 is never closed.',
    );
    expect(patternProblem('PII.[Email', 'column')).toMatch(/"\[" at 5 is never closed/);
    expect(patternProblem('/{metis,odin/[ab}', 'path')).toMatch(/"\[" at 14 is never closed/);
    expect(patternProblem('/a/[z-a]', 'path')).toMatch(/the character class at 4 is not valid/);
    expect(patternProblem('roles:id:*', 'tag')).toBeNull();
  });
});
