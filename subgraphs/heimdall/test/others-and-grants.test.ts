import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeimdallClient, type ObjectRef } from '@dataos/heimdall-client';
import { errorCodes, graphql, startTestHeimdall, tokenFor, type TestHeimdall, type TestPolicy } from '@dataos/testkit';
import { DEMO_POLICIES } from '../src/seed.js';

let running: TestHeimdall;
let url: string;
let carol: string;
let alice: string;
let bob: string;

/** The seeded policies, through the API as an administrator would write them. */
const seeded: TestPolicy[] = DEMO_POLICIES.map((p) => ({
  name: p.name,
  effect: p.effect === 'deny' ? 'DENY' : 'ALLOW',
  subjects: p.subjects,
  actions: p.actions,
  objects: p.objects,
}));

const DECIDE = /* GraphQL */ `
  query ($input: DecisionInput!, $subject: ID) {
    decide(input: $input, subject: $subject) {
      subject
      allowed
      policies
      reason
    }
  }
`;
const BATCH = /* GraphQL */ `
  query ($inputs: [DecisionInput!]!, $subject: ID) {
    decideBatch(inputs: $inputs, subject: $subject) {
      key
      subject
      allowed
      reason
    }
  }
`;
const GRANTS = /* GraphQL */ `
  query ($input: GrantsInput!) {
    grants(input: $input) {
      subject
      allow {
        paths
        tags
      }
      deny {
        paths
        tags
      }
      needsDecision {
        paths
        tags
      }
      version
      validUntil
      policies
    }
  }
`;
const LOG = /* GraphQL */ `
  query ($filter: DecisionLogFilter) {
    decisions(first: 20, filter: $filter) {
      edges {
        node {
          subject
          askedBy
          action
          object {
            path
          }
          allowed
          reason
        }
      }
    }
  }
`;
const WHOAMI = '{ whoami { id tags } }';

type Decided = { subject: string; allowed: boolean; policies: string[]; reason: string };

beforeAll(async () => {
  running = await startTestHeimdall({ policies: seeded });
  url = running.url;
  [carol, alice, bob] = await Promise.all([tokenFor('carol'), tokenFor('alice'), tokenFor('bob')]);
});

afterAll(async () => {
  await running.stop();
});

describe('decisions about another subject', () => {
  it('carol asks "may alice read orders?" and gets the answer with its reason, logged as asked by carol', async () => {
    // Heimdall learns alice's token tags (roles:id:data-dev) when alice signs in.
    await graphql(url, WHOAMI, { token: alice });
    await new Promise((r) => setTimeout(r, 200)); // the profile is written off the request's path
    const orders = await graphql<{ decide: Decided }>(url, DECIDE, {
      token: carol,
      variables: { subject: 'alice', input: { action: 'read', object: { path: 'dataos://icebase:retail/orders' } } },
    });
    expect(orders.errors).toBeUndefined();
    expect(orders.data?.decide).toEqual({
      subject: 'users:id:alice',
      allowed: true,
      policies: ['retail-readers'],
      reason: 'allowed by policy "retail-readers"',
    });
    const ledger = await graphql<{ decide: Decided }>(url, DECIDE, {
      token: carol,
      variables: {
        subject: 'users:id:alice',
        input: { action: 'read', object: { path: 'dataos://lakehouse:finance/ledger' } },
      },
    });
    expect(ledger.data?.decide.allowed).toBe(false);
    expect(ledger.data?.decide.reason).toContain('"no-finance-for-data-devs" denies read');

    await running.subgraph.decisionLog.flush();
    const log = await graphql<{ decisions: { edges: { node: Record<string, unknown> }[] } }>(url, LOG, {
      token: carol,
      variables: {
        filter: { subject: 'users:id:alice', action: 'read', pathPrefix: 'dataos://icebase:retail/orders' },
      },
    });
    expect(log.data?.decisions.edges.map((e) => e.node)).toContainEqual({
      subject: 'users:id:alice',
      askedBy: 'users:id:carol',
      action: 'read',
      object: { path: 'dataos://icebase:retail/orders' },
      allowed: true,
      reason: 'allowed by policy "retail-readers"',
    });
  });

  it('answers a batch about another subject in order', async () => {
    const res = await graphql<{ decideBatch: Decided[] }>(url, BATCH, {
      token: carol,
      variables: {
        subject: 'alice',
        inputs: [
          { key: 'a', action: 'read', object: { path: 'dataos://icebase:retail/orders' } },
          { key: 'b', action: 'write', object: { path: 'dataos://icebase:retail/orders' } },
          { key: 'c', action: 'read', object: { tags: ['dataos:domain:finance'] } },
        ],
      },
    });
    expect(res.data?.decideBatch.map((d) => [d.subject, d.allowed])).toEqual([
      ['users:id:alice', true],
      ['users:id:alice', false],
      ['users:id:alice', false],
    ]);
  });

  it('refuses a caller without the permission, deciding nothing about the other subject', async () => {
    const res = await graphql(url, DECIDE, {
      token: bob,
      variables: { subject: 'alice', input: { action: 'read', object: { path: 'dataos://icebase:retail/orders' } } },
    });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors?.[0]?.message).toContain('/heimdall/subjects/users:id:alice');
  });

  it('uses only assigned tags for a subject Heimdall never saw, and says so', async () => {
    const res = await graphql<{ decide: Decided }>(url, DECIDE, {
      token: carol,
      variables: { subject: 'nobody-yet', input: { action: 'read', object: { path: '/metis/datasets' } } },
    });
    expect(res.data?.decide.allowed).toBe(false);
    expect(res.data?.decide.reason).toContain('has not signed in');
  });
});

describe('grants', () => {
  it('answers allowed minus denied patterns with the policy version, equal to decisions on the seeded data', async () => {
    const res = await graphql<{ grants: Record<string, unknown> }>(url, GRANTS, {
      token: alice,
      variables: { input: { action: 'read', scope: 'dataos://**' } },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.grants).toMatchObject({
      subject: 'users:id:alice',
      allow: { paths: ['dataos://icebase:retail/**'], tags: ['dataos:domain:retail'] },
      deny: { paths: ['dataos://lakehouse:finance/**'], tags: ['dataos:domain:finance'] },
      needsDecision: { paths: [], tags: [] },
      validUntil: null,
      policies: ['no-finance-for-data-devs', 'retail-readers'],
    });
    expect(res.data?.grants.version).toBeGreaterThan(0);

    // The client's local check equals Heimdall's decision for every dataset of the demo.
    const session = new HeimdallClient({ url, timeoutMs: 5000 }).session(alice);
    const grants = await session.grants('read', 'dataos://**');
    const objects = [
      { path: 'dataos://icebase:retail/orders' },
      { path: 'dataos://icebase:retail/customers', tags: ['dataos:domain:retail'] },
      { path: 'dataos://lakehouse:finance/ledger', tags: ['dataos:domain:finance'] },
      { path: 'dataos://icebase:retail/payouts', tags: ['dataos:domain:finance'] },
      { path: 'dataos://icebase:marketing/leads', tags: ['dataos:domain:retail'] },
      { path: 'dataos://icebase:marketing/leads' },
    ];
    for (const object of objects) {
      const decided = await session.decide('read', object);
      expect(grants.check(object), JSON.stringify(object)).toBe(decided.allowed ? 'allow' : 'deny');
    }
    const readable = await session.filterByGrants(objects, grants, (o) => o);
    expect(readable.map((o) => o.path)).toEqual([
      'dataos://icebase:retail/orders',
      'dataos://icebase:retail/customers',
      'dataos://icebase:marketing/leads',
    ]);
  });

  it('moves its version with a policy change, and answers for another subject only with the permission', async () => {
    const before = await new HeimdallClient({ url, timeoutMs: 5000 }).session(carol).grants('read', 'dataos://**', {
      subject: 'alice',
    });
    expect(before.answer.subject).toBe('users:id:alice');
    await running.addPolicies([
      {
        name: 'alice-sales',
        subjects: [['users:id:alice']],
        actions: ['read'],
        objects: { paths: ['dataos://icebase:sales/**'] },
      },
    ]);
    // The version follows the change feed, read by polling: it catches up within a few polls.
    const grantsNow = () =>
      new HeimdallClient({ url, timeoutMs: 5000 }).session(carol).grants('read', 'dataos://**', { subject: 'alice' });
    let after = await grantsNow();
    for (let i = 0; i < 30 && after.version <= before.version; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await grantsNow();
    }
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.check({ path: 'dataos://icebase:sales/q1' })).toBe('allow');
    expect(before.check({ path: 'dataos://icebase:sales/q1' })).toBe('deny');

    const refused = await graphql(url, GRANTS, {
      token: bob,
      variables: { input: { action: 'read', scope: 'dataos://**', subject: 'alice' } },
    });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
  });

  it('hands objects under a policy with an object condition back to decisions, which use the claim', async () => {
    const created = await graphql(
      url,
      'mutation ($input: PolicyInput!) { createPolicy(input: $input) { conditions { objectTagFromClaims { claim prefix } } } }',
      {
        token: carol,
        variables: {
          input: {
            name: 'regional-marketing',
            subjects: [['roles:id:data-dev']],
            actions: ['read'],
            objects: { paths: ['dataos://icebase:marketing/**'] },
            conditions: { objectTagFromClaims: [{ claim: 'region', prefix: 'dataos:region:' }] },
          },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    const session = new HeimdallClient({ url, timeoutMs: 5000 }).session(alice);
    const grants = await session.grants('read', 'dataos://**');
    expect(grants.answer.needsDecision).toEqual({ paths: ['dataos://icebase:marketing/**'], tags: [] });
    const emea: ObjectRef = { path: 'dataos://icebase:marketing/campaigns', tags: ['dataos:region:emea'] };
    const amer: ObjectRef = { path: 'dataos://icebase:marketing/campaigns', tags: ['dataos:region:amer'] };
    expect(grants.check(emea)).toBe('decide');
    // alice's token says region emea.
    const orders: ObjectRef = { path: 'dataos://icebase:retail/orders' };
    const readable = await session.filterByGrants([emea, amer, orders], grants, (o) => o);
    expect(readable.map((o) => o.tags?.[0] ?? o.path)).toEqual([
      'dataos:region:emea',
      'dataos://icebase:retail/orders',
    ]);
  });

  it('refuses an unknown action or a scope that is not a path glob, naming the field', async () => {
    const action = await graphql(url, GRANTS, {
      token: alice,
      variables: { input: { action: 'peek', scope: 'dataos://**' } },
    });
    expect(errorCodes(action)).toEqual(['BAD_USER_INPUT']);
    expect(action.errors?.[0]?.extensions?.field).toBe('input.action');
    const scope = await graphql(url, GRANTS, {
      token: alice,
      variables: { input: { action: 'read', scope: 'dataos://{a' } },
    });
    expect(errorCodes(scope)).toEqual(['BAD_USER_INPUT']);
    expect(scope.errors?.[0]?.extensions?.field).toBe('input.scope');
  });
});
