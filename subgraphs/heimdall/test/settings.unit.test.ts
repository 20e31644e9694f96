import { describe, expect, it } from 'vitest';
import { SettingsError } from '@dataos/settings';
import { adminTags } from '../src/bootstrap.js';
import { DEFAULT_POLICY_TESTS_DIR, heimdallMainSettings, heimdallSettingsFromEnv } from '../src/settings.js';

describe("Heimdall's settings", () => {
  it('has documented defaults', () => {
    expect(heimdallSettingsFromEnv({})).toEqual({
      pollMs: 1000,
      fullReloadMs: 300_000,
      decisionLogBytes: 256 * 1024 * 1024,
      decisionLogMax: 1_000_000,
      decisionsLoggedPerRequest: 200,
      routerMaxPolicies: 100,
      routerTags: ['users:id:dataos-services'],
      policyTestsDir: DEFAULT_POLICY_TESTS_DIR,
      decisionExport: { target: 'none', redact: [], batch: 100, queue: 10_000 },
    });
    expect(heimdallMainSettings({}).port).toBe(4001);
    expect(adminTags({})).toEqual(['roles:id:admin']);
  });

  it('reads every one', () => {
    expect(
      heimdallSettingsFromEnv({
        HEIMDALL_POLL_MS: '250',
        HEIMDALL_FULL_RELOAD_MS: '0',
        HEIMDALL_DECISION_LOG_BYTES: '1048576',
        HEIMDALL_DECISION_LOG_MAX: '5000',
        HEIMDALL_DECISION_LOG_PER_REQUEST: '20',
        HEIMDALL_ROUTER_MAX_POLICIES: '50',
        HEIMDALL_ROUTER_TAGS: 'users:id:router, users:type:application',
        HEIMDALL_POLICY_TESTS_DIR: '/etc/heimdall/policy-tests',
        HEIMDALL_DECISION_EXPORT: 'https://siem.example/decisions',
        HEIMDALL_DECISION_EXPORT_REDACT: 'subject, reason',
        HEIMDALL_DECISION_EXPORT_BATCH: '50',
        HEIMDALL_DECISION_EXPORT_QUEUE: '2000',
      }),
    ).toEqual({
      pollMs: 250,
      fullReloadMs: 0,
      decisionLogBytes: 1_048_576,
      decisionLogMax: 5000,
      decisionsLoggedPerRequest: 20,
      routerMaxPolicies: 50,
      routerTags: ['users:id:router', 'users:type:application'],
      policyTestsDir: '/etc/heimdall/policy-tests',
      decisionExport: {
        target: 'https://siem.example/decisions',
        redact: ['subject', 'reason'],
        batch: 50,
        queue: 2000,
      },
    });
    expect(heimdallSettingsFromEnv({ HEIMDALL_DECISION_LOG_BYTES: '64mb' }).decisionLogBytes).toBe(64 * 1024 * 1024);
    expect(heimdallMainSettings({ PORT: '5001', MAX_BODY_SIZE: '2mb' })).toMatchObject({
      port: 5001,
      kit: { maxBodyBytes: 2 * 1024 * 1024 },
    });
    expect(adminTags({ HEIMDALL_ADMIN_TAGS: 'roles:id:ops, groups:id:sre' })).toEqual([
      'roles:id:ops',
      'groups:id:sre',
    ]);
  });

  it.each([
    ['HEIMDALL_POLL_MS', '1s'],
    ['HEIMDALL_POLL_MS', '1o00'],
    ['HEIMDALL_POLL_MS', '0'],
    ['HEIMDALL_FULL_RELOAD_MS', '-1'],
    ['HEIMDALL_DECISION_LOG_BYTES', '256MiB'],
    ['HEIMDALL_DECISION_LOG_BYTES', '1024'],
    ['HEIMDALL_DECISION_LOG_MAX', '1e3.5'],
    ['HEIMDALL_DECISION_LOG_PER_REQUEST', 'lots'],
    ['HEIMDALL_DECISION_LOG_PER_REQUEST', '0'],
    ['HEIMDALL_ROUTER_MAX_POLICIES', '10.5'],
    ['HEIMDALL_ROUTER_TAGS', ' , '],
    ['HEIMDALL_ROUTER_TAGS', 'router'],
    ['HEIMDALL_ADMIN_TAGS', 'admin'],
    ['HEIMDALL_DECISION_EXPORT', 'syslog'],
    ['HEIMDALL_DECISION_EXPORT', 'file:'],
    ['HEIMDALL_DECISION_EXPORT_REDACT', 'subject, email'],
    ['HEIMDALL_DECISION_EXPORT_QUEUE', '0'],
    ['PORT', '40o1'],
    ['LOG_LEVEL', 'verbose'],
    ['MAX_DEPTH', 'deep'],
    ['OIDC_CLOCK_TOLERANCE_SEC', '30s'],
  ])('a typo fails at start: %s=%j, naming it and its value', (name, value) => {
    expect(() => heimdallMainSettings({ [name]: value })).toThrow(new RegExp(`^${name} must be `));
    expect(() => heimdallMainSettings({ [name]: value })).toThrow(`(got ${JSON.stringify(value)})`);
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      heimdallMainSettings({ HEIMDALL_POLL_MS: '1o00', HEIMDALL_ROUTER_MAX_POLICIES: 'all', PORT: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems.map((p) => p.variable).sort()).toEqual([
      'HEIMDALL_POLL_MS',
      'HEIMDALL_ROUTER_MAX_POLICIES',
      'PORT',
    ]);
    expect((error as Error).message).toContain(
      'HEIMDALL_POLL_MS must be an integer number of milliseconds from 1 to 2147483647 (got "1o00")',
    );
  });
});
