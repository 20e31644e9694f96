// The engine's start-up check on a real router: with the pinned Apollo Gateway the router's
// executor runs; when Apollo Gateway lacks what it reads (a stand-in hides one field, as a
// future version might), ROUTER_EXECUTOR=auto sends every operation to Apollo Gateway's own
// executor with one warning, and ROUTER_EXECUTOR=router refuses to start.
import type { ApolloGateway } from '@apollo/gateway';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { graphql, tokenFor } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';
import { FIXTURE_OPERATIONS } from './support/operations.js';

let fx: Fixture;
let bob: string;

/** The real Apollo Gateway with one of its fields gone, read live. */
const without = (field: string) => (apollo: ApolloGateway) =>
  new Proxy(apollo, { get: (target, key) => (key === field ? undefined : Reflect.get(target, key)) });

async function executions(router: Router): Promise<{ router: number; apollo: number }> {
  const values = (await router.metrics.executions.get()).values;
  const of = (executor: string) => values.find((v) => v.labels.executor === executor)?.value ?? 0;
  return { router: of('router'), apollo: of('apollo-gateway') };
}

/** Each corpus operation as bob, answered as the test compares them. */
async function runCorpus(router: Router) {
  const answers = [];
  for (const op of FIXTURE_OPERATIONS) {
    const res = await graphql(router.url, op.query, {
      token: bob,
      ...(op.variables ? { variables: op.variables } : {}),
    });
    answers.push({ status: res.status, data: res.data, errors: res.errors });
  }
  return answers;
}

beforeAll(async () => {
  fx = await startFixture();
  bob = await tokenFor('bob');
});

afterAll(async () => {
  await fx?.stop();
});

describe('ROUTER_EXECUTOR', () => {
  it("router: the pinned Apollo Gateway passes the check and the router's executor runs", async () => {
    const router = await fx.router({ ROUTER_EXECUTOR: 'router' });
    expect((await graphql(router.url, '{ publicInfo products(first: 1) { id rating } }')).data).toEqual({
      publicInfo: 'hello',
      products: [{ id: '0', rating: 4.5 }],
    });
    expect(await executions(router)).toEqual({ router: 1, apollo: 0 });
  });

  it("auto: when a field is missing, every operation runs on Apollo Gateway's executor, answered alike, with one warning", async () => {
    const logs: { level: number; msg: string; missing?: string[]; apolloGateway?: string }[] = [];
    const logger = pino(
      { level: 'warn' },
      { write: (line: string) => void logs.push(JSON.parse(line) as (typeof logs)[number]) },
    );
    const fallback = await fx.router({}, {}, { logger, apolloInternalsOf: without('queryPlanner') });
    const normal = await fx.router();

    const expected = await runCorpus(normal);
    const answers = await runCorpus(fallback);
    expect(answers).toEqual(expected);

    const ran = await executions(normal);
    expect(ran.router).toBeGreaterThan(30); // the corpus does run on the router's executor normally...
    expect(await executions(fallback)).toEqual({ router: 0, apollo: ran.router + ran.apollo }); // ...and here on Apollo Gateway's, all of it

    const warnings = logs.filter((l) => l.msg.includes("lacks what the router's executor reads"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      level: 40,
      missing: ['queryPlanner.buildQueryPlan (a function)'],
      apolloGateway: expect.stringMatching(/^2\.14\./),
    });
  });

  it('router: a missing field refuses the start, naming it', async () => {
    await expect(
      fx.router({ ROUTER_EXECUTOR: 'router' }, {}, { apolloInternalsOf: without('serviceMap') }),
    ).rejects.toThrow(
      /^ROUTER_EXECUTOR=router, but @apollo\/gateway 2\.14\.\d+ lacks what the router's executor reads: serviceMap \(subgraph name to \{ dataSource \}\)/,
    );
  });

  it("apollo: the router's executor is never used, even with everything there", async () => {
    const router = await fx.router({ ROUTER_EXECUTOR: 'apollo' });
    expect((await graphql(router.url, '{ publicInfo products(first: 1) { id rating } }')).data).toEqual({
      publicInfo: 'hello',
      products: [{ id: '0', rating: 4.5 }],
    });
    expect(await executions(router)).toEqual({ router: 0, apollo: 1 });
  });
});
