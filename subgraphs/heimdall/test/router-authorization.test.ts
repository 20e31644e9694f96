import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENTS, fetchServiceToken } from '@dataos/devstack';
import { HeimdallClient } from '@dataos/heimdall-client';
import type { MongoStore } from '@dataos/stores';
import {
  createPolicies,
  errorCodes,
  graphql,
  startTestHeimdall,
  tokenFor,
  type HeimdallSubgraph,
  type TestHeimdall,
} from '@dataos/testkit';
import { NOT_EVALUATED } from '../src/router-authorization.js';

/**
 * routerAuthorization answers policy names only to the router's identity (the dev issuer's
 * services client, HEIMDALL_ROUTER_TAGS' default) and to policy readers; what one request may
 * write to the decision log is bounded. Real Heimdall, real FerretDB, real issuer.
 */
let mongo: MongoStore;
let heimdall: HeimdallSubgraph;
let running: TestHeimdall;
let url: string;
let alice: string;
let carol: string;
let router: string;

const CAP = 50;
const NAMES = ['no-such-policy', 'ra-deny', 'ra-operators', 'ra-retail'];
const Q = /* GraphQL */ `
  query ($policies: [String!]!) {
    routerAuthorization(policies: $policies) {
      authenticated
      tokenFailure
      subject {
        id
      }
      policies {
        name
        allowed
        reason
      }
    }
  }
`;
type Answer = {
  routerAuthorization: {
    authenticated: boolean;
    tokenFailure: string | null;
    subject: { id: string } | null;
    policies: { name: string; allowed: boolean; reason: string }[];
  };
};
const BATCH = 'query ($inputs: [DecisionInput!]!) { decideBatch(inputs: $inputs) { allowed } }';

/** The decision-log entries of one request, once the buffered log is written. */
async function logged(requestId: string) {
  await heimdall.decisionLog.flush();
  return mongo.db.collection('decisions').find({ requestId }).toArray();
}

beforeAll(async () => {
  running = await startTestHeimdall({ prefix: 'heimdall_ra_test_', settings: { decisionsLoggedPerRequest: CAP } });
  ({ mongo, subgraph: heimdall } = running);
  url = running.url;
  [alice, carol, router] = await Promise.all([
    tokenFor('alice'),
    tokenFor('carol'),
    fetchServiceToken().then((t) => t.access_token),
  ]);
  await createPolicies(url, [
    // applies to alice (data-dev) and passes
    {
      name: 'ra-retail',
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { paths: ['dataos://icebase:retail/**'] },
    },
    // an allow that does not apply to alice
    {
      name: 'ra-operators',
      subjects: [['roles:id:operator']],
      actions: ['read'],
      objects: { paths: ['/caretaker/**'] },
    },
    {
      name: 'ra-deny',
      effect: 'DENY',
      subjects: [['roles:id:data-dev']],
      actions: ['read'],
      objects: { paths: ['dataos://lakehouse:finance/**'] },
    },
  ]);
});

afterAll(async () => {
  await running.stop();
});

describe('routerAuthorization: who learns about policies', () => {
  it('tells a user with only their own token nothing: a missing, a deny, a non-applying and a passing policy answer alike', async () => {
    const res = await graphql<Answer>(url, Q, {
      token: alice,
      variables: { policies: NAMES },
      headers: { 'x-request-id': 'ra-user-1' },
    });
    expect(res.errors).toBeUndefined();
    const a = res.data!.routerAuthorization;
    expect(a).toMatchObject({ authenticated: true, subject: { id: 'users:id:alice' } });
    expect(a.policies).toEqual(NAMES.map((name) => ({ name, allowed: false, reason: NOT_EVALUATED })));
    // Nothing was evaluated for her, so nothing per name was logged: only the refused read.
    const entries = await logged('ra-user-1');
    expect(entries.map((e) => [e.action, e.object.path, e.allowed])).toEqual([
      ['read', '/heimdall/router-authorization', false],
    ]);
  });

  it('gives the router the real answers for the user whose token it forwards', async () => {
    const res = await graphql<Answer>(url, Q, {
      token: router,
      variables: { policies: NAMES },
      headers: { 'x-dataos-subject-token': alice, 'x-request-id': 'ra-router-1' },
    });
    expect(res.errors).toBeUndefined();
    const a = res.data!.routerAuthorization;
    expect(a).toMatchObject({ authenticated: true, subject: { id: 'users:id:alice' } });
    expect(a.policies.map((p) => [p.name, p.allowed])).toEqual([
      ['no-such-policy', false],
      ['ra-deny', false],
      ['ra-operators', false],
      ['ra-retail', true],
    ]);
    expect(a.policies.map((p) => p.reason)).toEqual([
      'no policy named "no-such-policy"',
      '"ra-deny" is a deny policy: it cannot grant access',
      'policy "ra-operators" does not apply to users:id:alice',
      'policy "ra-retail" applies to users:id:alice',
    ]);
    const entries = await logged('ra-router-1');
    expect(entries.filter((e) => e.action === 'evaluate').map((e) => [e.subject, e.object.path, e.allowed])).toEqual([
      ['users:id:alice', '@policy/no-such-policy', false],
      ['users:id:alice', '@policy/ra-deny', false],
      ['users:id:alice', '@policy/ra-operators', false],
      ['users:id:alice', '@policy/ra-retail', true],
    ]);
  });

  it('answers the router through heimdall-client with its client_credentials (token from issuer discovery)', async () => {
    const client = new HeimdallClient({
      url,
      log: () => undefined,
      credentials: {
        clientId: DEV_CLIENTS.services,
        clientSecret: DEV_CLIENTS.servicesSecret,
        issuer: process.env.OIDC_ISSUER!,
      },
    });
    const a = await client.routerAuthorization(alice, NAMES);
    expect(a.policies.filter((p) => p.allowed).map((p) => p.name)).toEqual(['ra-retail']);
    const bad = await client.routerAuthorization('not-a-token', NAMES);
    expect(bad).toMatchObject({ authenticated: false, tokenFailure: 'malformed' });
    expect(bad.policies.every((p) => !p.allowed)).toBe(true);
  });

  it('answers a policy reader (admin) about herself', async () => {
    const res = await graphql<Answer>(url, Q, { token: carol, variables: { policies: ['ra-operators', 'ra-retail'] } });
    expect(res.data!.routerAuthorization.policies.map((p) => p.reason)).toEqual([
      'policy "ra-operators" does not apply to users:id:carol',
      'policy "ra-retail" does not apply to users:id:carol',
    ]);
  });

  it('refuses a subject token from anyone but the router: FORBIDDEN for a user, UNAUTHENTICATED without a token of its own', async () => {
    const user = await graphql<Answer>(url, Q, {
      token: alice,
      variables: { policies: NAMES },
      headers: { 'x-dataos-subject-token': carol },
    });
    expect(errorCodes(user)).toEqual(['FORBIDDEN']);
    expect(user.data ?? null).toBeNull();
    const anonymous = await graphql<Answer>(url, Q, {
      variables: { policies: NAMES },
      headers: { 'x-dataos-subject-token': alice },
    });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    expect(anonymous.data ?? null).toBeNull();
  });

  it('says why the forwarded token is refused, to the router, without failing', async () => {
    const res = await graphql<Answer>(url, Q, {
      token: router,
      variables: { policies: NAMES },
      headers: { 'x-dataos-subject-token': `${alice}x` },
    });
    expect(res.data!.routerAuthorization).toMatchObject({
      authenticated: false,
      tokenFailure: 'invalid_signature',
      subject: null,
    });
  });

  it('refuses more than 100 policy names with BAD_USER_INPUT and logs nothing', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `p${i}`);
    const res = await graphql<Answer>(url, Q, {
      token: router,
      variables: { policies: names },
      headers: { 'x-dataos-subject-token': alice, 'x-request-id': 'ra-1000' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions?.field).toBe('policies');
    expect(res.errors?.[0]?.message).toMatch(/At most 100 policy names per call/);
    expect(await logged('ra-1000')).toEqual([]);
    // 100 still answer.
    const hundred = await graphql<Answer>(url, Q, {
      token: router,
      variables: { policies: names.slice(0, 100) },
      headers: { 'x-dataos-subject-token': alice },
    });
    expect(hundred.data?.routerAuthorization.policies).toHaveLength(100);
  });

  it('keeps the bootstrap heimdall-router policy out of reach of the API', async () => {
    const del = await graphql(url, 'mutation { deletePolicy(name: "heimdall-router") { deleted } }', { token: carol });
    expect(errorCodes(del)).toEqual(['FORBIDDEN']);
    expect(del.errors?.[0]?.message).toMatch(/HEIMDALL_ROUTER_TAGS/);
    expect(await mongo.db.collection('policies').findOne({ _id: 'heimdall-router' as never })).toMatchObject({
      subjects: [{ all: ['users:id:dataos-services'] }],
      actions: ['read'],
      objects: { paths: ['/heimdall/router-authorization'] },
    });
  });
});

describe('what one request writes to the decision log', () => {
  it('logs 1,000 identical checks once', async () => {
    const inputs = Array.from({ length: 1000 }, () => ({
      action: 'read',
      object: { path: 'dataos://icebase:retail/orders' },
    }));
    const res = await graphql<{ decideBatch: { allowed: boolean }[] }>(url, BATCH, {
      token: alice,
      variables: { inputs },
      headers: { 'x-request-id': 'log-same-1000' },
    });
    expect(res.data?.decideBatch).toHaveLength(1000);
    expect(res.data?.decideBatch.every((d) => d.allowed)).toBe(true);
    const entries = await logged('log-same-1000');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      subject: 'users:id:alice',
      action: 'read',
      allowed: true,
      object: { path: 'dataos://icebase:retail/orders' },
    });
  });

  it('logs at most the cap of 1,000 distinct invented paths, and one entry counting the rest', async () => {
    const inputs = Array.from({ length: 1000 }, (_, i) => ({ action: 'read', object: { path: `/invented/${i}` } }));
    const res = await graphql<{ decideBatch: { allowed: boolean }[] }>(url, BATCH, {
      token: alice,
      variables: { inputs },
      headers: { 'x-request-id': 'log-distinct-1000' },
    });
    expect(res.data?.decideBatch).toHaveLength(1000);
    const entries = await logged('log-distinct-1000');
    expect(entries).toHaveLength(CAP + 1);
    const summary = entries.filter((e) => e.action === 'unlogged');
    expect(summary).toEqual([
      expect.objectContaining({ subject: 'users:id:alice', unlogged: 1000 - CAP, allowed: false }),
    ]);
    expect(summary[0]!.reason).toMatch(
      /950 more distinct decisions were made in this request and not logged \(at most 50 per request/,
    );
    expect(entries.filter((e) => e.action === 'read').map((e) => e.object.path)).toEqual(
      inputs.slice(0, CAP).map((i) => i.object.path),
    );
  });

  it('counts the cap over the whole request, across aliased batches', async () => {
    const paths = (from: number) =>
      Array.from({ length: 40 }, (_, i) => ({ action: 'read', object: { path: `/aliased/${from + i}` } }));
    const res = await graphql(
      url,
      'query ($a: [DecisionInput!]!, $b: [DecisionInput!]!) { a: decideBatch(inputs: $a) { allowed } b: decideBatch(inputs: $b) { allowed } }',
      {
        token: alice,
        variables: { a: paths(0), b: paths(40) },
        headers: { 'x-request-id': 'log-aliases' },
      },
    );
    expect(res.errors).toBeUndefined();
    const entries = await logged('log-aliases');
    expect(entries).toHaveLength(CAP + 1);
    expect(entries.find((e) => e.action === 'unlogged')).toMatchObject({ unlogged: 80 - CAP });
  });

  it('writes no summary when nothing was left out', async () => {
    const inputs = Array.from({ length: 10 }, (_, i) => ({ action: 'read', object: { path: `/few/${i}` } }));
    await graphql(url, BATCH, { token: alice, variables: { inputs }, headers: { 'x-request-id': 'log-few' } });
    const entries = await logged('log-few');
    expect(entries).toHaveLength(10);
    expect(entries.some((e) => e.action === 'unlogged')).toBe(false);
  });
});
