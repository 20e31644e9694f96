import { OperationDocument } from '@dataos/operation-walker';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, print, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '@dataos/testkit';
import { analyzeOperation, requirementsFor } from '../src/authz/analyze.js';
import { ANONYMOUS, deniedKey, isSatisfied, type CallerAuthorization } from '../src/authz/evaluate.js';
import { filterOperation } from '../src/authz/filter.js';
import { authzIndexFromSupergraph, type Requirement } from '../src/authz/requirements.js';
import { patchResponse } from '../src/authz/response.js';
import { stripSecurityFeatures } from '../src/supergraph/strip-security.js';

const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])
  type Query {
    open: String
    me: User @authenticated
    users(first: Int = 10): [User!]!
    things: [Thing!]!
    secret: String! @policy(policies: [["p1", "p2"], ["p3"]])
    scoped: String @requiresScopes(scopes: [["read:a"]])
  }
  type User @key(fields: "id") {
    id: ID!
    name: String
    email: String @requiresScopes(scopes: [["email"]])
    ssn: String! @policy(policies: [["pii"]])
    manager: User
  }
  interface Thing { id: ID! label: String }
  type Box implements Thing { id: ID! label: String size: Int }
  type Vault implements Thing @authenticated { id: ID! label: String gold: Int }`;

const supergraph = composeSupergraph([{ name: 'one', url: 'http://one/graphql', typeDefs: SDL }]);
const schema: GraphQLSchema = Supergraph.build(stripSecurityFeatures(supergraph)).apiSchema().toGraphQLJSSchema();
const index = authzIndexFromSupergraph(supergraph);
const requirements = requirementsFor(schema, index);

function analyze(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const walked = new OperationDocument(schema, document, operation);
  return { document, operation, walked, analysis: analyzeOperation(requirements, walked) };
}

const caller = (c: Partial<CallerAuthorization>): CallerAuthorization => ({
  authenticated: true,
  scopes: new Set(),
  policies: new Map(),
  ...c,
});

/** Filters `query` for `who`: the printed document, removed paths and the patched answer of `data`. */
function filter(query: string, who: CallerAuthorization, data?: Record<string, unknown>) {
  const { document, walked, analysis } = analyze(query);
  const key = deniedKey(analysis.requirements, who);
  if (key === undefined) return { printed: print(document), paths: [], data };
  const filtered = filterOperation(
    walked,
    analysis,
    [...key].map((c) => c === '1'),
  );
  return {
    printed: print(filtered.document).replace(/\s+/g, ' '),
    paths: filtered.removals.map((r) => r.path),
    data: data && patchResponse(data, filtered.patch),
  };
}

describe('reading requirements from the supergraph', () => {
  it('reads field and type directives, with OR of AND groups', () => {
    expect(index.fields.get('Query.secret')).toEqual({
      authenticated: false,
      scopes: [],
      policies: [[['p1', 'p2'], ['p3']]],
    });
    expect(index.fields.get('User.email')).toEqual({ authenticated: false, scopes: [[['email']]], policies: [] });
    expect(index.types.get('Vault')).toEqual({ authenticated: true, scopes: [], policies: [] });
    expect(index.fields.has('Query.open')).toBe(false);
  });

  it('reads directives under the names the supergraph gives them', () => {
    const renamed = `schema
      @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
      @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "loggedIn", for: SECURITY)
      @link(url: "https://specs.apollo.dev/policy/v0.1", import: [{ name: "@policy", as: "@rule" }], for: SECURITY)
      { query: Query }
      directive @loggedIn on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
      directive @rule(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
      type Query { a: String @loggedIn b: String @rule(policies: [["x"]]) c: String @authenticated }
      directive @authenticated on FIELD_DEFINITION`;
    const renamedIndex = authzIndexFromSupergraph(renamed);
    expect(renamedIndex.fields.get('Query.a')?.authenticated).toBe(true);
    expect(renamedIndex.fields.get('Query.b')?.policies).toEqual([[['x']]]);
    // A directive merely called @authenticated, not linked as the spec, is not authorization.
    expect(renamedIndex.fields.has('Query.c')).toBe(false);
  });

  it('knows no requirement in a supergraph without the security specs', () => {
    expect(
      authzIndexFromSupergraph(
        composeSupergraph([{ name: 'x', url: 'http://x', typeDefs: 'type Query { a: String }' }]),
      ).fields.size,
    ).toBe(0);
  });
});

describe('evaluating a requirement', () => {
  const policy: Requirement = { authenticated: false, scopes: [], policies: [[['p1', 'p2'], ['p3']]] };
  it('needs every policy of one group', () => {
    expect(
      isSatisfied(
        policy,
        caller({
          policies: new Map([
            ['p1', true],
            ['p2', true],
          ]),
        }),
      ),
    ).toBe(true);
    expect(
      isSatisfied(
        policy,
        caller({
          policies: new Map([
            ['p1', true],
            ['p2', false],
          ]),
        }),
      ),
    ).toBe(false);
    expect(isSatisfied(policy, caller({ policies: new Map([['p3', true]]) }))).toBe(true);
    expect(isSatisfied(policy, ANONYMOUS)).toBe(false);
  });
  it('needs authentication for @authenticated and scopes for @requiresScopes', () => {
    expect(isSatisfied({ authenticated: true, scopes: [], policies: [] }, ANONYMOUS)).toBe(false);
    expect(
      isSatisfied({ authenticated: false, scopes: [[['a', 'b']]], policies: [] }, caller({ scopes: new Set(['a']) })),
    ).toBe(false);
    expect(
      isSatisfied(
        { authenticated: false, scopes: [[['a', 'b']]], policies: [] },
        caller({ scopes: new Set(['a', 'b']) }),
      ),
    ).toBe(true);
  });
  it('denies everything protected when Heimdall could not be asked', () => {
    expect(deniedKey([{ authenticated: true, scopes: [], policies: [] }], caller({ unavailable: true }))).toBe('1');
  });
});

describe('analysing an operation', () => {
  it('finds protected fields and types, through fragments, and the policies to ask about', () => {
    const { analysis } = analyze(`query { open me { name } ...F users { ... on User { email } } things { id } }
      fragment F on Query { secret }`);
    expect(analysis.policyNames).toEqual(['p1', 'p2', 'p3']);
    // me (@authenticated), secret (policy), email (scopes), things (Thing includes Vault, @authenticated)
    expect(analysis.sites.size).toBe(4);
    // me and things need the same (authentication): one requirement, evaluated once.
    expect(analysis.requirements).toHaveLength(3);
  });

  it('has nothing to do for an operation without protected selections', () => {
    const { analysis } = analyze('{ open users { id name manager { name } } __typename }');
    expect(analysis.sites.size).toBe(0);
  });

  it('protects a fragment on a protected type', () => {
    const { analysis } = analyze('{ things { id ... on Vault { gold } ... on Box { size } } }');
    const kinds = [...analysis.sites.keys()].map((n) => n.kind);
    expect(kinds).toContain(Kind.INLINE_FRAGMENT);
  });
});

describe('filtering an operation and shaping its answer', () => {
  it('removes what is denied, keeps __typename and introspection, and puts null back in order', () => {
    const result = filter('{ __typename open me { name } scoped __type(name: "User") { name } }', ANONYMOUS, {
      __typename: 'Query',
      open: 'o',
      __type: { name: 'User' },
    });
    expect(result.printed).toBe('{ __typename open __type(name: "User") { name } }');
    expect(result.paths).toEqual([['me'], ['scoped']]);
    expect(Object.entries(result.data!)).toEqual([
      ['__typename', 'Query'],
      ['open', 'o'],
      ['me', null],
      ['scoped', null],
      ['__type', { name: 'User' }],
    ]);
  });

  it('keeps a selection set that lost every field valid with a __typename it removes again', () => {
    const result = filter('{ users { email } }', caller({}), {
      users: [{ __authz_typename: 'User' }, { __authz_typename: 'User' }],
    });
    expect(result.printed).toBe('{ users { __authz_typename: __typename } }');
    expect(result.paths).toEqual([['users', '@', 'email']]);
    expect(result.data).toEqual({ users: [{ email: null }, { email: null }] });
  });

  it('propagates null from a removed non-null field to the nearest nullable parent', () => {
    // ssn: String! inside User inside [User!]!: the whole data becomes null.
    expect(filter('{ open users { id ssn } }', caller({}), { open: 'o', users: [{ id: '1' }] }).data).toBeNull();
    // me: User (nullable): me becomes null; the rest stays.
    expect(filter('{ open me { id ssn } }', caller({}), { open: 'o', me: { id: '1' } }).data).toEqual({
      open: 'o',
      me: null,
    });
    // secret: String! at the root: data becomes null.
    expect(filter('{ open secret }', caller({}), { open: 'o' }).data).toBeNull();
  });

  it('inlines fragments and applies a removal under a type condition to objects of that type only', () => {
    const result = filter('{ things { id ...V ... on Box { size } } } fragment V on Vault { gold }', ANONYMOUS);
    // Thing's possible types include Vault (@authenticated): the whole field is removed for the anonymous.
    expect(result.paths).toEqual([['things']]);
    const authenticatedNoScope = filter('{ me { ...U } } fragment U on User { name email }', caller({}), {
      me: { name: 'n' },
    });
    expect(authenticatedNoScope.printed).toBe('{ me { ... on User { name } } }');
    expect(authenticatedNoScope.data).toEqual({ me: { name: 'n', email: null } });
  });

  it('does not put back a removed field that @skip/@include leave out', () => {
    const { walked, analysis } = analyze('query ($a: Boolean = false) { open me @include(if: $a) { id } }');
    const filtered = filterOperation(walked, analysis, [true]);
    expect(filtered.removals).toEqual([{ path: ['me'], requirement: 0, conditions: [{ include: 'a' }] }]);
    expect(filtered.defaults).toEqual({ a: false });
    expect(patchResponse({ open: 'o' }, filtered.patch, {}, filtered.defaults)).toEqual({ open: 'o' });
    expect(patchResponse({ open: 'o' }, filtered.patch, { a: true }, filtered.defaults)).toEqual({
      open: 'o',
      me: null,
    });
  });

  it('drops variables that only removed selections used', () => {
    const result = filter(
      'query ($n: Int, $x: Int) { users(first: $n) { id } me { id } open @include(if: true) other: users(first: $x) { email } }',
      ANONYMOUS,
    );
    expect(result.printed).toBe(
      'query ($n: Int, $x: Int) { users(first: $n) { id } open @include(if: true) other: users(first: $x) { __authz_typename: __typename } }',
    );
    const dropped = filter('query ($x: Int) { open me { manager { id } } a: users(first: $x) { id } }', ANONYMOUS);
    expect(dropped.printed).toContain('query ($x: Int)');
    const unused = filter('query ($x: Boolean!) { open me @include(if: $x) { id } }', ANONYMOUS);
    expect(unused.printed).toBe('{ open }');
  });
});
