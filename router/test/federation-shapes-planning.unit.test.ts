// Both query planners over the parity corpus (test/support/operations.ts on the fixture and the
// shapes supergraph) and the federation shapes: every valid operation must be planned by Hive's
// planner into plan types the router's executor runs, and by @apollo/query-planner where it
// can; the median planning time of each is printed (`npx vitest run <this file>`), not asserted.
import { performance } from 'node:perf_hooks';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner as ApolloQueryPlanner } from '@apollo/query-planner';
import { parse, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { stripSecurityFeatures } from '@dataos/router';
import { composeSupergraph } from '@dataos/testkit';
import { acceptContextFeature } from '../src/apollo/context-feature.js';
import type { QueryPlan } from '../src/execution/plan-types.js';
import { HivePlanner, loadHivePlanner } from '../src/planner/hive.js';
import { apolloPlanDoubts, hasContextRewrites, supergraphFacts } from '../src/planner/supergraph-facts.js';
import { CATALOG_SDL, REVIEWS_SDL } from './support/fixture.js';
import { FEDERATION_SHAPES } from './support/federation-shapes/shapes.js';
import { FIXTURE_OPERATIONS, SHAPE_OPERATIONS } from './support/operations.js';
import { ACCOUNTS_SDL, INVENTORY_SDL, REVIEWS_DOWN_SDL } from './support/shapes.js';

const url = (name: string) => `http://127.0.0.1:9/${name}`;
const CORPORA = [
  {
    name: 'parity: fixture',
    sdl: composeSupergraph([
      { name: 'catalog', url: url('catalog'), typeDefs: CATALOG_SDL },
      { name: 'reviews', url: url('reviews'), typeDefs: REVIEWS_SDL },
    ]),
    queries: FIXTURE_OPERATIONS.map((o) => o.query),
  },
  {
    name: 'parity: shapes',
    sdl: composeSupergraph([
      { name: 'accounts', url: url('accounts'), typeDefs: ACCOUNTS_SDL },
      { name: 'inventory', url: url('inventory'), typeDefs: INVENTORY_SDL },
      { name: 'reviews', url: url('reviews'), typeDefs: REVIEWS_DOWN_SDL },
    ]),
    queries: SHAPE_OPERATIONS.map((o) => o.query),
  },
  ...FEDERATION_SHAPES.map((shape) => ({
    name: shape.name,
    sdl: composeSupergraph(shape.subgraphs.map((s) => ({ name: s.name, url: url(s.name), typeDefs: s.typeDefs }))),
    queries: shape.cases.map((c) => c.query),
  })),
];

const ROUNDS = 15;
function medianMs(run: () => unknown): number {
  run(); // warm
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

describe('both planners over the corpus', () => {
  it('Hive plans every valid operation into runnable plan types; Apollo plans them too, some known wrong', async () => {
    const hiveModule = await loadHivePlanner();
    if (hiveModule instanceof Error) throw hiveModule;
    const rows: string[] = [];
    let total = 0;
    let hivePlanned = 0;
    let apolloPlanned = 0;
    const apolloDoubted: string[] = [];
    const contextual: string[] = [];
    const times = { apollo: [] as number[], hive: [] as number[] };
    for (const corpus of CORPORA) {
      const plannerSdl = acceptContextFeature(stripSecurityFeatures(corpus.sdl));
      const supergraph = Supergraph.build(plannerSdl);
      const apiSchema = supergraph.apiSchema();
      const schema = apiSchema.toGraphQLJSSchema();
      const apollo = new ApolloQueryPlanner(supergraph);
      const hive = new HivePlanner(hiveModule, plannerSdl);
      const facts = supergraphFacts(plannerSdl);
      let count = 0;
      let apolloMs = 0;
      let hiveMs = 0;
      for (const query of new Set(corpus.queries)) {
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch {
          continue; // refused while parsing: never planned
        }
        const kind = document.definitions[0]?.kind === 'OperationDefinition' ? document.definitions[0].operation : '';
        // What the router plans: valid operations, no introspection, no subscription (refused before planning).
        if (
          validate(schema, document).length > 0 ||
          /__schema|__type\b|__type\(/.test(query) ||
          kind === 'subscription'
        )
          continue;
        count++;
        let apolloPlan: QueryPlan | undefined;
        try {
          apolloPlan = apollo.buildQueryPlan(operationFromDocument(apiSchema, document, {})) as unknown as QueryPlan;
          apolloPlanned++;
          const a = medianMs(() => apollo.buildQueryPlan(operationFromDocument(apiSchema, document, {})));
          apolloMs += a;
          times.apollo.push(a);
        } catch {
          // counted below: apolloPlanned falls short
        }
        const h = medianMs(() => hive.plan(query, undefined));
        hiveMs += h;
        times.hive.push(h);
        expect(hive.plan(query, undefined).kind).toBe('QueryPlan'); // converted, or it throws
        hivePlanned++;
        if (apolloPlan && apolloPlanDoubts(apolloPlan, facts).length) apolloDoubted.push(`${corpus.name}: ${query}`);
        if (apolloPlan && hasContextRewrites(apolloPlan)) contextual.push(`${corpus.name}: ${query}`);
      }
      total += count;
      rows.push(
        `| ${corpus.name} | ${count} | ${(apolloMs / Math.max(count, 1)).toFixed(3)} | ${(hiveMs / Math.max(count, 1)).toFixed(3)} |`,
      );
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    console.log(
      [
        '| corpus | operations | Apollo ms/plan (mean of medians) | Hive ms/plan |',
        '| --- | --- | --- | --- |',
        ...rows,
        `all ${total}: median plan Apollo ${median(times.apollo).toFixed(3)} ms, Hive ${median(times.hive).toFixed(3)} ms; sum Apollo ${times.apollo.reduce((a, b) => a + b, 0).toFixed(1)} ms, Hive ${times.hive.reduce((a, b) => a + b, 0).toFixed(1)} ms`,
        `Apollo plans known wrong (auto sends them to Hive): ${apolloDoubted.length}\n  ${apolloDoubted.join('\n  ')}`,
        `Apollo plans with @fromContext rewrites (Hive cannot): ${contextual.length}`,
      ].join('\n'),
    );
    expect(total).toBeGreaterThan(90);
    expect(hivePlanned).toBe(total);
    expect(apolloPlanned).toBe(total);
    // Exactly the cases Apollo's planner gets wrong in the shapes, and nothing of the parity corpus.
    expect(apolloDoubted.map((d) => d.split(':')[0])).toEqual([
      'keys-mashup',
      'requires-with-argument',
      'requires-with-argument',
      'requires-with-argument',
      'requires-with-argument',
      'requires-with-argument-conflict',
    ]);
    expect(contextual).toHaveLength(3);
  });
});
