import { describe, expect, it } from 'vitest';
import { mongoFromEnv } from '@dataos/stores';
import { uniqueId } from '@dataos/testkit';
import { createHeimdallSubgraph } from '../src/index.js';
import { heimdallSettingsFromEnv } from '../src/settings.js';

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
    });
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
      }),
    ).toEqual({
      pollMs: 250,
      fullReloadMs: 0,
      decisionLogBytes: 1_048_576,
      decisionLogMax: 5000,
      decisionsLoggedPerRequest: 20,
      routerMaxPolicies: 50,
      routerTags: ['users:id:router', 'users:type:application'],
    });
  });

  it.each([
    ['HEIMDALL_POLL_MS', '1s'],
    ['HEIMDALL_POLL_MS', '0'],
    ['HEIMDALL_FULL_RELOAD_MS', '-1'],
    ['HEIMDALL_DECISION_LOG_BYTES', '256MiB'],
    ['HEIMDALL_DECISION_LOG_MAX', '1e3.5'],
    ['HEIMDALL_DECISION_LOG_PER_REQUEST', 'lots'],
    ['HEIMDALL_DECISION_LOG_PER_REQUEST', '0'],
    ['HEIMDALL_ROUTER_MAX_POLICIES', '10.5'],
    ['HEIMDALL_ROUTER_TAGS', ' , '],
    ['HEIMDALL_ROUTER_TAGS', 'router'],
  ])('refuses %s=%j, naming it', (name, value) => {
    expect(() => heimdallSettingsFromEnv({ [name]: value })).toThrow(new RegExp(`^${name}`));
  });

  it('stops the start on a typo, before touching the store', async () => {
    const mongo = await mongoFromEnv('HEIMDALL', uniqueId('heimdall_settings_'), { ...process.env, HEIMDALL_MONGO_DB: undefined });
    process.env.HEIMDALL_DECISION_LOG_PER_REQUEST = '100O';
    try {
      await expect(createHeimdallSubgraph({ mongo })).rejects.toThrow(/HEIMDALL_DECISION_LOG_PER_REQUEST must be a whole number/);
      expect(await mongo.db.listCollections().toArray()).toEqual([]);
    } finally {
      delete process.env.HEIMDALL_DECISION_LOG_PER_REQUEST;
      await mongo.db.dropDatabase();
      await mongo.close();
    }
  });
});
