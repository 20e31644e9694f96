import { describe, expect, it } from 'vitest';
import { compileGlob, globMatches, literalPrefix, normalizePath } from '../../src/engine/glob.js';

const path = (glob: string, value: string) => globMatches(compileGlob(glob, '/'), normalizePath(value));
const tag = (glob: string, value: string) => globMatches(compileGlob(glob, ':'), value);

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

  it('is case-sensitive', () => {
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
  });

  it.each(['', '/a/[bc', '/a/{b,c', '/a/[]', '/a/[!]', 'x\\'])('refuses the malformed glob %j', (glob) => {
    expect(() => compileGlob(glob, '/')).toThrow(/not a valid glob/);
  });

  it('gives the literal prefix used for indexing', () => {
    expect(literalPrefix('dataos://icebase:retail/**')).toBe('dataos://icebase:retail/');
    expect(literalPrefix('/metis/{a,b}')).toBe('/metis/');
    expect(literalPrefix('/exact')).toBe('/exact');
  });
});
