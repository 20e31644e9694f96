import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTER_TAGS } from '../src/settings.js';
import { bootstrapPolicies, routerPolicy } from '../src/bootstrap.js';
import { buildEngine } from '../src/engine/engine.js';
import { loadSuites, parseSuite, runSuite, SuiteError } from '../src/policy-tests/suite.js';
import { DEMO_POLICIES } from '../src/seed.js';

const DIR = fileURLToPath(new URL('../policy-tests/', import.meta.url));
const seededEngine = () =>
  buildEngine([...bootstrapPolicies({}), routerPolicy([DEFAULT_ROUTER_TAGS]), ...DEMO_POLICIES]);

describe('policy test suites', () => {
  it('the seeded policies pass the seeded suite (what CI holds them to)', async () => {
    const suites = await loadSuites(DIR, 'seeded');
    const result = runSuite('seeded', suites[0]!.suite, seededEngine());
    expect(result.cases.filter((c) => !c.passed).map((c) => `${c.name}: ${c.failure}`)).toEqual([]);
    expect(result.passed).toBeGreaterThanOrEqual(16);
  });

  it('fails a case whose decision, policies or reason differ, saying what differs', async () => {
    const [seeded] = await loadSuites(DIR, 'seeded');
    const withoutRetail = buildEngine(DEMO_POLICIES.filter((p) => p.name !== 'retail-readers'));
    const result = runSuite('seeded', seeded!.suite, withoutRetail);
    const orders = result.cases.find((c) => c.name === 'alice reads retail orders')!;
    expect(orders.passed).toBe(false);
    expect(orders.failure).toBe(
      'expected allowed, got denied; expected policies [retail-readers], got []; expected the reason to contain "allowed by policy "retail-readers"", got "no policy allows read on dataos://icebase:retail/orders for users:id:alice"',
    );
    expect(result.failed).toBeGreaterThan(0);
  });

  it('refuses a malformed suite, naming the place', () => {
    expect(() => parseSuite('x', '{')).toThrow(SuiteError);
    expect(() =>
      parseSuite(
        'x',
        JSON.stringify({
          subjects: { a: { tags: ['users:id:a'] } },
          cases: [{ name: 'c', subject: 'b', action: 'read', object: { path: '/x' }, expect: { allowed: true } }],
        }),
      ),
    ).toThrow('suite "x" at cases.0.subject: no subject named "b"');
    expect(() =>
      parseSuite(
        'x',
        JSON.stringify({
          subjects: { a: { tags: ['users:id:a'] } },
          cases: [{ name: 'c', subject: 'a', action: 'peek', object: { path: '/x' }, expect: { allowed: true } }],
        }),
      ),
    ).toThrow(/at cases\.0\.action/);
  });
});
