import { describe, expect, it } from 'vitest';
import { buildEngine, buildLinearEngine } from '../../src/engine/engine.js';
import { generateCheck, generatePolicies, random } from '../../src/engine/generate.js';
import type { PolicyDefinition, SubjectContext } from '../../src/engine/types.js';

const allow = (name: string, extra: Partial<PolicyDefinition> = {}): PolicyDefinition => ({
  name,
  effect: 'allow',
  subjects: [['roles:id:data-dev']],
  actions: ['read'],
  objects: { paths: ['dataos://icebase:retail/**'], tags: [] },
  ...extra,
});
const subject = (tags: string[], claims: Record<string, unknown> = {}): SubjectContext => ({
  id: tags.find((t) => t.startsWith('users:id:')) ?? 'users:id:someone',
  tags,
  claims,
});
const alice = subject(['users:id:alice', 'roles:id:data-dev', 'groups:id:retail'], { region: 'emea' });
const dave = subject(['users:id:dave']);

describe('decisions', () => {
  it('denies by default, with a reason', () => {
    const d = buildEngine([]).decide(alice, 'read', { path: '/x' });
    expect(d).toEqual({ allowed: false, policies: [], reason: 'no policy allows read on /x for users:id:alice' });
  });

  it('allows what a policy allows, naming it', () => {
    const e = buildEngine([allow('retail-readers')]);
    expect(e.decide(alice, 'read', { path: 'dataos://icebase:retail/customers' })).toEqual({
      allowed: true,
      policies: ['retail-readers'],
      reason: 'allowed by policy "retail-readers"',
    });
    expect(e.decide(alice, 'write', { path: 'dataos://icebase:retail/customers' }).allowed).toBe(false);
    expect(e.decide(dave, 'read', { path: 'dataos://icebase:retail/customers' }).allowed).toBe(false);
    expect(e.decide(alice, 'read', { path: 'dataos://icebase:retail' }).allowed).toBe(true);
  });

  it('lets deny override allow', () => {
    const e = buildEngine([
      allow('retail-readers'),
      allow('no-customers', { effect: 'deny', objects: { paths: ['dataos://icebase:retail/customers'], tags: [] } }),
    ]);
    const d = e.decide(alice, 'read', { path: 'dataos://icebase:retail/customers' });
    expect(d.allowed).toBe(false);
    expect(d.policies).toEqual(['no-customers']);
    expect(d.reason).toBe(
      'denied: policy "no-customers" denies read on dataos://icebase:retail/customers to users:id:alice',
    );
    expect(e.decide(alice, 'read', { path: 'dataos://icebase:retail/orders' }).allowed).toBe(true);
  });

  it("URN patterns: `*` stops at the depot's `:`, case is ignored, the index agrees with the scan", () => {
    const policies = [
      allow('collections', { objects: { paths: ['dataos://icebase:*'], tags: [] } }),
      allow('depot', { objects: { paths: ['dataos://lakehouse:**'], tags: [] } }),
      allow('no-finance', { effect: 'deny', objects: { paths: ['dataos://LAKEHOUSE:Finance/**'], tags: [] } }),
    ];
    const indexed = buildEngine(policies);
    const linear = buildLinearEngine(policies);
    const cases: [string, boolean][] = [
      ['dataos://icebase:retail', true],
      ['dataos://icebase:retail/customers', false],
      ['dataos://lakehouse:retail/orders', true],
      ['dataos://Lakehouse:Retail/Orders', true],
      ['dataos://lakehouse:finance/invoices', false],
      ['dataos://lakehouse:FINANCE/invoices', false],
      ['dataos://lakehouse', true],
    ];
    for (const [path, allowed] of cases) {
      expect(indexed.decide(alice, 'read', { path }).allowed, path).toBe(allowed);
      expect(linear.decide(alice, 'read', { path }).allowed, path).toBe(allowed);
    }
    expect(indexed.decide(alice, 'read', { path: 'dataos://Lakehouse:Finance/x' }).policies).toEqual(['no-finance']);
  });

  it('ANDs tags within a subject set and ORs the sets', () => {
    const e = buildEngine([
      allow('pii', { subjects: [['users:id:alice', 'roles:id:pii-reader'], ['roles:id:admin']] }),
    ]);
    const path = { path: 'dataos://icebase:retail/customers' };
    expect(e.decide(alice, 'read', path).allowed).toBe(false);
    expect(e.decide(subject([...alice.tags, 'roles:id:pii-reader']), 'read', path).allowed).toBe(true);
    expect(e.decide(subject(['users:id:carol', 'roles:id:admin']), 'read', path).allowed).toBe(true);
  });

  it('matches subject globs and `*` actions', () => {
    const e = buildEngine([allow('any-role', { subjects: [['roles:id:*']], actions: ['*'] })]);
    expect(e.decide(alice, 'delete', { path: 'dataos://icebase:retail/x' }).allowed).toBe(true);
    expect(e.decide(dave, 'delete', { path: 'dataos://icebase:retail/x' }).allowed).toBe(false);
  });

  it('matches objects by tags', () => {
    const e = buildEngine([allow('domain', { objects: { paths: [], tags: ['dataos:domain:retail'] } })]);
    expect(e.decide(alice, 'read', { path: 'dataos://x:y/z', tags: ['dataos:domain:retail'] }).allowed).toBe(true);
    expect(e.decide(alice, 'read', { tags: ['dataos:domain:finance'] }).allowed).toBe(false);
  });

  it('refuses unknown actions and empty objects without throwing', () => {
    const e = buildEngine([allow('retail-readers')]);
    expect(e.decide(alice, 'fly', { path: 'dataos://icebase:retail/x' })).toMatchObject({
      allowed: false,
      reason: 'unknown action "fly"',
    });
    expect(e.decide(alice, 'read', {})).toMatchObject({ allowed: false, reason: 'no object given' });
  });

  it('applies time windows, UTC hour windows across midnight, and claim equality', () => {
    const e = buildEngine([
      allow('window', {
        conditions: { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2026-02-01T00:00:00Z') },
      }),
      allow('night', { subjects: [['users:id:dave']], conditions: { hours: { from: 22, to: 6 } } }),
      allow('emea-only', {
        subjects: [['groups:id:retail']],
        actions: ['write'],
        conditions: { claims: [{ claim: 'region', equals: 'emea' }] },
      }),
    ]);
    const p = { path: 'dataos://icebase:retail/x' };
    expect(e.decide(alice, 'read', p, new Date('2026-01-15T12:00:00Z')).allowed).toBe(true);
    expect(e.decide(alice, 'read', p, new Date('2026-02-01T00:00:00Z')).allowed).toBe(false);
    expect(e.decide(dave, 'read', p, new Date('2026-03-01T23:30:00Z')).allowed).toBe(true);
    expect(e.decide(dave, 'read', p, new Date('2026-03-01T05:59:00Z')).allowed).toBe(true);
    expect(e.decide(dave, 'read', p, new Date('2026-03-01T12:00:00Z')).allowed).toBe(false);
    expect(e.decide(alice, 'write', p).allowed).toBe(true);
    expect(e.decide(subject(alice.tags as string[], { region: 'amer' }), 'write', p).allowed).toBe(false);
  });
});

describe('named policies for @policy', () => {
  const e = buildEngine([
    allow('retail-readers'),
    allow('ops', { subjects: [['roles:id:operator']], objects: { paths: ['/caretaker/**'], tags: [] } }),
    allow('no-retail-for-contractors', {
      effect: 'deny',
      subjects: [['groups:id:contractors']],
      actions: ['*'],
      objects: { paths: ['dataos://**'], tags: [] },
    }),
  ]);

  it('passes an allow policy that applies to the subject', () => {
    expect(
      e
        .evaluateNamed(alice, ['retail-readers', 'ops', 'missing', 'no-retail-for-contractors'])
        .map((r) => [r.name, r.allowed]),
    ).toEqual([
      ['retail-readers', true],
      ['ops', false],
      ['missing', false],
      ['no-retail-for-contractors', false],
    ]);
  });

  it('fails an allow policy on object tags that a deny on object tags covers', () => {
    const tagged = buildEngine([
      allow('retail-tagged', { objects: { paths: [], tags: ['dataos:domain:retail'] } }),
      allow('no-domains-for-contractors', {
        effect: 'deny',
        subjects: [['groups:id:contractors']],
        objects: { paths: [], tags: ['dataos:domain:*'] },
      }),
      allow('no-finance', { effect: 'deny', objects: { paths: [], tags: ['dataos:domain:finance'] } }),
    ]);
    expect(tagged.evaluateNamed(alice, ['retail-tagged'])).toEqual([
      { name: 'retail-tagged', allowed: true, reason: 'policy "retail-tagged" applies to users:id:alice' },
    ]);
    const [r] = tagged.evaluateNamed(subject([...alice.tags, 'groups:id:contractors']), ['retail-tagged']);
    expect(r).toMatchObject({ allowed: false, reason: 'denied by "no-domains-for-contractors" for users:id:alice' });
  });

  it('fails an allow policy that a matching deny covers', () => {
    const contractor = subject([...alice.tags, 'groups:id:contractors']);
    const [r] = e.evaluateNamed(contractor, ['retail-readers']);
    expect(r).toMatchObject({ allowed: false });
    expect(r!.reason).toContain('no-retail-for-contractors');
  });
});

describe('the index', () => {
  it('gives the same answers as scanning every policy (2,000 policies, 2,000 checks)', () => {
    const policies = generatePolicies(2000, 3);
    const indexed = buildEngine(policies);
    const linear = buildLinearEngine(policies);
    const r = random(11);
    let allowed = 0;
    for (let i = 0; i < 2000; i++) {
      const { subject: s, action, object } = generateCheck(r);
      const a = indexed.decide(s, action, object);
      expect(a).toEqual(linear.decide(s, action, object));
      if (a.allowed) allowed++;
    }
    // The generator must exercise both outcomes for the comparison to mean something.
    expect(allowed).toBeGreaterThan(20);
    expect(allowed).toBeLessThan(1980);
  });
});
