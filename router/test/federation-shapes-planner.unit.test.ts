// The planners behind the router's executor, without a server: Hive's native planner loads on
// this platform, its plans convert to the executor's plan types (aliases of required fields,
// batches, type conditions, rewrites), and the checks that send an operation to it in `auto`
// find what is wrong in @apollo/query-planner's plans of the shapes it gets wrong.
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner as ApolloQueryPlanner } from '@apollo/query-planner';
import { buildSchema, parse } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '@dataos/router';
import { composeSupergraph } from '@dataos/testkit';
import type { FetchNode, PlanNode, QueryPlan } from '../src/execution/plan-types.js';
import { applyRewrites } from '../src/execution/rewrites.js';
import { groupByContext } from '../src/execution/context.js';
import { acceptContextFeature } from '../src/apollo/context-feature.js';
import { HivePlanner, loadHivePlanner } from '../src/planner/hive.js';
import { OperationPlanner } from '../src/planner/choose.js';
import { fromHivePlan, UnsupportedHivePlan } from '../src/planner/hive-plan.js';
import { apolloPlanDoubts, hasContextRewrites, supergraphFacts } from '../src/planner/supergraph-facts.js';
import { FEDERATION_SHAPES, type FederationShape } from './support/federation-shapes/shapes.js';

const shape = (name: string) => FEDERATION_SHAPES.find((s) => s.name === name)!;
const supergraphOf = (s: FederationShape) =>
  acceptContextFeature(
    composeSupergraph(
      s.subgraphs.map((g) => ({ name: g.name, url: `http://127.0.0.1:9/${g.name}`, typeDefs: g.typeDefs })),
    ),
  );

function apolloPlan(sdl: string, query: string): QueryPlan {
  const supergraph = Supergraph.build(sdl);
  const operation = operationFromDocument(supergraph.apiSchema(), parse(query), {});
  return new ApolloQueryPlanner(supergraph).buildQueryPlan(operation) as unknown as QueryPlan;
}

async function hivePlanner(sdl: string): Promise<HivePlanner> {
  const module = await loadHivePlanner();
  if (module instanceof Error) throw module;
  return new HivePlanner(module, sdl);
}

function fetchesOf(node: PlanNode | undefined, out: FetchNode[] = []): FetchNode[] {
  if (!node) return out;
  if (node.kind === 'Fetch') out.push(node);
  else if (node.kind === 'Sequence' || node.kind === 'Parallel') node.nodes.forEach((n) => fetchesOf(n, out));
  else if (node.kind === 'Flatten') fetchesOf(node.node, out);
  return out;
}

describe('ROUTER_PLANNER', () => {
  it('is auto by default, takes hive and apollo, and names the choices when it is anything else', () => {
    expect(configFromEnv({}).planner).toBe('auto');
    expect(configFromEnv({ ROUTER_PLANNER: 'hive' }).planner).toBe('hive');
    expect(configFromEnv({ ROUTER_PLANNER: 'apollo' }).planner).toBe('apollo');
    expect(() => configFromEnv({ ROUTER_PLANNER: 'rust' })).toThrow(
      'ROUTER_PLANNER must be one of auto, hive, apollo, got "rust"',
    );
  });
});

describe("Hive's query planner", () => {
  it('loads (a native addon) and plans a query', async () => {
    const module = await loadHivePlanner();
    expect(module).not.toBeInstanceOf(Error);
    const planner = await hivePlanner(supergraphOf(shape('keys-mashup')));
    const plan = planner.plan('{ shelf { id books { id title label } } }', undefined);
    const fetches = fetchesOf(plan.node as PlanNode);
    expect(fetches.map((f) => f.serviceName)).toEqual(['library', 'catalog', 'library']);
    // library resolves Book by `id edition { volume printing }` only: that is the key it is sent.
    expect(JSON.stringify(fetches[2]!.requires)).toContain('"printing"');
  });

  it('refuses an operation that is not valid with an error the router can fall back on', async () => {
    const planner = await hivePlanner(supergraphOf(shape('keys-mashup')));
    expect(() => planner.plan('{ nope }', undefined)).toThrow();
  });
});

describe("checks of @apollo/query-planner's plans", () => {
  it('a plan that sends a key the subgraph cannot resolve is doubted; a sound one is not', () => {
    const sdl = supergraphOf(shape('keys-mashup'));
    const facts = supergraphFacts(sdl);
    const wrong = apolloPlan(sdl, '{ shelf { id books { id title label } } }');
    expect(apolloPlanDoubts(wrong, facts)).toEqual(['library cannot resolve Book by the key the plan sends']);
    expect(apolloPlanDoubts(apolloPlan(sdl, '{ shelf { id books { id title } } }'), facts)).toEqual([]);
  });

  it('a fetch of a field that requires a field with arguments is doubted', () => {
    const sdl = supergraphOf(shape('requires-with-argument-conflict'));
    const plan = apolloPlan(sdl, '{ products { shippingCost shippingCostEUR } }');
    expect(apolloPlanDoubts(plan, supergraphFacts(sdl))).toContain(
      'Product.shippingCostEUR requires a field with arguments',
    );
    expect(apolloPlanDoubts(apolloPlan(sdl, '{ products { name } }'), supergraphFacts(sdl))).toEqual([]);
  });

  it('@fromContext plans carry context rewrites, which Hive’s plans lack', async () => {
    const sdl = supergraphOf(shape('from-context'));
    const query = '{ customers { basket { lines { amount } } } }';
    expect(supergraphFacts(sdl).hasContexts).toBe(true);
    expect(hasContextRewrites(apolloPlan(sdl, query))).toBe(true);
    expect(hasContextRewrites((await hivePlanner(sdl)).plan(query, undefined))).toBe(false);
  });
});

describe('the choice of planner (auto)', () => {
  const silent = pino({ level: 'silent' });
  async function loadedPlanner() {
    const planner = new OperationPlanner('auto', silent);
    await loadHivePlanner();
    await new Promise((r) => setImmediate(r));
    return planner;
  }
  const sdl = supergraphOf(shape('keys-mashup'));
  const query = '{ shelf { id books { id title label } } }';

  it("Apollo's plan where it is sound, Hive's where it is known wrong or Apollo's planner throws", async () => {
    const planner = await loadedPlanner();
    const args = { supergraphSdl: sdl, query: () => query, operationName: undefined };
    const sound = apolloPlan(sdl, '{ shelf { id } }');
    expect(planner.plan({ ...args, planner: {}, apollo: () => sound }).planner).toBe('apollo');
    const wrong = apolloPlan(sdl, query);
    expect(planner.plan({ ...args, planner: {}, apollo: () => wrong }).planner).toBe('hive');
    const failing = () => {
      throw new Error('Cannot plan this');
    };
    expect(planner.plan({ ...args, planner: {}, apollo: failing }).planner).toBe('hive');
  });

  it("an operation Apollo's planner refuses for its safety limits is not handed to Hive's", async () => {
    const planner = await loadedPlanner();
    const limit = () => {
      throw new Error('Exceeded maximum recursive selections in this operation');
    };
    expect(() =>
      planner.plan({ planner: {}, supergraphSdl: sdl, query: () => query, operationName: undefined, apollo: limit }),
    ).toThrow('Exceeded maximum recursive selections');
  });
});

describe("Hive's plans in the executor's plan types", () => {
  it('a required field fetched under an alias is renamed back in the representation', async () => {
    const planner = await hivePlanner(supergraphOf(shape('requires-with-argument')));
    const plan = planner.plan('{ feed { author { id } comments(limit: 1) { id } } }', undefined);
    const last = fetchesOf(plan.node as PlanNode).at(-1)!;
    expect(last.inputRewrites).toEqual([
      { kind: 'KeyRenamer', path: ['... on Post', '_internal_qp_alias_0'], renameKeyTo: 'comments' },
    ]);
    const representation = { __typename: 'Post', id: 'p', _internal_qp_alias_0: [{ authorId: 'a' }] };
    applyRewrites(buildSchema('type Post { id: ID }'), last.inputRewrites, representation);
    expect(representation).toEqual({ __typename: 'Post', id: 'p', comments: [{ authorId: 'a' }] });
  });

  it('a batch of entity fetches becomes one entity fetch per entry, each a valid operation of its own', async () => {
    const planner = await hivePlanner(supergraphOf(shape('requires-with-argument-conflict')));
    const plan = planner.plan('{ products { shippingCost shippingCostEUR premium } }', undefined);
    const entityFetches = fetchesOf(plan.node as PlanNode).filter((f) => f.requires);
    expect(entityFetches).toHaveLength(2);
    for (const fetch of entityFetches) {
      expect(fetch.operation).toMatch(
        /^query \(\$representations: \[_Any!\]!\) \{\s+_entities\(representations: \$representations\)/,
      );
      expect(() => parse(fetch.operation)).not.toThrow();
    }
  });

  it('type conditions in a flatten path are dropped only above an entity fetch with typed requires', () => {
    const fetch = {
      kind: 'Fetch',
      serviceName: 's',
      operation: '{ a }',
      requires: [{ kind: 'InlineFragment', typeCondition: 'Song', selections: [{ kind: 'Field', name: 'id' }] }],
    };
    const typed = [{ Field: 'media' }, '@', { TypeCondition: ['Song'] }];
    const plan = fromHivePlan({ kind: 'QueryPlan', node: { kind: 'Flatten', path: typed, node: fetch } as never });
    expect(plan.node).toMatchObject({ kind: 'Flatten', path: ['media', '@'] });
    expect(() =>
      fromHivePlan({
        kind: 'QueryPlan',
        node: { kind: 'Flatten', path: typed, node: { kind: 'Sequence', nodes: [fetch] } } as never,
      }),
    ).toThrow(UnsupportedHivePlan);
    expect(() => fromHivePlan({ kind: 'QueryPlan', node: { kind: 'Defer' } as never })).toThrow(UnsupportedHivePlan);
  });
});

describe('rewrites and contexts in the executor', () => {
  const schema = buildSchema(`
    interface Media { id: ID }
    type Song implements Media { id: ID }
    type Customer { id: ID currency: String basket: Basket }
    type Basket { lines: [Line] }
    type Line { id: ID }
    type Query { media: Media }`);

  it('a ValueSetter under a type condition applies to subtypes, and to objects without __typename', () => {
    const values = [{ __typename: 'Song', id: '1' }, { __typename: 'Customer', id: '2' }, { id: '3' }];
    applyRewrites(schema, [{ kind: 'ValueSetter', path: ['... on Media', '__typename'], setValueTo: 'Media' }], values);
    expect(values.map((v) => (v as { __typename?: string }).__typename)).toEqual(['Media', 'Customer', 'Media']);
  });

  it('entities are grouped by the context values above them, at most 100 groups', () => {
    const lines = (n: number, from: number) =>
      Array.from({ length: n }, (_, i) => ({ __typename: 'Line', id: `${from + i}` }));
    const data = {
      customers: [
        { __typename: 'Customer', currency: 'EUR', basket: { lines: lines(2, 0) } },
        { __typename: 'Customer', currency: 'USD', basket: { lines: lines(1, 2) } },
        { __typename: 'Customer', currency: 'EUR', basket: { lines: lines(1, 3) } },
      ],
    };
    const rewrites = [{ kind: 'KeyRenamer', path: ['..', '..', '... on Customer', 'currency'], renameKeyTo: 'ctx_0' }];
    const groups = groupByContext(schema, rewrites, data, ['customers', '@', 'basket', 'lines', '@']);
    expect(groups.map((g) => [g.variables.ctx_0, g.entities.map((e) => e.id)])).toEqual([
      ['EUR', ['0', '1', '3']],
      ['USD', ['2']],
    ]);
    const many = {
      customers: Array.from({ length: 101 }, (_, i) => ({
        __typename: 'Customer',
        currency: `C${i}`,
        basket: { lines: lines(1, i) },
      })),
    };
    expect(() => groupByContext(schema, rewrites, many, ['customers', '@', 'basket', 'lines', '@'])).toThrow(
      'More than 100 distinct contexts for one fetch.',
    );
  });
});
