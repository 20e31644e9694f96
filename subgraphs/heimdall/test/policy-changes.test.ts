import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchServiceToken } from '@dataos/devstack';
import {
  graphql,
  startTestHeimdall,
  tokenFor,
  uniqueId,
  wsClient,
  type TestHeimdall,
  type TestWsClient,
} from '@dataos/testkit';

let heimdall: TestHeimdall;
let carol: string;
let alice: string;
let router: string;
const clients: TestWsClient[] = [];

const CHANGES = `subscription ($after: String) {
  policyChanges(after: $after) { sequence cursor kind name userId by policy { name version actions } }
}`;
type Change = {
  sequence: number;
  cursor: string;
  kind: string;
  name: string | null;
  userId: string | null;
  by: string;
  policy: { name: string; version: number; actions: string[] } | null;
};

beforeAll(async () => {
  heimdall = await startTestHeimdall();
  [carol, alice, router] = await Promise.all([
    tokenFor('carol'),
    tokenFor('alice'),
    fetchServiceToken().then((t) => t.access_token),
  ]);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await heimdall?.stop();
});

const client = (token: string) => {
  const c = wsClient(heimdall.url, { token });
  clients.push(c);
  return c;
};

async function subscribed(n: number) {
  const feed = heimdall.subgraph.changes.feed;
  for (let i = 0; i < 200 && feed.opened < n; i++) await new Promise((r) => setTimeout(r, 25));
  expect(feed.opened).toBeGreaterThanOrEqual(n);
}

async function mutate(query: string, variables: Record<string, unknown>) {
  const res = await graphql(heimdall.url, query, { token: carol, variables });
  expect(res.errors).toBeUndefined();
}

const input = (name: string, actions: string[]) => ({
  name,
  subjects: [['users:id:nobody']],
  actions,
  objects: { paths: ['/live/test'] },
});

describe('Heimdall policyChanges', () => {
  it('a policy admin sees every create, update, delete and tag change, with a gap-free sequence, and resumes', async () => {
    const name = uniqueId('live-policy-');
    const before = heimdall.subgraph.changes.feed.opened;
    const sub = client(carol).subscribe<{ policyChanges: Change }>(CHANGES);
    await subscribed(before + 1);
    await mutate('mutation ($i: PolicyInput!) { createPolicy(input: $i) { name } }', { i: input(name, ['read']) });
    await mutate('mutation ($n: ID!, $i: PolicyInput!) { updatePolicy(name: $n, input: $i) { name } }', {
      n: name,
      i: input(name, ['read', 'write']),
    });
    await mutate('mutation ($n: ID!) { deletePolicy(name: $n) { deleted } }', { n: name });
    await mutate('mutation { setUserTags(userId: "dave", tags: ["teams:id:live"]) { userId } }', {});
    const got = (await sub.take(4)).map((r) => {
      expect(r.errors).toBeUndefined();
      return r.data!.policyChanges;
    });
    expect(got.map((c) => [c.kind, c.name ?? c.userId])).toEqual([
      ['POLICY_CREATED', name],
      ['POLICY_UPDATED', name],
      ['POLICY_DELETED', name],
      ['USER_TAGS_SET', 'users:id:dave'],
    ]);
    const first = got[0]!.sequence;
    expect(got.map((c) => c.sequence)).toEqual([first, first + 1, first + 2, first + 3]);
    expect(got[2]!.policy).toBeNull(); // as it is when delivered: deleted
    expect(got[0]!.by).toMatch(/^users:id:/);

    const resumed = client(carol).subscribe<{ policyChanges: Change }>(CHANGES, { after: got[1]!.cursor });
    expect((await resumed.take(2)).map((r) => r.data!.policyChanges.sequence)).toEqual([first + 2, first + 3]);
  });

  it("the router's identity may subscribe (without reading policies); alice may not", async () => {
    const name = uniqueId('live-policy-');
    const before = heimdall.subgraph.changes.feed.opened;
    const sub = client(router).subscribe<{ policyChanges: Change }>(CHANGES);
    await subscribed(before + 1);
    await mutate('mutation ($i: PolicyInput!) { createPolicy(input: $i) { name } }', { i: input(name, ['read']) });
    const [result] = await sub.take(1);
    expect(result!.data!.policyChanges).toMatchObject({ kind: 'POLICY_CREATED', name, policy: null });
    expect(result!.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['policyChanges', 'policy'], 'FORBIDDEN'],
    ]);

    const refused = client(alice).subscribe(CHANGES);
    const [no] = await refused.take(1);
    expect(no!.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await refused.ended).toEqual({ completed: true });
  });
});

describe('Heimdall decisionLogged', () => {
  const LOGGED = `subscription ($f: DecisionLogFilter, $after: String) {
    decisionLogged(filter: $f, after: $after) { cursor entry { id subject action object { path } allowed reason policies } }
  }`;
  type Logged = {
    cursor: string;
    entry: {
      id: string;
      subject: string;
      action: string;
      object: { path: string };
      allowed: boolean;
      reason: string;
      policies: string[];
    };
  };
  const decide = (token: string, path: string) =>
    graphql(
      heimdall.url,
      'query ($p: String!) { decide(input: { action: "read", object: { path: $p } }) { allowed } }',
      {
        token,
        variables: { p: path },
      },
    );
  const seen = async (sub: { results: { data?: { decisionLogged: Logged } | null }[] }, n: number) => {
    for (let i = 0; i < 200 && sub.results.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    return sub.results.map((r) => r.data!.decisionLogged);
  };

  it('a decision-log reader sees new decisions matching the filter as they are logged, and resumes; others are refused', async () => {
    const prefix = `/${uniqueId('live-decisions-')}`;
    const feed = heimdall.subgraph.liveDecisions.feed;
    const before = feed.opened;
    const denied = client(carol).subscribe<{ decisionLogged: Logged }>(LOGGED, {
      f: { pathPrefix: prefix, allowed: false },
    });
    const aliceOnly = client(carol).subscribe<{ decisionLogged: Logged }>(LOGGED, {
      f: { pathPrefix: prefix, subject: 'users:id:alice' },
    });
    for (let i = 0; i < 200 && feed.opened < before + 2; i++) await new Promise((r) => setTimeout(r, 25));

    expect((await decide(alice, `${prefix}/a`)).errors).toBeUndefined();
    expect((await decide(carol, `${prefix}/b`)).errors).toBeUndefined();
    expect((await decide(alice, `${prefix}/c`)).errors).toBeUndefined();

    const mine = await seen(aliceOnly, 2);
    expect(mine.map((l) => [l.entry.subject, l.entry.object.path])).toEqual([
      ['users:id:alice', `${prefix}/a`],
      ['users:id:alice', `${prefix}/c`],
    ]);
    // No policy covers this made-up path: three refusals, in the order they were made.
    const refusals = await seen(denied, 3);
    expect(refusals.map((l) => [l.entry.subject, l.entry.object.path])).toEqual([
      ['users:id:alice', `${prefix}/a`],
      ['users:id:carol', `${prefix}/b`],
      ['users:id:alice', `${prefix}/c`],
    ]);
    expect(refusals.every((l) => !l.entry.allowed && l.entry.reason.length > 0)).toBe(true);
    // The same entries as the log's own page.
    const page = await graphql<{ decisions: { edges: { node: { id: string } }[] } }>(
      heimdall.url,
      'query ($f: DecisionLogFilter) { decisions(first: 10, filter: $f) { edges { node { id } } } }',
      { token: carol, variables: { f: { pathPrefix: prefix, subject: 'users:id:alice' } } },
    );
    expect(page.data!.decisions.edges.map((e) => e.node.id).reverse()).toEqual(mine.map((l) => l.entry.id));

    const resumed = client(carol).subscribe<{ decisionLogged: Logged }>(LOGGED, {
      f: { pathPrefix: prefix, subject: 'users:id:alice' },
      after: mine[0]!.cursor,
    });
    expect((await seen(resumed, 1)).map((l) => l.entry.id)).toEqual([mine[1]!.entry.id]);
    await new Promise((r) => setTimeout(r, 400));
    expect(resumed.results).toHaveLength(1);

    const [refused] = await client(alice).subscribe(LOGGED, {}).take(1);
    expect(refused!.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
