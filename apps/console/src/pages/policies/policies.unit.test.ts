import { describe, expect, it } from 'vitest';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { ConsoleDataPolicyFragment } from '@dataos/client';
import { ACCESS_FIELDS, accessInputOf, accessValuesOf, EMPTY_ACCESS } from './accessForm.js';
import { dataInputOf, EMPTY_DATA, literal } from './dataForm.js';
import { DATA_FIELDS } from './dataForm.js';
import { fieldKeyOf, formErrorsOf } from './fieldErrors.js';
import { planPreview, subjectTags } from './preview.js';
import { decisionFilterOf } from './DecisionsPage.js';
import { capabilitiesOf, mayAdministerPolicies, mayOperate } from '../../live/capabilities.js';

describe('errors at their field', () => {
  it('maps the API field path to the form field', () => {
    expect(fieldKeyOf('input.subjects[0][1]', ACCESS_FIELDS)).toBe('subjects');
    expect(fieldKeyOf('input.objects.paths[2]', ACCESS_FIELDS)).toBe('objects.paths');
    expect(fieldKeyOf('input.objects', ACCESS_FIELDS)).toBe('objects');
    expect(fieldKeyOf('input.mask.keepFirst', DATA_FIELDS)).toBe('mask.keepFirst');
    expect(fieldKeyOf('input.mask.keyScope', DATA_FIELDS)).toBe('mask');
    expect(fieldKeyOf('expectedVersion', ACCESS_FIELDS)).toBeUndefined();
  });

  it('puts validation errors at fields and explains a version conflict above the form', () => {
    const error = new CombinedGraphQLErrors({
      errors: [
        { message: 'Unknown action "reed"', extensions: { code: 'BAD_USER_INPUT', field: 'input.actions[0]' } },
        { message: 'Policy "p" changed since version 1', extensions: { code: 'CONFLICT', field: 'expectedVersion' } },
      ],
    });
    const out = formErrorsOf(error, ACCESS_FIELDS, 'policy');
    expect(out.fields).toEqual({ actions: 'Unknown action "reed"' });
    expect(out.form).toHaveLength(1);
    expect(out.form[0]).toMatch(/Someone else changed this policy while you were editing it/);
  });
});

describe('access policy form', () => {
  it('turns lines and commas into subject sets, actions and objects', () => {
    const input = accessInputOf({
      ...EMPTY_ACCESS,
      name: ' e2e-readers ',
      subjects: 'roles:id:data-dev\nusers:id:alice, roles:id:pii-reader\n\n',
      actions: 'read, write',
      paths: 'dataos://icebase:retail/**',
    });
    expect(input).toEqual({
      name: 'e2e-readers',
      effect: 'ALLOW',
      subjects: [['roles:id:data-dev'], ['users:id:alice', 'roles:id:pii-reader']],
      actions: ['read', 'write'],
      objects: { paths: ['dataos://icebase:retail/**'], tags: [] },
    });
    const back = accessValuesOf({
      ...input,
      description: null,
      collection: null,
      version: 1,
      updatedAt: '',
      updatedBy: null,
      objects: { paths: input.objects.paths!, tags: [] },
    } as never);
    expect(back.subjects).toBe('roles:id:data-dev\nusers:id:alice, roles:id:pii-reader');
  });
});

describe('data policy form', () => {
  it('sends a mask with its column selector and no filters', () => {
    const input = dataInputOf({
      ...EMPTY_DATA,
      name: 'm',
      userTags: 'roles:id:data-dev',
      columnTags: 'PII.Email',
      operator: 'PARTIAL',
      keepFirst: '2',
    });
    expect(input.selector.column).toEqual({ tags: ['PII.Email'], names: [] });
    expect(input.mask).toEqual({ operator: 'PARTIAL', keepFirst: 2 });
    expect(input.filters).toBeUndefined();
  });

  it('sends row filters with JSON literals or a subject attribute', () => {
    const input = dataInputOf({
      ...EMPTY_DATA,
      type: 'FILTER',
      filters: [
        { column: 'region', operator: 'EQUALS', value: '', valueFrom: 'claims.region' },
        { column: 'amount', operator: 'LESS_THAN', value: '100', valueFrom: '' },
        { column: 'email', operator: 'IS_NOT_NULL', value: '', valueFrom: '' },
      ],
    });
    expect(input.mask).toBeUndefined();
    expect(input.selector.column).toBeUndefined();
    expect(input.filters).toEqual([
      { column: 'region', operator: 'EQUALS', valueFrom: 'claims.region' },
      { column: 'amount', operator: 'LESS_THAN', value: 100 },
      { column: 'email', operator: 'IS_NOT_NULL' },
    ]);
    expect(literal('eu-west')).toBe('eu-west');
  });
});

describe('preview as a subject', () => {
  const policy = (name: string, patch: Partial<ConsoleDataPolicyFragment>): ConsoleDataPolicyFragment => ({
    name,
    description: null,
    type: 'MASK',
    priority: 50,
    datasets: ['dataos://icebase:retail/*'],
    selector: { user: { match: 'ANY', tags: ['roles:id:data-dev'] }, column: { tags: ['PII.Email'], names: [] } },
    mask: { operator: 'HASH' } as ConsoleDataPolicyFragment['mask'],
    filters: [],
    enabled: true,
    version: 1,
    updatedAt: '',
    updatedBy: null,
    ...patch,
  });
  const columns = [
    { name: 'email', type: 'VARCHAR', tags: ['PII.Email'] },
    { name: 'city', type: 'VARCHAR', tags: [] },
  ];
  const urn = 'dataos://icebase:retail/customers';

  it('names the winning mask per column: the lower number, then the more restrictive operator', () => {
    const policies = [
      policy('hash-email', { priority: 50 }),
      policy('redact-email', { priority: 50, mask: { operator: 'REDACT' } as never }),
      policy('partial-email', { priority: 60, mask: { operator: 'PARTIAL' } as never }),
    ];
    const plan = planPreview(urn, columns, subjectTags('alice', ['roles:id:data-dev'], []), policies);
    expect(plan.columns[0]!.mask).toEqual({ policy: 'redact-email', priority: 50, operator: 'REDACT' });
    expect(plan.columns[0]!.overruled).toHaveLength(2);
    expect(plan.columns[1]!.mask).toBeNull();
  });

  it('leaves out policies for other subjects, other datasets or disabled ones', () => {
    const policies = [
      policy('for-admins', {
        selector: { user: { match: 'ANY', tags: ['roles:id:admin'] }, column: { tags: ['PII.*'], names: [] } },
      }),
      policy('finance-only', { datasets: ['dataos://lakehouse:finance/*'] }),
      policy('off', { enabled: false }),
    ];
    const plan = planPreview(urn, columns, subjectTags('users:id:alice', ['roles:id:data-dev'], []), policies);
    expect(plan.columns.every((c) => c.mask === null)).toBe(true);
    expect(plan.notForSubject.map((p) => p.name)).toEqual(['for-admins']);
  });

  it('applies row filters, and an exemption lifts those with a higher number', () => {
    const filter = (name: string, priority: number, filters: ConsoleDataPolicyFragment['filters']) =>
      policy(name, {
        type: 'FILTER',
        priority,
        mask: null,
        selector: { user: { match: 'ANY', tags: ['users:id:*'] }, column: null },
        filters,
      });
    const policies = [
      filter('emea-only', 40, [
        { column: 'region', operator: 'EQUALS', value: null, valueFrom: 'claims.region', predicate: null },
      ]),
      filter('no-test-rows', 80, [
        { column: 'test', operator: 'EQUALS', value: false, valueFrom: null, predicate: null },
      ]),
      filter('auditors-see-all', 60, []),
    ];
    const plan = planPreview(urn, columns, subjectTags('alice', [], []), policies);
    expect(plan.filters.map((p) => p.name)).toEqual(['emea-only']);
    expect(plan.exemptions.map((p) => p.name)).toEqual(['auditors-see-all']);
    expect(plan.lifted.map((p) => p.name)).toEqual(['no-test-rows']);
  });
});

describe('who may see what', () => {
  it('shows the Operations app and the policy console only when Heimdall allows', () => {
    const alice = capabilitiesOf([
      { key: 'pods', allowed: false, reason: 'no policy' },
      { key: 'accessPolicies', allowed: false, reason: 'no policy' },
    ]);
    expect(mayOperate(alice)).toBe(false);
    expect(mayAdministerPolicies(alice)).toBe(false);
    const bob = capabilitiesOf([
      { key: 'pods', allowed: true, reason: 'caretaker-operators' },
      { key: 'dataPolicies', allowed: true, reason: 'gateway-operators' },
    ]);
    expect(mayOperate(bob)).toBe(true);
    expect(mayAdministerPolicies(bob)).toBe(true);
    expect(bob.can('accessPolicies')).toBe(false);
    expect(capabilitiesOf(undefined).known).toBe(false);
  });
});

describe('decision log filter', () => {
  it('reads the URL into the API filter; a bare user id becomes a subject id', () => {
    const filter = decisionFilterOf(
      new URLSearchParams('subject=dave&allowed=yes&path=/metis/&policy=x&since=2026-12-07T08:00'),
    );
    expect(filter).toMatchObject({ subject: 'users:id:dave', allowed: true, pathPrefix: '/metis/' });
    expect(filter.since).toMatch(/^2026-12-07T/);
    expect(filter).not.toHaveProperty('policy');
  });
});
