import { describe, expect, it } from 'vitest';
import { compileGrants } from '@dataos/heimdall-client';
import { buildEngine } from '../../src/engine/engine.js';
import { generateCheck, generatePolicies, random } from '../../src/engine/generate.js';
import { computeGrants } from '../../src/engine/grants.js';
import { validatePolicy } from '../../src/engine/validate.js';
import type { PolicyDefinition, SubjectContext } from '../../src/engine/types.js';
import { bootstrapPolicies } from '../../src/bootstrap.js';
import { DEMO_POLICIES } from '../../src/seed.js';

const NOW = new Date('2026-12-07T10:30:00Z');

/** Grants as a service holds them: the client's checker on the answer Heimdall would send. */
function grantsFor(defs: PolicyDefinition[], subject: SubjectContext, action: string, scope: string, now = NOW) {
  const g = computeGrants(defs, subject, action, scope, now);
  return compileGrants({
    subject: subject.id,
    action,
    scope,
    ...g,
    version: 1,
    validUntil: g.validUntil?.toISOString() ?? null,
  });
}

/** Adds conditions, tag objects, URN case and collection-level globs to the generated set. */
function withVariety(defs: PolicyDefinition[], r: () => number): PolicyDefinition[] {
  return defs.map((d, i) => {
    const x = r();
    if (x < 0.05) return { ...d, conditions: { claims: [{ claim: 'region', equals: r() < 0.5 ? 'emea' : 'apac' }] } };
    if (x < 0.08) return { ...d, conditions: { hours: { from: 8, to: 20 } } };
    if (x < 0.1) return { ...d, conditions: { notAfter: new Date('2026-01-01T00:00:00Z') } };
    if (x < 0.13) return { ...d, objects: { paths: [`dataos://Depot${i % 50}:*`], tags: [] } };
    if (x < 0.16) return { ...d, objects: { ...d.objects, tags: ['dataos:domain:*'] } };
    if (x < 0.2) return { ...d, conditions: { objectTagFromClaims: [{ claim: 'region', prefix: 'dataos:region:' }] } };
    return d;
  });
}

describe('grants equal per-object decisions', () => {
  it('on generated policies, subjects, actions and objects', () => {
    let checked = 0;
    let handedBack = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const r = random(seed * 101);
      const defs = withVariety(generatePolicies(1500, seed), r);
      const engine = buildEngine(defs);
      for (let s = 0; s < 8; s++) {
        const base = generateCheck(r);
        const subject = { ...base.subject, claims: { region: r() < 0.5 ? 'emea' : 'apac' } };
        for (const action of ['read', 'write', 'create', 'delete']) {
          const grants = grantsFor(defs, subject, action, 'dataos://**');
          for (let o = 0; o < 150; o++) {
            const { object: generated } = generateCheck(r);
            if (!generated.path?.startsWith('dataos://')) continue;
            const region = r() < 0.5 ? ['dataos:region:emea'] : [];
            const object = { path: generated.path, tags: [...(generated.tags ?? []), ...region] };
            const expected = engine.decide(subject, action, object, NOW).allowed;
            const verdict = grants.check(object);
            // An object under a policy with an object condition is handed back: the service asks decide.
            if (verdict === 'decide') {
              handedBack++;
              continue;
            }
            expect(verdict, `${action} ${JSON.stringify(object)} seed ${seed}`).toBe(expected ? 'allow' : 'deny');
            checked++;
          }
        }
      }
    }
    expect(handedBack).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(15_000);
  });

  it('on the seeded policies for the dev issuer people', () => {
    const defs = [...bootstrapPolicies(), ...DEMO_POLICIES];
    const engine = buildEngine(defs);
    const people: SubjectContext[] = [
      { id: 'users:id:alice', tags: ['users:id:alice', 'roles:id:data-dev', 'users:type:person'], claims: {} },
      { id: 'users:id:bob', tags: ['users:id:bob', 'roles:id:operator', 'users:type:person'], claims: {} },
      { id: 'users:id:carol', tags: ['users:id:carol', 'roles:id:admin', 'users:type:person'], claims: {} },
      { id: 'users:id:dave', tags: ['users:id:dave', 'users:type:person'], claims: {} },
    ];
    const objects = [
      { path: 'dataos://icebase:retail/orders' },
      { path: 'dataos://icebase:retail/customers', tags: ['dataos:domain:retail'] },
      { path: 'dataos://lakehouse:finance/ledger', tags: ['dataos:domain:finance'] },
      { path: 'dataos://icebase:retail/refunds', tags: ['dataos:domain:finance'] },
      { path: 'DATAOS://IceBase:Retail/Orders' },
      { path: 'dataos://icebase:marketing/leads', tags: ['dataos:domain:retail'] },
      { path: 'dataos://icebase:marketing/leads' },
      { tags: ['dataos:domain:retail'] },
    ];
    for (const subject of people) {
      for (const action of ['read', 'write', 'manage']) {
        const grants = grantsFor(defs, subject, action, 'dataos://**');
        for (const object of objects) {
          const expected = engine.decide(subject, action, object, NOW).allowed ? 'allow' : 'deny';
          expect(grants.check(object), `${subject.id} ${action} ${JSON.stringify(object)}`).toBe(expected);
        }
      }
    }
  });

  it('is compact: a broad glob absorbs the narrower ones, and no allow means no deny', () => {
    const carol = { id: 'users:id:carol', tags: ['users:id:carol', 'roles:id:admin'], claims: {} };
    const g = computeGrants([...bootstrapPolicies(), ...DEMO_POLICIES], carol, 'read', 'dataos://**', NOW);
    expect(g.allow).toEqual({ paths: ['dataos://**'], tags: ['dataos:domain:retail'] });
    expect(g.policies).toEqual(['admins-read-everything', 'retail-readers']);
    const dave = { id: 'users:id:dave', tags: ['users:id:dave'], claims: {} };
    const none = computeGrants(DEMO_POLICIES, dave, 'read', 'dataos://**', NOW);
    expect(none).toMatchObject({ allow: { paths: [], tags: [] }, deny: { paths: [], tags: [] }, policies: [] });
  });

  it('leaves out path globs outside the scope and says when a time condition changes the answer', () => {
    const alice = { id: 'users:id:alice', tags: ['users:id:alice', 'roles:id:data-dev'], claims: {} };
    const defs: PolicyDefinition[] = [
      ...DEMO_POLICIES,
      {
        name: 'office-hours',
        effect: 'allow',
        subjects: [['roles:id:data-dev']],
        actions: ['read'],
        objects: { paths: ['dataos://icebase:sales/**'], tags: [] },
        conditions: { hours: { from: 8, to: 18 } },
      },
    ];
    const g = computeGrants(defs, alice, 'read', 'dataos://**', NOW);
    expect(g.allow.paths).toEqual(['dataos://icebase:retail/**', 'dataos://icebase:sales/**']);
    expect(g.allow.paths.some((p) => p.startsWith('/metis'))).toBe(false);
    expect(g.deny).toEqual({ paths: ['dataos://lakehouse:finance/**'], tags: ['dataos:domain:finance'] });
    expect(g.validUntil?.toISOString()).toBe('2026-12-07T18:00:00.000Z');
    const night = computeGrants(defs, alice, 'read', 'dataos://**', new Date('2026-12-07T19:00:00Z'));
    expect(night.allow.paths).toEqual(['dataos://icebase:retail/**']);
    expect(night.validUntil?.toISOString()).toBe('2026-12-08T08:00:00.000Z');
  });
});

describe('object conditions', () => {
  const regional: PolicyDefinition = {
    name: 'regional-readers',
    effect: 'allow',
    subjects: [['roles:id:data-dev']],
    actions: ['read'],
    objects: { paths: ['dataos://icebase:sales/**'], tags: [] },
    conditions: { objectTagFromClaims: [{ claim: 'region', prefix: 'dataos:region:' }] },
  };
  const alice = { id: 'users:id:alice', tags: ['users:id:alice', 'roles:id:data-dev'], claims: { region: 'emea' } };

  it("decide needs the object to carry the tag named by the subject's claim", () => {
    const engine = buildEngine([regional]);
    expect(
      engine.decide(alice, 'read', { path: 'dataos://icebase:sales/q1', tags: ['dataos:region:emea'] }, NOW).allowed,
    ).toBe(true);
    expect(
      engine.decide(alice, 'read', { path: 'dataos://icebase:sales/q1', tags: ['dataos:region:apac'] }, NOW).allowed,
    ).toBe(false);
    expect(
      engine.decide(
        { ...alice, claims: {} },
        'read',
        { path: 'dataos://icebase:sales/q1', tags: ['dataos:region:'] },
        NOW,
      ).allowed,
    ).toBe(false);
  });

  it('grants hand the objects such a policy covers back to decisions, and settle the rest', () => {
    const g = computeGrants([...DEMO_POLICIES, regional], alice, 'read', 'dataos://**', NOW);
    expect(g.needsDecision).toEqual({ paths: ['dataos://icebase:sales/**'], tags: [] });
    expect(g.allow.paths).toEqual(['dataos://icebase:retail/**']);
    const grants = grantsFor([...DEMO_POLICIES, regional], alice, 'read', 'dataos://**');
    expect(grants.check({ path: 'dataos://icebase:sales/q1', tags: ['dataos:region:emea'] })).toBe('decide');
    expect(grants.check({ path: 'dataos://icebase:retail/orders' })).toBe('allow');
  });

  it('refuses an object condition without a claim or with a wildcard prefix, naming the field', () => {
    const bad = (c: { claim: string; prefix: string }) => () =>
      validatePolicy({ ...regional, conditions: { objectTagFromClaims: [c] } });
    expect(bad({ claim: ' ', prefix: 'dataos:region:' })).toThrow(
      expect.objectContaining({ field: 'conditions.objectTagFromClaims[0].claim' }),
    );
    expect(bad({ claim: 'region', prefix: 'dataos:*:' })).toThrow(
      expect.objectContaining({ field: 'conditions.objectTagFromClaims[0].prefix' }),
    );
    expect(validatePolicy(regional).conditions?.objectTagFromClaims).toEqual([
      { claim: 'region', prefix: 'dataos:region:' },
    ]);
  });

  it('a named allow policy with an object condition does not pass without an object', () => {
    const [result] = buildEngine([regional]).evaluateNamed(alice, ['regional-readers'], NOW);
    expect(result).toMatchObject({ allowed: false });
  });
});
