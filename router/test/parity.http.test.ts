// Parity: every operation of the corpus (test/support/operations.ts) runs through a router on
// its own executor and through one on Apollo Gateway's (ROUTER_EXECUTOR=apollo), against the
// same real HTTP subgraphs, and the answers must be the same: HTTP status, data (with its key
// order), errors in order and whole (message, path, locations, extensions), extensions.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supergraph } from '@apollo/federation-internals';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, startRouter, stripSecurityFeatures, type Router } from '@dataos/router';
import { graphql, tokenFor } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';
import { FIXTURE_OPERATIONS, SHAPE_OPERATIONS, type CorpusOperation } from './support/operations.js';
import { startShapes, type Shapes } from './support/shapes.js';

type Caller = 'anonymous' | 'alice' | 'bob';

let fx: Fixture;
let shapes: Shapes;
const routers: Router[] = [];
const tokens: Partial<Record<Caller, string>> = {};
let fixtureOwn: Router;
let fixtureStock: Router;
let shapesOwn: Router;
let shapesStock: Router;

/** Per run, which executor the router under test used: the parity is only worth it where it is its own. */
const ranOn = { router: 0, 'apollo-gateway': 0 };
const onApollo = new Set<string>();
let compared = 0;

async function executions(router: Router): Promise<Record<string, number>> {
  const metric = await router.metrics.executions.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.executor), v.value]));
}

/** What must be the same: status, data as serialized (key order included), the errors whole (message, path, locations, every extension), the answer's extensions. */
async function answer(router: Router, op: CorpusOperation, caller: Caller) {
  const token = tokens[caller];
  const res = await graphql(router.url, op.query, {
    ...(op.variables ? { variables: op.variables } : {}),
    ...(token ? { token } : {}),
  });
  return {
    status: res.status,
    data: JSON.stringify(res.data),
    errors: res.errors,
    extensions: (res as { extensions?: unknown }).extensions,
  };
}

async function expectSame(own: Router, stock: Router, op: CorpusOperation, caller: Caller) {
  const before = await executions(own);
  const ours = await answer(own, op, caller);
  const after = await executions(own);
  for (const executor of ['router', 'apollo-gateway'] as const)
    ranOn[executor] += (after[executor] ?? 0) - (before[executor] ?? 0);
  if ((after['apollo-gateway'] ?? 0) > (before['apollo-gateway'] ?? 0)) onApollo.add(op.query);
  const theirs = await answer(stock, op, caller);
  compared++;
  expect(ours, `${op.query} as ${caller}`).toEqual(theirs);
}

beforeAll(async () => {
  [fx, shapes] = await Promise.all([startFixture(), startShapes()]);
  [tokens.alice, tokens.bob] = await Promise.all([tokenFor('alice'), tokenFor('bob')]);
  [fixtureOwn, fixtureStock] = await Promise.all([
    fx.router({ ROUTER_EXECUTOR: 'router' }),
    fx.router({ ROUTER_EXECUTOR: 'apollo' }),
  ]);
  const shapesRouter = (executor: string) =>
    startRouter(
      { ...configFromEnv({ ROUTER_EXECUTOR: executor }), port: 0, supergraphPath: shapes.supergraph.path },
      pino({ level: 'silent' }),
    );
  [shapesOwn, shapesStock] = await Promise.all([shapesRouter('router'), shapesRouter('apollo')]);
  routers.push(shapesOwn, shapesStock);
});

afterAll(async () => {
  await Promise.all(routers.map((r) => r.stop()));
  await fx?.stop();
  await shapes?.stop();
});

describe('the corpus holds what the router tests send', () => {
  it('has every query literal of router/test/*.http.test.ts that is valid on the fixture', () => {
    const schema: GraphQLSchema = Supergraph.build(stripSecurityFeatures(fx.sdl)).apiSchema().toGraphQLJSSchema();
    const here = dirname(fileURLToPath(import.meta.url));
    const sent = new Set<string>();
    for (const file of readdirSync(here).filter((f) => f.endsWith('.http.test.ts'))) {
      const source = readFileSync(join(here, file), 'utf8');
      for (const match of source.matchAll(/(?:graphql\([\w.]+,\s*|const query = )'([^']+)'/g)) sent.add(match[1]!);
    }
    const valid = [...sent].filter((query) => {
      try {
        return validate(schema, parse(query)).length === 0;
      } catch {
        return false;
      }
    });
    expect(valid.length).toBeGreaterThan(30);
    const corpus = new Set(FIXTURE_OPERATIONS.map((op) => op.query));
    expect(valid.filter((query) => !corpus.has(query))).toEqual([]);
  });
});

describe("the router tests' operations, with authorization, as anonymous, alice and bob", () => {
  it.each(FIXTURE_OPERATIONS.map((op) => [op.query, op] as const))('%s', async (_query, op) => {
    for (const caller of ['anonymous', 'alice', 'bob'] as const) await expectSame(fixtureOwn, fixtureStock, op, caller);
  });

  it.each([['http500'], ['garbage']] as const)('the same with the reviews subgraph answering %s', async (behaviour) => {
    fx.reviews.behaviour.answer = behaviour;
    try {
      for (const op of FIXTURE_OPERATIONS.filter((o) => /rating|reviews/.test(o.query)))
        await expectSame(fixtureOwn, fixtureStock, op, 'bob');
    } finally {
      fx.reviews.behaviour.answer = 'graphql';
    }
  });
});

describe('federation shapes', () => {
  it.each(SHAPE_OPERATIONS.map((op) => [op.query, op] as const))('%s', async (_query, op) => {
    await expectSame(shapesOwn, shapesStock, op, 'anonymous');
  });
});

describe('the comparison is between two executors', () => {
  it("ran most of the corpus on the router's own executor, and the stock router never did", async () => {
    console.log(
      `parity: ${compared} answers compared; router under test ran ${ranOn.router} on its own executor, ${ranOn['apollo-gateway']} on Apollo Gateway's:\n  ${[...onApollo].join('\n  ')}`,
    );
    expect(compared).toBeGreaterThan(150);
    expect(ranOn.router).toBeGreaterThan(ranOn['apollo-gateway']);
    for (const stock of [fixtureStock, shapesStock]) expect((await executions(stock)).router ?? 0).toBe(0);
  });
});
