// Federation shapes written from the specification (test/support/federation-shapes/shapes.ts):
// each shape's subgraphs over real HTTP, composed, behind a router with default settings (and
// again with ROUTER_PLANNER=hive). Every case must answer exactly the hand-written data, with no
// error, on the router's own executor: an operation that went to Apollo Gateway's executor fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '@dataos/testkit';
import { FEDERATION_SHAPES } from './support/federation-shapes/shapes.js';
import { executions, serveShape, type ServedShape } from './support/federation-shapes/serve.js';

const SETTINGS: { label: string; env: Record<string, string> }[] = [
  { label: 'default settings', env: {} },
  { label: 'ROUTER_PLANNER=hive', env: { ROUTER_PLANNER: 'hive' } },
];

for (const { label, env } of SETTINGS) {
  for (const shape of FEDERATION_SHAPES) {
    describe(`${shape.name} (${label})`, () => {
      let served: ServedShape;
      beforeAll(async () => {
        served = await serveShape(shape, env);
      });
      afterAll(async () => {
        await served?.stop();
      });

      for (const c of shape.cases) {
        it(c.name, async () => {
          const before = await executions(served.router);
          const res = await graphql(served.router.url, c.query, c.variables ? { variables: c.variables } : {});
          const after = await executions(served.router);
          if (c.errors) expect(res.errors?.map((e) => ({ message: e.message, path: e.path }))).toEqual(c.errors);
          else expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
          expect(res.data).toEqual(c.data);
          expect((after.router ?? 0) - (before.router ?? 0), "on the router's executor").toBe(1);
          expect(after['apollo-gateway'] ?? 0, "never on Apollo Gateway's").toBe(before['apollo-gateway'] ?? 0);
        });
      }
    });
  }
}

describe('ROUTER_PLANNER=apollo: the shapes @apollo/query-planner plans wrongly stay wrong without Hive’s planner', () => {
  const wrong = [
    ['keys-mashup', 0],
    ['requires-with-argument', 2],
    ['requires-with-argument-conflict', 0],
  ] as const;
  for (const [name, index] of wrong) {
    it(`${name}: ${FEDERATION_SHAPES.find((s) => s.name === name)!.cases[index]!.name}`, async () => {
      const shape = FEDERATION_SHAPES.find((s) => s.name === name)!;
      const served = await serveShape(shape, { ROUTER_PLANNER: 'apollo' });
      try {
        const c = shape.cases[index]!;
        const res = await graphql(served.router.url, c.query);
        expect(res.data).not.toEqual(c.data);
      } finally {
        await served.stop();
      }
    });
  }
});
