import { describe, expect, it } from 'vitest';
import { compilePattern, literalPrefix, matches, normalizePath, PatternError } from '../src/index.js';

// Moved from Heimdall's engine tests: the glob Heimdall has always had, now DataOS's one.
const path = (glob: string, value: string) => matches(compilePattern(glob, 'path'), value);
const tag = (glob: string, value: string) => matches(compilePattern(glob, 'tag'), value);

describe('globs', () => {
  it('`*` stays within one level, `**` crosses levels and matches zero levels', () => {
    expect(path('/metis/*', '/metis/a')).toBe(true);
    expect(path('/metis/*', '/metis/a/b')).toBe(false);
    expect(path('/metis/*', '/metis')).toBe(false);
    expect(path('/metis/**', '/metis/a/b')).toBe(true);
    expect(path('/metis/**', '/metis/a')).toBe(true);
    expect(path('/metis/**', '/metis')).toBe(true);
    expect(path('/metis/**', '/metisx')).toBe(false);
    expect(path('/a/**/z', '/a/z')).toBe(true);
    expect(path('/a/**/z', '/a/b/c/z')).toBe(true);
    expect(path('/a/**/z', '/a/b/c/y')).toBe(false);
    expect(path('**', '/anything/at/all')).toBe(true);
    expect(path('/a/x**', '/a/xy/z')).toBe(true);
  });

  it('ignores trailing slashes on objects', () => {
    expect(path('/metis/datasets', '/metis/datasets/')).toBe(true);
    expect(path('/metis/*', '/metis/datasets/')).toBe(true);
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('dataos://')).toBe('dataos://');
  });

  it('is case-sensitive for paths and tags', () => {
    expect(path('/Metis/**', '/metis/a')).toBe(false);
    expect(tag('roles:id:Admin', 'roles:id:admin')).toBe(false);
  });

  it('supports ?, classes, negated classes and alternatives', () => {
    expect(path('/v?/x', '/v1/x')).toBe(true);
    expect(path('/v?/x', '/v12/x')).toBe(false);
    expect(path('/v?/x', '/v//x')).toBe(false);
    expect(path('/v[12]/x', '/v2/x')).toBe(true);
    expect(path('/v[a-c]/x', '/vd/x')).toBe(false);
    expect(path('/v[!12]/x', '/v3/x')).toBe(true);
    expect(path('/v[!12]/x', '/v1/x')).toBe(false);
    expect(path('/v[!12]/x', '/v//x')).toBe(false);
    expect(path('/{metis,odin}/**', '/odin/concepts')).toBe(true);
    expect(path('/{metis,odin}/**', '/gateway/x')).toBe(false);
    expect(path('/{metis/*,odin}', '/metis/a')).toBe(true);
  });

  it('uses `:` as the level separator of tags', () => {
    expect(tag('roles:id:*', 'roles:id:data-dev')).toBe(true);
    expect(tag('roles:id:*', 'roles:id:a:b')).toBe(false);
    expect(tag('roles:**', 'roles:id:a:b')).toBe(true);
    expect(tag('users:id:alice', 'users:id:alice')).toBe(true);
  });

  it('handles DataOS UDL addresses', () => {
    expect(path('dataos://icebase:retail/**', 'dataos://icebase:retail/customers')).toBe(true);
    expect(path('dataos://icebase:retail/**', 'dataos://icebase:retail')).toBe(true);
    expect(path('dataos://icebase:*/customers', 'dataos://icebase:retail/customers')).toBe(true);
    expect(path('dataos://icebase:retail/*', 'dataos://lakehouse:retail/customers')).toBe(false);
    expect(path('dataos://**', 'dataos://lakehouse:finance/invoices')).toBe(true);
  });

  it('escapes regex characters', () => {
    expect(path('/a.b/(c)+', '/a.b/(c)+')).toBe(true);
    expect(path('/a.b', '/axb')).toBe(false);
    expect(path('/a/\\*', '/a/*')).toBe(true);
    expect(path('/a/\\*', '/a/b')).toBe(false);
  });

  it.each([
    ['', /it is empty/],
    ['/a/[bc', /"\[" at 4 is never closed/],
    ['/a/{b,c', /"\{" at 4 is never closed/],
    ['/a/[]', /never closed/],
    ['/a/[!]', /never closed/],
    ['x\\', /lone backslash/],
    ['/a/' + 'x'.repeat(3000), /at most 2048/],
  ])('refuses the malformed glob %j, saying why', (glob, why) => {
    expect(() => compilePattern(glob, 'path')).toThrow(PatternError);
    expect(() => compilePattern(glob, 'path')).toThrow(why);
    expect(() => compilePattern(glob, 'path')).toThrow(/not a valid glob/);
  });

  it('gives the literal prefix used for indexing', () => {
    expect(literalPrefix('dataos://icebase:retail/**')).toBe('dataos://icebase:retail/');
    expect(literalPrefix('/metis/{a,b}')).toBe('/metis/');
    expect(literalPrefix('/exact')).toBe('/exact');
  });
});
