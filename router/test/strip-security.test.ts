import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { securityDirectiveNames, stripSecurityFeatures } from '../src/supergraph/strip-security.js';

function compose(imports: string, fields: string): string {
  const result = composeServices([
    {
      name: 'one',
      url: 'http://one/graphql',
      typeDefs: parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [${imports}])
        type Query { ${fields} open: String }`),
    },
  ]);
  if (result.errors) throw result.errors[0];
  return result.supergraphSdl;
}

describe('stripSecurityFeatures', () => {
  it('removes @authenticated, @requiresScopes and @policy so @apollo/gateway accepts the supergraph', () => {
    const sdl = compose(
      '"@authenticated", "@requiresScopes", "@policy"',
      'a: String @authenticated b: String @requiresScopes(scopes: [["read:b"]]) c: String @policy(policies: [["p1"]])',
    );
    expect(() => Supergraph.build(sdl)).toThrow(/SECURITY/);
    const stripped = stripSecurityFeatures(sdl);
    expect(stripped).not.toMatch(/@authenticated|@requiresScopes|@policy|requiresScopes__Scope|policy__Policy/);
    const api = Supergraph.build(stripped).apiSchema();
    expect(
      api.schemaDefinition
        .rootType('query')
        ?.fields()
        .map((f) => f.name),
    ).toEqual(['a', 'b', 'c', 'open']);
  });

  it('follows a renamed import (@link as)', () => {
    const sdl = compose('{ name: "@authenticated", as: "@mustLogIn" }', 'a: String @mustLogIn');
    expect([...securityDirectiveNames(parse(sdl))]).toEqual(['mustLogIn']);
    expect(stripSecurityFeatures(sdl)).not.toContain('mustLogIn');
  });

  it('leaves a supergraph without security features untouched', () => {
    const sdl = compose('"@key"', 'a: String');
    expect(stripSecurityFeatures(sdl)).toBe(sdl);
  });
});
