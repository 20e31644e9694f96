import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Router } from '@dataos/router';
import { tokenFor } from '@dataos/testkit';
import { startFixture, type Fixture } from './support/fixture.js';

// Operations of the parity corpus (test/support/operations.ts), so both executors agree on them too.
const WITH_VARIABLES = 'query ($id: ID!) { publicInfo product(id: $id) { supplier { name } } secret: me }';
const LIST = 'query ($n: Int) { products(first: $n) { id } }';

let fx: Fixture;
let router: Router;
let alice: string;

beforeAll(async () => {
  fx = await startFixture();
  router = await fx.router();
  alice = await tokenFor('alice');
});

afterAll(async () => {
  await fx?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(router.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'fast-path-test', ...headers },
    body: JSON.stringify(body),
  });
  const all = Object.fromEntries(res.headers);
  delete all.date;
  delete all['keep-alive'];
  return { status: res.status, headers: all, body: await res.text() };
}

const fastAnswers = async () => (await router.metrics.fastPath.get()).values[0]?.value ?? 0;

/**
 * The request through Apollo Server (any `extensions` send it there), then the same past it
 * (its document known by then): both answers alike.
 */
async function expectSameTwice(body: object, headers: Record<string, string> = {}): Promise<Answer> {
  const first = await post({ ...body, extensions: {} }, headers);
  const before = await fastAnswers();
  const second = await post(body, headers);
  expect(second).toEqual(first);
  expect(await fastAnswers()).toBe(before + 1);
  return second;
}

describe('a document Apollo Server accepted before is answered past its pipeline, alike', () => {
  it('data, errors, status and headers, as an anonymous caller and as alice', async () => {
    const anonymous = await expectSameTwice({ query: WITH_VARIABLES, variables: { id: '1' } });
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(anonymous.headers['x-request-id']).toBe('fast-path-test');
    expect(JSON.parse(anonymous.body).errors[0].extensions.code).toBe('UNAUTHORIZED_FIELD_OR_TYPE');
    const withToken = await expectSameTwice(
      { query: WITH_VARIABLES, variables: { id: '2' } },
      { authorization: `Bearer ${alice}` },
    );
    expect(JSON.parse(withToken.body).data.product.supplier).toEqual({ name: expect.any(String) });
  });

  it('a refused token: 401 with its challenge; variables that do not coerce: 400 BAD_USER_INPUT; a cost from variables over the limit', async () => {
    const refused = await expectSameTwice(
      { query: LIST, variables: { n: 1 } },
      { authorization: 'Bearer not-a-token' },
    );
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    const coercion = await expectSameTwice({ query: LIST, variables: { n: 'three' } });
    expect(coercion.status).toBe(400);
    expect(JSON.parse(coercion.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const costly = await expectSameTwice({ query: LIST, variables: { n: 1_000_000 } });
    expect(costly.status).toBe(400);
    expect(JSON.parse(costly.body).errors[0].extensions.code).toBe('MAX_COST_EXCEEDED');
  });

  it('leaves to Apollo Server what only it answers: APQ, another media type, a wrong content type', async () => {
    const before = await fastAnswers();
    const hash = createHash('sha256').update(LIST).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
    expect((await post({ query: LIST, extensions })).status).toBe(200);
    const byHash = await post({ extensions });
    expect(JSON.parse(byHash.body).data.products).toBeInstanceOf(Array);
    const graphqlResponse = await post({ query: LIST }, { accept: 'application/graphql-response+json' });
    expect(graphqlResponse.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    const csrf = await post({ query: LIST }, { 'content-type': 'text/plain; charset=json' });
    expect(csrf.status).toBe(400);
    expect(await fastAnswers()).toBe(before);
  });
});
