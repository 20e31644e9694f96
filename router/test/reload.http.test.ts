import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import {
  composeSupergraph,
  errorCodes,
  graphql,
  startTestSubgraph,
  tokenFor,
  type TestSubgraph,
} from '@dataos/testkit';
import { CATALOG_SDL, REVIEWS_SDL, startFixture, type Fixture } from './support/fixture.js';

const EXTRAS_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@authenticated"])
  type Query {
    added: String
    addedSecret: String @authenticated
  }`;

let fx: Fixture;
let router: Router;
let extras: TestSubgraph;
let withExtras: string;

/** Polls until `check` passes (the file watcher reloads within a moment). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

beforeAll(async () => {
  fx = await startFixture();
  router = await fx.router();
  extras = await startTestSubgraph({
    name: 'extras',
    typeDefs: EXTRAS_SDL,
    resolvers: { Query: { added: () => 'new', addedSecret: () => 'new secret' } },
  });
  withExtras = composeSupergraph([
    { name: 'catalog', url: fx.catalog.url, typeDefs: CATALOG_SDL },
    { name: 'reviews', url: fx.reviews.url, typeDefs: REVIEWS_SDL },
    { name: 'extras', url: extras.url, typeDefs: EXTRAS_SDL },
  ]);
});

afterAll(async () => {
  await extras?.stop();
  await fx?.stop();
});

describe('supergraph reload', () => {
  it('serves a new supergraph when the file changes, and finishes the requests in flight', async () => {
    expect(errorCodes(await graphql(router.url, '{ added }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    fx.catalog.behaviour.delayMs = 1000;
    const inFlight = Promise.all(
      Array.from({ length: 5 }, () => graphql(router.url, '{ slow products(first: 1) { id rating } }')),
    );
    await sleep(150);
    await fx.supergraph.write(withExtras);
    await eventually(async () => (await graphql(router.url, '{ added }')).data?.added === 'new');
    for (const res of await inFlight) {
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ slow: 'slow', products: [{ id: '0', rating: 4.5 }] });
    }
    fx.catalog.behaviour.delayMs = 0;
    // Authorization follows the new supergraph's directives.
    const anonymous = await graphql(router.url, '{ added addedSecret }');
    expect(anonymous.data).toEqual({ added: 'new', addedSecret: null });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
    const alice = await graphql(router.url, '{ added addedSecret }', { token: await tokenFor('alice') });
    expect(alice.data).toEqual({ added: 'new', addedSecret: 'new secret' });
  });

  it('keeps the previous supergraph when the new file does not load', async () => {
    await fx.supergraph.write('this is not GraphQL {');
    expect(await router.reload()).toBe(false);
    await fx.supergraph.write('type Query { notASupergraph: String }');
    expect(await router.reload()).toBe(false);
    await sleep(300); // the watcher's own attempts fail too
    expect((await graphql(router.url, '{ added publicInfo }')).data).toEqual({ added: 'new', publicInfo: 'hello' });
  });

  it('reloads on demand as well', async () => {
    await fx.supergraph.write(fx.sdl);
    expect(await router.reload()).toBe(true);
    expect(errorCodes(await graphql(router.url, '{ added }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await graphql(router.url, '{ publicInfo }')).data).toEqual({ publicInfo: 'hello' });
  });

  it('enforces directives added by a reload that changes nothing else', async () => {
    await fx.supergraph.write(fx.sdl);
    expect(await router.reload()).toBe(true);
    // Warm every cache first: the prepared operation, its analysis and its filtered version.
    const before = await graphql(router.url, '{ publicInfo me }');
    expect(before.data).toEqual({ publicInfo: 'hello', me: null });
    expect((await graphql(router.url, '{ publicInfo }')).data).toEqual({ publicInfo: 'hello' });

    const guarded = CATALOG_SDL.replace('publicInfo: String', 'publicInfo: String @authenticated');
    expect(guarded).not.toBe(CATALOG_SDL);
    await fx.supergraph.write(
      composeSupergraph([
        { name: 'catalog', url: fx.catalog.url, typeDefs: guarded },
        { name: 'reviews', url: fx.reviews.url, typeDefs: REVIEWS_SDL },
      ]),
    );
    expect(await router.reload()).toBe(true);

    const anonymous = await graphql(router.url, '{ publicInfo }');
    expect(anonymous.data).toEqual({ publicInfo: null });
    expect(anonymous.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['publicInfo'], 'UNAUTHORIZED_FIELD_OR_TYPE'],
    ]);
    const both = await graphql(router.url, '{ publicInfo me }');
    expect(both.data).toEqual({ publicInfo: null, me: null });
    expect(both.errors?.map((e) => e.path)).toEqual([['publicInfo'], ['me']]);
    const alice = await graphql(router.url, '{ publicInfo me }', { token: await tokenFor('alice') });
    expect(alice.data).toEqual({ publicInfo: 'hello', me: 'me' });

    // And removed again: the field is public once more.
    await fx.supergraph.write(fx.sdl);
    expect(await router.reload()).toBe(true);
    const open = await graphql(router.url, '{ publicInfo }');
    expect(open.data).toEqual({ publicInfo: 'hello' });
    expect(open.errors).toBeUndefined();
  });
});
