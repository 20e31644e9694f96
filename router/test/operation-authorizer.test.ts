import { OperationDocument } from '@dataos/operation-walker';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '@dataos/testkit';
import { OperationAuthorizer, type GatewayExecutor, type GatewayRequestContext } from '../src/authz/authorize.js';
import type { DecisionCache } from '../src/authz/decision-cache.js';
import type { CallerAuthorization } from '../src/authz/evaluate.js';
import { authzIndexFromSupergraph } from '../src/authz/requirements.js';
import type { ExecutionTarget } from '../src/execution/executor.js';
import type { PreparedOperation } from '../src/operations.js';
import { stripSecurityFeatures } from '../src/supergraph/strip-security.js';

const SCOPES = ['s0', 's1', 's2', 's3', 's4', 's5'];
const SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@requiresScopes"])
  type Query {
    open: String
    ${SCOPES.map((s) => `${s}: String @requiresScopes(scopes: [["${s}"]])`).join('\n    ')}
  }`;

const supergraph = composeSupergraph([{ name: 'one', url: 'http://one/graphql', typeDefs: SDL }]);
const schema = Supergraph.build(stripSecurityFeatures(supergraph)).apiSchema().toGraphQLJSSchema();
const index = authzIndexFromSupergraph(supergraph);
const query = `{ open ${SCOPES.join(' ')} }`;
const document = parse(query);
const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;

/** An authorizer whose caller holds `scopes.current`, recording what it is asked to run. */
function setup() {
  const scopes = { current: [] as string[] };
  const ran: ExecutionTarget[] = [];
  const decisions = {
    authorize: async (): Promise<CallerAuthorization> => ({
      authenticated: true,
      scopes: new Set(scopes.current),
      policies: new Map(),
    }),
  } as unknown as DecisionCache;
  const authorizer = new OperationAuthorizer({
    decisions,
    rejectUnauthorized: false,
    indexFor: () => index,
    run: async (_requestContext, target) => {
      ran.push(target);
      // What the router's executor does: plan once, keep it on the target.
      target.execution ??= null;
      return { data: {} };
    },
  });
  const gatewayRan: string[] = [];
  const executor: GatewayExecutor = async (requestContext) => {
    gatewayRan.push(print(requestContext.document));
    return { data: {} };
  };
  const request = (prepared: PreparedOperation | undefined) =>
    ({
      request: { variables: {} },
      context: { requestId: 'r', authorization: 'Bearer t', clientHeaders: {}, ...(prepared ? { prepared } : {}) },
      document,
      operation,
      schema,
      queryHash: 'hash',
    }) as unknown as GatewayRequestContext;
  return { authorizer, executor, scopes, ran, gatewayRan, request };
}

const prepare = (): PreparedOperation => ({
  schema,
  document,
  operation,
  walked: new OperationDocument(schema, document, operation),
  shape: {
    depth: 1,
    aliases: 0,
    rootFields: 7,
    selections: 7,
    cost: 7,
    costDependsOnVariables: false,
    introspectionDepth: 0,
    introspectionLists: 0,
    visited: 7,
  },
});

describe('OperationAuthorizer', () => {
  it('keeps the most used filtered versions (and their plans) once a document has more than 32', async () => {
    const { authorizer, executor, scopes, ran, request } = setup();
    const prepared = prepare();
    // 63 other filtered versions first (every subset of the 6 scopes but {s0}), then {s0}, often.
    for (let mask = 0; mask < 64; mask++) {
      if (mask === 1) continue;
      scopes.current = SCOPES.filter((_, i) => mask & (1 << i));
      await authorizer.execute(request(prepared), executor);
    }
    const hotTargets = new Set<ExecutionTarget>();
    for (let i = 0; i < 3; i++) {
      scopes.current = ['s0'];
      await authorizer.execute(request(prepared), executor);
      hotTargets.add(ran[ran.length - 1]!);
    }
    // The hot version was filtered (and planned) once, not again for each request past 32.
    expect(hotTargets.size).toBe(1);
    expect(print([...hotTargets][0]!.document)).toBe(print(parse('{ open s0 }')));
  });

  it('analyzes on the spot when the request has no prepared operation: never runs it unfiltered', async () => {
    const { authorizer, executor, scopes, ran, gatewayRan, request } = setup();
    scopes.current = ['s1'];
    const result = await authorizer.execute(request(undefined), executor);
    expect(gatewayRan).toEqual([]);
    expect(ran.map((t) => print(t.document))).toEqual([print(parse('{ open s1 }'))]);
    expect(result.errors?.map((e) => e.path)).toEqual([['s0'], ['s2'], ['s3'], ['s4'], ['s5']]);
  });

  it('analyzes again when the directives of the same schema change', async () => {
    const { scopes, ran, request, executor } = setup();
    let current = index;
    const open = authzIndexFromSupergraph(
      composeSupergraph([
        { name: 'one', url: 'http://one/graphql', typeDefs: SDL.replace(/ @requiresScopes\([^)]*\)/g, '') },
      ]),
    );
    const authorizer = new OperationAuthorizer({
      decisions: {
        authorize: async () => ({ authenticated: true, scopes: new Set(scopes.current), policies: new Map() }),
      } as unknown as DecisionCache,
      rejectUnauthorized: false,
      indexFor: () => current,
      run: async (_r, target) => (ran.push(target), { data: {} }),
    });
    const prepared = prepare();
    current = open;
    expect((await authorizer.execute(request(prepared), executor)).errors).toBeUndefined();
    current = index;
    const denied = await authorizer.execute(request(prepared), executor);
    expect(denied.errors).toHaveLength(6);
  });
});
