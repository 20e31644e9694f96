import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDevToken, fetchServiceToken } from '@dataos/devstack';
import { HeimdallClient } from '@dataos/heimdall-client';
import type { MongoStore } from '@dataos/stores';
import {
  errorCodes,
  graphql,
  startTestHeimdall,
  tokenFor,
  type HeimdallSubgraph,
  type TestHeimdall,
} from '@dataos/testkit';
import { createHeimdallSubgraph } from '../src/index.js';

let mongo: MongoStore;
let heimdall: HeimdallSubgraph;
let running: TestHeimdall;
let url: string;
let carol: string;
let alice: string;
let dave: string;

const CREATE = /* GraphQL */ `
  mutation ($input: PolicyInput!) {
    createPolicy(input: $input) {
      name
      version
      effect
      subjects
      actions
      objects {
        paths
        tags
      }
    }
  }
`;
const DECIDE = /* GraphQL */ `
  query ($input: DecisionInput!) {
    decide(input: $input) {
      allowed
      policies
      reason
    }
  }
`;
const policy = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  effect: 'ALLOW',
  subjects: [['roles:id:data-dev']],
  actions: ['read'],
  objects: { paths: ['dataos://icebase:retail/**'] },
  ...extra,
});
const decide = async (token: string, action: string, path: string) =>
  (
    await graphql<{ decide: { allowed: boolean; policies: string[]; reason: string } }>(url, DECIDE, {
      token,
      variables: { input: { action, object: { path } } },
    })
  ).data?.decide;
const create = (token: string, input: Record<string, unknown>) => graphql(url, CREATE, { token, variables: { input } });
const policyCount = () => mongo.db.collection('policies').countDocuments();

beforeAll(async () => {
  process.env.OIDC_CLOCK_TOLERANCE_SEC = '0'; // so that a 1-second token really expires here
  running = await startTestHeimdall();
  ({ mongo, subgraph: heimdall } = running);
  url = running.url;
  [carol, alice, dave] = await Promise.all([tokenFor('carol'), tokenFor('alice'), tokenFor('dave')]);
});

afterAll(async () => {
  await running.stop();
});

describe('policies and decisions', () => {
  it('defaults to deny and says why', async () => {
    const d = await decide(alice, 'read', 'dataos://icebase:retail/customers');
    expect(d).toMatchObject({ allowed: false, policies: [] });
    expect(d?.reason).toMatch(/no policy allows read/);
  });

  it('an admin creates a policy and decisions follow at once', async () => {
    const res = await create(carol, policy('retail-readers'));
    expect(res.errors).toBeUndefined();
    expect(res.data).toMatchObject({ createPolicy: { name: 'retail-readers', version: 1, effect: 'ALLOW' } });
    expect(await decide(alice, 'read', 'dataos://icebase:retail/customers')).toMatchObject({
      allowed: true,
      policies: ['retail-readers'],
    });
    expect((await decide(alice, 'write', 'dataos://icebase:retail/customers'))?.allowed).toBe(false);
    expect((await decide(dave, 'read', 'dataos://icebase:retail/customers'))?.allowed).toBe(false);
  });

  it('deny overrides allow', async () => {
    await create(
      carol,
      policy('no-customers', { effect: 'DENY', objects: { paths: ['dataos://icebase:retail/customers'] } }),
    );
    const d = await decide(alice, 'read', 'dataos://icebase:retail/customers');
    expect(d).toMatchObject({ allowed: false, policies: ['no-customers'] });
    expect(d?.reason).toContain('no-customers');
    expect((await decide(alice, 'read', 'dataos://icebase:retail/orders'))?.allowed).toBe(true);
  });

  it('`*` stays within one level, `**` crosses levels', async () => {
    await create(
      carol,
      policy('one-level', { subjects: [['users:id:dave']], objects: { paths: ['/metis/datasets/*'] } }),
    );
    expect((await decide(dave, 'read', '/metis/datasets/a'))?.allowed).toBe(true);
    expect((await decide(dave, 'read', '/metis/datasets/a/columns'))?.allowed).toBe(false);
  });

  it('refuses a non-admin policy change and writes nothing', async () => {
    const before = await policyCount();
    const res = await create(
      alice,
      policy('sneaky', { subjects: [['users:id:alice']], actions: ['*'], objects: { paths: ['/**'] } }),
    );
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors?.[0]?.message).toMatch(/Not allowed to manage \/heimdall\/policies/);
    expect(await policyCount()).toBe(before);
    const del = await graphql(url, 'mutation { deletePolicy(name: "retail-readers") { deleted } }', { token: alice });
    expect(errorCodes(del)).toEqual(['FORBIDDEN']);
  });

  it('refuses a non-admin policy update and writes nothing', async () => {
    const UPDATE =
      'mutation ($input: PolicyInput!) { updatePolicy(name: "retail-readers", input: $input) { version } }';
    const before = await mongo.db.collection('policies').findOne({ _id: 'retail-readers' as never });
    const version = await heimdall.index.version;
    const res = await graphql(url, UPDATE, {
      token: alice,
      variables: { input: policy('retail-readers', { actions: ['*'] }) },
    });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await mongo.db.collection('policies').findOne({ _id: 'retail-readers' as never })).toEqual(before);
    expect(await mongo.db.collection('meta').findOne({ _id: 'policies' as never })).toMatchObject({ version });
  });

  it('makes a deleted policy invisible to the very next decision', async () => {
    await create(
      carol,
      policy('short-lived', { subjects: [['users:id:dave']], objects: { paths: ['/odin/short/**'] } }),
    );
    expect((await decide(dave, 'read', '/odin/short/a'))?.allowed).toBe(true);
    const del = await graphql(url, 'mutation { deletePolicy(name: "short-lived") { name deleted } }', { token: carol });
    expect(del.data).toEqual({ deletePolicy: { name: 'short-lived', deleted: true } });
    expect(await decide(dave, 'read', '/odin/short/a')).toMatchObject({ allowed: false, policies: [] });
  });

  it('never deletes or rewrites the bootstrap heimdall-admins, which would lock every administrator out', async () => {
    const before = await mongo.db.collection('policies').findOne({ _id: 'heimdall-admins' as never });
    const del = await graphql(url, 'mutation { deletePolicy(name: "heimdall-admins") { deleted } }', { token: carol });
    expect(errorCodes(del)).toEqual(['FORBIDDEN']);
    expect(del.errors?.[0]?.message).toMatch(/bootstrap admin policy.*HEIMDALL_ADMIN_TAGS/);
    const upd = await graphql(
      url,
      'mutation ($input: PolicyInput!) { updatePolicy(name: "heimdall-admins", input: $input) { version } }',
      {
        token: carol,
        variables: {
          input: policy('heimdall-admins', {
            subjects: [['users:id:carol']],
            actions: ['*'],
            objects: { paths: ['/heimdall/**'] },
          }),
        },
      },
    );
    expect(errorCodes(upd)).toEqual(['FORBIDDEN']);
    expect(await mongo.db.collection('policies').findOne({ _id: 'heimdall-admins' as never })).toEqual(before);
    expect((await decide(carol, 'manage', '/heimdall/policies'))?.allowed).toBe(true);
  });

  it('refuses a deny policy that takes policy management from the administrators', async () => {
    const before = await policyCount();
    const res = await create(
      carol,
      policy('lock-out', {
        effect: 'DENY',
        subjects: [['roles:id:*']],
        actions: ['manage'],
        objects: { paths: ['/heimdall/**'] },
      }),
    );
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.errors?.[0]?.message).toMatch(/would take manage on \/heimdall\/policies from the administrators/);
    expect(await policyCount()).toBe(before);
    // A deny that spares the administrators is fine.
    const narrow = await create(
      carol,
      policy('no-log-for-contractors', {
        effect: 'DENY',
        subjects: [['groups:id:contractors']],
        objects: { paths: ['/heimdall/decisions'] },
      }),
    );
    expect(narrow.errors).toBeUndefined();
  });

  it('refuses an object path longer than 2 KB with BAD_USER_INPUT', async () => {
    const res = await graphql(url, DECIDE, {
      token: alice,
      variables: { input: { action: 'read', object: { path: `/${'a'.repeat(3000)}` } } },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.object.path' });
    expect(res.errors?.[0]?.message).toMatch(/at most 2048/);
  });

  it.each([
    [
      'a malformed glob',
      policy('bad-glob', { objects: { paths: ['dataos://icebase:retail/[abc'] } }),
      'input.objects.paths[0]',
    ],
    ['an unknown action', policy('bad-action', { actions: ['read', 'fly'] }), 'input.actions[1]'],
    ['empty subjects', policy('no-subjects', { subjects: [] }), 'input.subjects'],
    ['an empty AND set', policy('empty-and', { subjects: [['roles:id:x'], []] }), 'input.subjects[1]'],
    ['no object', policy('no-object', { objects: { paths: [], tags: [] } }), 'input.objects'],
    ['a bad name', policy('bad name!'), 'input.name'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_what, input, field) => {
    const before = await policyCount();
    const res = await create(carol, input);
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.extensions?.field).toBe(field);
    expect(res.errors?.[0]?.message.length).toBeGreaterThan(10);
    expect(await policyCount()).toBe(before);
  });

  it('refuses a duplicate name with CONFLICT', async () => {
    const res = await create(carol, policy('retail-readers'));
    expect(errorCodes(res)).toEqual(['CONFLICT']);
  });

  it('updates with optimistic concurrency', async () => {
    const UPDATE = `mutation ($input: PolicyInput!, $v: Int) { updatePolicy(name: "one-level", input: $input, expectedVersion: $v) { version objects { paths } } }`;
    const input = policy('one-level', { subjects: [['users:id:dave']], objects: { paths: ['/metis/datasets/**'] } });
    const ok = await graphql<{ updatePolicy: { version: number } }>(url, UPDATE, {
      token: carol,
      variables: { input, v: 1 },
    });
    expect(ok.data?.updatePolicy.version).toBe(2);
    expect((await decide(dave, 'read', '/metis/datasets/a/columns'))?.allowed).toBe(true);
    const stale = await graphql(url, UPDATE, { token: carol, variables: { input, v: 1 } });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
  });

  it('another replica sees a change within its polling interval', async () => {
    const replica = await createHeimdallSubgraph({ mongo, pollMs: 100 });
    const other = await replica.listen(0);
    try {
      const ask = async () =>
        (
          await graphql<{ decide: { allowed: boolean } }>(other.url, DECIDE, {
            token: dave,
            variables: { input: { action: 'read', object: { path: '/caretaker/pods' } } },
          })
        ).data?.decide.allowed;
      expect(await ask()).toBe(false);
      await create(
        carol,
        policy('dave-pods', { subjects: [['users:id:dave']], objects: { paths: ['/caretaker/**'] } }),
      );
      await sleep(400);
      expect(await ask()).toBe(true);
    } finally {
      await other.stop();
      await replica.close();
    }
  });

  it('adds tags assigned in Heimdall to the subject', async () => {
    await create(
      carol,
      policy('pii-readers', { subjects: [['roles:id:pii-reader']], objects: { paths: ['/gateway/pii/**'] } }),
    );
    expect((await decide(dave, 'read', '/gateway/pii/customers'))?.allowed).toBe(false);
    const set = await graphql(
      url,
      'mutation { setUserTags(userId: "dave", tags: ["roles:id:pii-reader"]) { userId tags } }',
      { token: carol },
    );
    expect(set.data).toEqual({ setUserTags: { userId: 'users:id:dave', tags: ['roles:id:pii-reader'] } });
    expect((await decide(dave, 'read', '/gateway/pii/customers'))?.allowed).toBe(true);
    const who = await graphql<{ whoami: { tags: string[] } }>(url, '{ whoami { tags } }', { token: dave });
    expect(who.data?.whoami.tags).toContain('roles:id:pii-reader');
    const bad = await graphql(url, 'mutation { setUserTags(userId: "dave", tags: ["roles:id:*"]) { tags } }', {
      token: carol,
    });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses setUserTags from a non-admin and writes nothing', async () => {
    const res = await graphql(url, 'mutation { setUserTags(userId: "alice", tags: ["teams:id:platform"]) { tags } }', {
      token: alice,
    });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await mongo.db.collection('user_tags').findOne({ _id: 'users:id:alice' as never })).toBeNull();
  });

  it('lets a user manager assign ordinary tags, but neither roles (policy-level) nor identity tags', async () => {
    await create(
      carol,
      policy('bob-manages-users', {
        subjects: [['users:id:bob']],
        actions: ['manage', 'read'],
        objects: { paths: ['/heimdall/users'] },
      }),
    );
    const bob = await tokenFor('bob');
    const SET = 'mutation ($u: ID!, $t: [String!]!) { setUserTags(userId: $u, tags: $t) { userId tags } }';
    const set = (userId: string, tags: string[]) =>
      graphql<{ setUserTags: { tags: string[] } }>(url, SET, { token: bob, variables: { u: userId, t: tags } });

    const admin = await set('bob', ['roles:id:admin']);
    expect(errorCodes(admin)).toEqual(['FORBIDDEN']);
    expect(admin.errors?.[0]?.message).toMatch(/"roles:id:admin" needs manage on \/heimdall\/policies/);
    expect(await mongo.db.collection('user_tags').findOne({ _id: 'users:id:bob' as never })).toBeNull();
    expect((await decide(bob, 'manage', '/heimdall/policies'))?.allowed).toBe(false);

    for (const tag of ['users:id:carol', 'users:type:application', 'scopes:id:admin']) {
      const res = await set('bob', ['teams:id:ops', tag]);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'tags[1]' });
      expect(res.errors?.[0]?.message).toMatch(/come only from the verified token/);
    }
    expect(await mongo.db.collection('user_tags').findOne({ _id: 'users:id:bob' as never })).toBeNull();

    expect((await set('alice', ['teams:id:platform'])).data).toEqual({
      setUserTags: { userId: 'users:id:alice', tags: ['teams:id:platform'] },
    });
    expect((await set('alice', [])).errors).toBeUndefined();
  });

  it('answers a batch of 100 checks in order, with keys', async () => {
    const inputs = Array.from({ length: 100 }, (_, i) => ({
      key: `k${i}`,
      action: 'read',
      object: { path: i % 2 ? 'dataos://icebase:retail/orders' : 'dataos://lakehouse:finance/invoices' },
    }));
    const res = await graphql<{ decideBatch: { key: string; allowed: boolean }[] }>(
      url,
      'query ($inputs: [DecisionInput!]!) { decideBatch(inputs: $inputs) { key allowed } }',
      { token: alice, variables: { inputs } },
    );
    expect(res.data?.decideBatch).toHaveLength(100);
    expect(res.data?.decideBatch.map((d) => d.key)).toEqual(inputs.map((i) => i.key));
    expect(res.data?.decideBatch.map((d) => d.allowed)).toEqual(inputs.map((_, i) => i % 2 === 1));
    const bad = await graphql(
      url,
      'query { decideBatch(inputs: [{ action: "read", object: { path: "/x" } }, { action: "fly", object: { path: "/x" } }]) { allowed } }',
      { token: alice },
    );
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'inputs[1].action' });
  });
});

describe('tokens', () => {
  it('answers UNAUTHENTICATED without a token, and never allows', async () => {
    const res = await graphql(url, DECIDE, {
      variables: { input: { action: 'read', object: { path: 'dataos://icebase:retail/orders' } } },
    });
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.data ?? null).toBeNull();
  });

  it('routerAuthorization says authenticated: false for missing, expired and tampered tokens', async () => {
    const Q =
      '{ routerAuthorization(policies: ["retail-readers"]) { authenticated reason policies { name allowed } } }';
    const none = await graphql<{ routerAuthorization: { authenticated: boolean; reason: string } }>(url, Q);
    expect(none.data?.routerAuthorization).toMatchObject({
      authenticated: false,
      policies: [{ name: 'retail-readers', allowed: false }],
    });
    const short = (await fetchDevToken('alice', { ttlSec: 1 })).access_token;
    await sleep(2100);
    const expired = await graphql<{ routerAuthorization: { authenticated: boolean; reason: string } }>(url, Q, {
      token: short,
    });
    expect(expired.data?.routerAuthorization).toMatchObject({
      authenticated: false,
      reason: 'The access token has expired.',
    });
    const [h, p, s] = alice.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), roles: ['admin'] })).toString('base64url')}.${s}`;
    const res = await graphql<{ routerAuthorization: { authenticated: boolean; reason: string } }>(url, Q, {
      token: tampered,
    });
    expect(res.data?.routerAuthorization).toMatchObject({ authenticated: false });
    expect(res.data?.routerAuthorization.reason).toMatch(/signature/);
  });

  it('routerAuthorization evaluates the named policies for the token holder the router asks about', async () => {
    const Q =
      '{ routerAuthorization(policies: ["retail-readers", "pii-readers", "nope"]) { authenticated subject { id } scopes expiresAt policies { name allowed reason } } }';
    const router = (await fetchServiceToken()).access_token;
    const res = await graphql<{
      routerAuthorization: {
        authenticated: boolean;
        subject: { id: string };
        scopes: string[];
        expiresAt: string;
        policies: { name: string; allowed: boolean }[];
      };
    }>(url, Q, {
      token: router,
      headers: { 'x-dataos-subject-token': alice },
    });
    const a = res.data!.routerAuthorization;
    expect(a.authenticated).toBe(true);
    expect(a.subject.id).toBe('users:id:alice');
    expect(a.scopes).toContain('openid');
    expect(new Date(a.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(a.policies.map((p) => [p.name, p.allowed])).toEqual([
      ['retail-readers', true],
      ['pii-readers', false],
      ['nope', false],
    ]);
  });
});

describe('decision log', () => {
  it('records decisions with the request id; admins query it with filters and pages', async () => {
    await graphql(url, DECIDE, {
      token: dave,
      headers: { 'x-request-id': 'log-test-1' },
      variables: { input: { action: 'delete', object: { path: 'dataos://icebase:retail/orders' } } },
    });
    const Q = `query ($f: DecisionLogFilter, $after: String) { decisions(first: 2, after: $after, filter: $f) {
      edges { node { subject action object { path } allowed requestId reason } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      decisions: { edges: { node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    };
    const one = await graphql<Page>(url, Q, { token: carol, variables: { f: { requestId: 'log-test-1' } } });
    expect(one.data?.decisions.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({
        subject: 'users:id:dave',
        action: 'delete',
        allowed: false,
        requestId: 'log-test-1',
        object: { path: 'dataos://icebase:retail/orders' },
      }),
    ]);
    const page1 = await graphql<Page>(url, Q, { token: carol, variables: { f: { subject: 'users:id:alice' } } });
    expect(page1.data?.decisions.edges).toHaveLength(2);
    expect(page1.data?.decisions.pageInfo.hasNextPage).toBe(true);
    const page2 = await graphql<Page>(url, Q, {
      token: carol,
      variables: { f: { subject: 'users:id:alice' }, after: page1.data?.decisions.pageInfo.endCursor },
    });
    expect(page2.data?.decisions.edges).toHaveLength(2);
    expect(page2.data?.decisions.edges[0]).not.toEqual(page1.data?.decisions.edges[0]);
    const refused = await graphql(url, Q, { token: alice });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
  });
});

describe('@dataos/heimdall-client', () => {
  it('sends every check of a request in one call and caches answers', async () => {
    let calls = 0;
    const proxy = http.createServer((req, res) => {
      calls++;
      const upstream = http.request(url, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const client = new HeimdallClient({ url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql` });
      const session = client.session(alice, 'client-test');
      const paths = Array.from({ length: 50 }, (_, i) => `dataos://icebase:retail/t${i}`);
      const decisions = await Promise.all(
        [...paths, 'dataos://lakehouse:finance/invoices'].map((path) => session.decide('read', { path })),
      );
      expect(calls).toBe(1);
      expect(decisions.filter((d) => d.allowed)).toHaveLength(50);
      expect(await session.can('read', paths[0]!)).toBe(true);
      expect(calls).toBe(1); // cached for the request
      const kept = await session.filterAllowed(
        ['dataos://icebase:retail/a', 'dataos://lakehouse:finance/b'],
        'read',
        (path) => ({ path }),
      );
      expect(kept).toEqual(['dataos://icebase:retail/a']);
      expect(calls).toBe(2);
    } finally {
      proxy.close();
    }
  });

  it('fails one bad check alone, not the other checks of its tick', async () => {
    const session = new HeimdallClient({ url }).session(alice, 'client-bad-check');
    const [good, fly, long] = await Promise.allSettled([
      session.decide('read', { path: 'dataos://icebase:retail/orders' }),
      session.decide('fly', { path: 'dataos://icebase:retail/orders' }),
      session.decide('read', { path: `/${'a'.repeat(3000)}` }),
    ]);
    expect(good).toMatchObject({ status: 'fulfilled', value: { allowed: true } });
    expect(fly).toMatchObject({
      status: 'rejected',
      reason: { extensions: { code: 'BAD_USER_INPUT', field: 'action' } },
    });
    expect(long).toMatchObject({
      status: 'rejected',
      reason: { extensions: { code: 'BAD_USER_INPUT', field: 'object.path' } },
    });
  });

  it('fails closed when Heimdall cannot be reached, logging the address instead of telling the caller', async () => {
    // A port that was just free: nothing listens there.
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const logged: Record<string, unknown>[] = [];
    const down = `http://127.0.0.1:${port}/graphql`;
    const client = new HeimdallClient({ url: down, timeoutMs: 500, log: (details) => logged.push(details) });
    const error = (await client
      .session(alice, 'unreachable-1')
      .decide('read', { path: '/x' })
      .then(
        () => null,
        (e: unknown) => e,
      )) as GraphQLError;
    expect(error).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(JSON.stringify({ message: error.message, extensions: error.extensions })).not.toMatch(
      new RegExp(`127\\.0\\.0\\.1|ECONNREFUSED|${port}`),
    );
    expect(logged).toEqual([
      expect.objectContaining({ url: down, requestId: 'unreachable-1', cause: expect.stringMatching(/ECONNREFUSED/) }),
    ]);
  });
});
