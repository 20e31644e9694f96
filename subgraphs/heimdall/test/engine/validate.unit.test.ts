import { describe, expect, it } from 'vitest';
import { PolicyValidationError, type PolicyDefinition } from '../../src/engine/types.js';
import { privilegedTagChanges, validateAssignedTags, validatePolicy } from '../../src/engine/validate.js';

const base: PolicyDefinition = {
  name: 'retail-readers',
  effect: 'allow',
  subjects: [['roles:id:data-dev']],
  actions: ['read'],
  objects: { paths: ['dataos://icebase:retail/**'], tags: [] },
};

function fieldOf(change: Partial<PolicyDefinition>): string {
  try {
    validatePolicy({ ...base, ...change });
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyValidationError);
    return (error as PolicyValidationError).field;
  }
  throw new Error('expected a validation error');
}

describe('validatePolicy', () => {
  it('accepts and normalizes a good policy', () => {
    const p = validatePolicy({ ...base, actions: ['read', 'read'], conditions: { claims: [] } });
    expect(p.actions).toEqual(['read']);
    expect(p.conditions).toBeNull();
  });

  it.each<[string, Partial<PolicyDefinition>, string]>([
    ['bad name', { name: 'has space' }, 'name'],
    ['empty subjects', { subjects: [] }, 'subjects'],
    ['empty AND set', { subjects: [['roles:id:a'], []] }, 'subjects[1]'],
    ['untagged subject', { subjects: [['alice']] }, 'subjects[0][0]'],
    ['malformed subject glob', { subjects: [['roles:id:[x']] }, 'subjects[0][0]'],
    ['unknown action', { actions: ['read', 'fly'] }, 'actions[1]'],
    ['no actions', { actions: [] }, 'actions'],
    ['no objects', { objects: { paths: [], tags: [] } }, 'objects'],
    ['relative path', { objects: { paths: ['metis/**'], tags: [] } }, 'objects.paths[0]'],
    ['malformed path glob', { objects: { paths: ['/metis/{a,b'], tags: [] } }, 'objects.paths[0]'],
    ['path with spaces', { objects: { paths: ['/a b'], tags: [] } }, 'objects.paths[0]'],
    ['bad object tag', { objects: { paths: [], tags: ['retail'] } }, 'objects.tags[0]'],
    [
      'reversed window',
      { conditions: { notBefore: new Date('2026-02-01'), notAfter: new Date('2026-01-01') } },
      'conditions.notAfter',
    ],
    ['bad hours', { conditions: { hours: { from: 25, to: 3 } } }, 'conditions.hours'],
    ['empty hours', { conditions: { hours: { from: 3, to: 3 } } }, 'conditions.hours'],
    ['nameless claim', { conditions: { claims: [{ claim: ' ', equals: 'x' }] } }, 'conditions.claims[0].claim'],
  ])('refuses %s', (_what, change, field) => {
    expect(fieldOf(change)).toBe(field);
  });

  it('says what is wrong in words', () => {
    expect(() => validatePolicy({ ...base, actions: ['fly'] })).toThrow(
      'Unknown action "fly": expected one of read, write, create, delete, execute, manage, *.',
    );
  });
});

describe('validateAssignedTags', () => {
  it('accepts concrete tags and dedupes them', () => {
    expect(validateAssignedTags(['roles:id:pii-reader', 'roles:id:pii-reader'])).toEqual(['roles:id:pii-reader']);
  });
  it.each([['roles:id:*'], ['no-namespace'], ['roles:id:a b']])('refuses %j', (tag) => {
    expect(() => validateAssignedTags([tag])).toThrow(PolicyValidationError);
  });
  it.each([['users:id:carol'], ['users:type:application'], ['scopes:id:admin']])(
    'refuses the identity tag %j',
    (tag) => {
      expect(() => validateAssignedTags(['teams:id:platform', tag])).toThrow(
        /cannot be assigned: users: and scopes: tags come only from the verified token/,
      );
    },
  );
});

describe('privilegedTagChanges', () => {
  it('names roles, groups and admin tags that are added or removed, not those kept', () => {
    const admin = ['teams:id:heimdall-admins'];
    expect(privilegedTagChanges([], ['roles:id:admin', 'teams:id:x'], admin)).toEqual(['roles:id:admin']);
    expect(
      privilegedTagChanges(['roles:id:pii-reader', 'groups:id:g'], ['roles:id:pii-reader', 'teams:id:x'], admin),
    ).toEqual(['groups:id:g']);
    expect(privilegedTagChanges(['teams:id:a'], ['teams:id:heimdall-admins'], admin)).toEqual([
      'teams:id:heimdall-admins',
    ]);
    expect(privilegedTagChanges(['roles:id:pii-reader'], ['roles:id:pii-reader', 'teams:id:x'], admin)).toEqual([]);
  });
});
