import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, graphql, startTestHeimdall, tokenFor, type TestHeimdall, type TestPolicy } from '@dataos/testkit';
import { DEMO_POLICIES } from '../src/seed.js';

let running: TestHeimdall;
let url: string;
let carol: string;
let alice: string;

const seeded: TestPolicy[] = DEMO_POLICIES.map((p) => ({
  name: p.name,
  effect: p.effect === 'deny' ? 'DENY' : 'ALLOW',
  subjects: p.subjects,
  actions: p.actions,
  objects: p.objects,
}));

const DRY_RUN = /* GraphQL */ `
  query ($input: PolicyDryRunInput!) {
    policyDryRun(input: $input) {
      evaluated
      changedReasons
      version
      flipped {
        key
        subject
        action
        object {
          path
        }
        before {
          allowed
          policies
        }
        after {
          allowed
          policies
          reason
        }
      }
    }
  }
`;
const TESTS = /* GraphQL */ `
  query ($suite: String) {
    policyTests(suite: $suite) {
      suite
      passed
      failed
      cases {
        name
        passed
        failure
        decision {
          allowed
          reason
        }
      }
    }
  }
`;
const DECIDE = 'query ($input: DecisionInput!) { decide(input: $input) { allowed } }';
const policyCount = () => running.mongo.db.collection('policies').countDocuments();

beforeAll(async () => {
  running = await startTestHeimdall({ policies: seeded });
  url = running.url;
  [carol, alice] = await Promise.all([tokenFor('carol'), tokenFor('alice')]);
});

afterAll(async () => {
  await running.stop();
});

type DryRun = {
  evaluated: number;
  changedReasons: number;
  version: number;
  flipped: {
    key: string | null;
    subject: string;
    action: string;
    object: { path: string };
    before: { allowed: boolean };
    after: { allowed: boolean; policies: string[]; reason: string };
  }[];
};

describe('policy dry runs', () => {
  it('says which recent decisions a deny would flip, and writes nothing', async () => {
    for (const path of ['dataos://icebase:retail/orders', 'dataos://icebase:retail/customers', '/metis/datasets']) {
      await graphql(url, DECIDE, { token: alice, variables: { input: { action: 'read', object: { path } } } });
    }
    const before = await policyCount();
    const res = await graphql<{ policyDryRun: DryRun }>(url, DRY_RUN, {
      token: carol,
      variables: {
        input: {
          upsert: [
            {
              name: 'no-orders',
              effect: 'DENY',
              subjects: [['roles:id:data-dev']],
              actions: ['read'],
              objects: { paths: ['dataos://icebase:retail/orders'] },
            },
          ],
          recent: 200,
        },
      },
    });
    expect(res.errors).toBeUndefined();
    const flips = res.data!.policyDryRun.flipped.filter((f) => f.subject === 'users:id:alice');
    expect(flips).toEqual([
      {
        key: null,
        subject: 'users:id:alice',
        action: 'read',
        object: { path: 'dataos://icebase:retail/orders' },
        before: { allowed: true, policies: ['retail-readers'] },
        after: {
          allowed: false,
          policies: ['no-orders'],
          reason: 'denied: policy "no-orders" denies read on dataos://icebase:retail/orders to users:id:alice',
        },
      },
    ]);
    expect(res.data!.policyDryRun.evaluated).toBeGreaterThanOrEqual(3);
    expect(await policyCount()).toBe(before);
    const still = await graphql<{ decide: { allowed: boolean } }>(url, DECIDE, {
      token: alice,
      variables: { input: { action: 'read', object: { path: 'dataos://icebase:retail/orders' } } },
    });
    expect(still.data?.decide.allowed).toBe(true);
  });

  it('evaluates given checks: deleting retail-readers flips alice on retail, not carol', async () => {
    await graphql(url, '{ whoami { id } }', { token: alice });
    await new Promise((r) => setTimeout(r, 200));
    const res = await graphql<{ policyDryRun: DryRun }>(url, DRY_RUN, {
      token: carol,
      variables: {
        input: {
          delete: ['retail-readers'],
          checks: [
            { key: 'a', subject: 'alice', action: 'read', object: { path: 'dataos://icebase:retail/orders' } },
            { key: 'c', subject: 'carol', action: 'read', object: { path: 'dataos://icebase:retail/orders' } },
            { key: 'm', subject: 'alice', action: 'read', object: { path: '/metis/datasets' } },
          ],
        },
      },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.policyDryRun.evaluated).toBe(3);
    expect(res.data!.policyDryRun.flipped.map((f) => [f.key, f.before.allowed, f.after.allowed])).toEqual([
      ['a', true, false],
    ]);
    // carol stays allowed, by admins-read-everything alone now.
    expect(res.data!.policyDryRun.changedReasons).toBe(1);
  });

  it('refuses a malformed proposal at its field, and callers who may not read policies', async () => {
    const bad = await graphql(url, DRY_RUN, {
      token: carol,
      variables: {
        input: { upsert: [{ name: 'x', subjects: [], actions: ['read'], objects: { paths: ['/x'] } }], checks: [] },
      },
    });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors?.[0]?.extensions?.field).toMatch(/^input\.upsert\[0\]\.subjects/);
    const missing = await graphql(url, DRY_RUN, {
      token: carol,
      variables: { input: { delete: ['nope'], checks: [] } },
    });
    expect(missing.errors?.[0]?.extensions?.field).toBe('input.delete[0]');
    const refused = await graphql(url, DRY_RUN, { token: alice, variables: { input: { delete: ['retail-readers'] } } });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
  });
});

describe('policy test suites on demand', () => {
  it('runs the seeded suite against the policies in force, and reports a broken one', async () => {
    type Suites = {
      policyTests: {
        suite: string;
        passed: number;
        failed: number;
        cases: { name: string; passed: boolean; failure: string | null }[];
      }[];
    };
    const res = await graphql<Suites>(url, TESTS, { token: carol, variables: { suite: 'seeded' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.policyTests[0]).toMatchObject({ suite: 'seeded', failed: 0 });
    expect(res.data!.policyTests[0]!.passed).toBeGreaterThanOrEqual(16);

    await graphql(url, 'mutation { deletePolicy(name: "retail-readers") { deleted } }', { token: carol });
    const broken = await graphql<Suites>(url, TESTS, { token: carol, variables: { suite: 'seeded' } });
    const failed = broken.data!.policyTests[0]!.cases.filter((c) => !c.passed).map((c) => c.name);
    expect(failed).toContain('alice reads retail orders');

    const unknown = await graphql(url, TESTS, { token: carol, variables: { suite: 'nope' } });
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    const refused = await graphql(url, TESTS, { token: alice, variables: {} });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
  });
});
