import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@dataos/auth';
import { mongoFromEnv, type MongoStore } from '@dataos/stores';
import { createLogger } from '@dataos/subgraph-kit';
import { uniqueId } from '@dataos/testkit';
import type { PolicyDefinition } from '../src/engine/types.js';
import { PolicyIndex } from '../src/policy-index.js';
import { collectionsOf, type Collections, type PolicyDoc } from '../src/store/collections.js';
import { PolicyRepository } from '../src/store/policies.js';
import { UserTagRepository } from '../src/store/user-tags.js';
import { VersionCounter } from '../src/store/version.js';

let mongo: MongoStore;
let c: Collections;
const logger = createLogger('heimdall-test', 'silent');
const dave = { id: 'users:id:dave', tags: ['users:id:dave'], claims: {} };
const grant = (name: string, path: string): PolicyDefinition => ({
  name,
  effect: 'allow',
  subjects: [['users:id:dave']],
  actions: ['read'],
  objects: { paths: [path], tags: [] },
});

/** A repository whose `all()` holds its (already read) answer until released: a poll reload caught in flight. */
class HeldRepository extends PolicyRepository {
  hold: { read: () => void; release: Promise<void> } | undefined;
  override async all(): Promise<PolicyDoc[]> {
    const docs = await super.all();
    const hold = this.hold;
    if (hold) {
      hold.read();
      await hold.release;
    }
    return docs;
  }
}

beforeAll(async () => {
  mongo = await mongoFromEnv('HEIMDALL', uniqueId('heimdall_index_'), { ...process.env, HEIMDALL_MONGO_DB: undefined });
  c = collectionsOf(mongo.db);
});

afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
});

describe('the policy index', () => {
  it('makes a write visible to the very next decision even while a poll reload is in flight', async () => {
    const versions = new VersionCounter(c, logger);
    const repo = new HeldRepository(c, versions);
    const index = new PolicyIndex(repo, new UserTagRepository(c, versions), logger);
    await repo.create(grant('before', '/before/**'), 'test');
    await index.refresh({ force: true });

    // A poll starts and reads the policies before the write below...
    let read!: () => void;
    let release!: () => void;
    const readDone = new Promise<void>((r) => (read = r));
    repo.hold = { read, release: new Promise<void>((r) => (release = r)) };
    await repo.create(grant('moved-on', '/other/**'), 'test'); // the version moves, so the poll reloads
    const poll = index.refresh();
    await readDone;
    repo.hold = undefined;

    // ...then a mutation writes and waits for its own version, while the poll is still in flight.
    const { version } = await repo.create(grant('new-grant', '/pods/**'), 'test');
    const mine = index.refresh({ minVersion: version! });
    release();
    await Promise.all([poll, mine]);
    expect(index.version).toBeGreaterThanOrEqual(version!);
    expect(index.engine.decide(dave, 'read', { path: '/pods/a' })).toMatchObject({
      allowed: true,
      policies: ['new-grant'],
    });
  });

  it('computes a subject with assigned tags once per principal and load, so the glob memo is hit', async () => {
    const repo = new PolicyRepository(c);
    const tags = new UserTagRepository(c, repo.versions);
    const index = new PolicyIndex(repo, tags, logger);
    const { version } = await tags.set('users:id:erin', ['teams:id:platform'], 'test');
    await index.refresh({ minVersion: version! });
    const principal = { id: 'users:id:erin', tags: ['users:id:erin'], claims: {} } as unknown as Principal;
    const first = index.subjectFor(principal);
    expect(first.tags).toEqual(['users:id:erin', 'teams:id:platform']);
    expect(index.subjectFor(principal).tags).toBe(first.tags);
    await tags.set('users:id:erin', ['teams:id:data'], 'test');
    await index.refresh({ force: true });
    expect(index.subjectFor(principal).tags).toEqual(['users:id:erin', 'teams:id:data']);
  });

  it('retries a failed version bump, and still answers the write when every attempt fails', async () => {
    let failures = 2;
    const flaky = {
      ...c,
      meta: new Proxy(c.meta, {
        get(target, prop, receiver) {
          if (prop === 'findOneAndUpdate' && failures-- > 0) return () => Promise.reject(new Error('connection reset'));
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }),
    } as Collections;
    const before = await new VersionCounter(c).current();
    const repo = new PolicyRepository(flaky, new VersionCounter(flaky, logger, [0, 1, 1]));
    const written = await repo.create(grant('bumped-on-third-try', '/third/**'), 'test');
    expect(written.version).toBe(before + 1);

    failures = 3;
    const lost = await repo.create(grant('bump-lost', '/lost/**'), 'test');
    expect(lost.version).toBeNull();
    expect(await repo.get('bump-lost')).not.toBeNull();
  });

  it('reloads everything every fullReloadMs, so a write whose bump was lost still reaches every replica', async () => {
    const repo = new PolicyRepository(c);
    const index = new PolicyIndex(repo, new UserTagRepository(c, repo.versions), logger);
    await index.refresh({ force: true });
    // Written without a bump, as when the bump never reached the store.
    await c.policies.insertOne({
      ...(await repo.get('bump-lost'))!,
      _id: 'unbumped',
      objects: { paths: ['/unbumped/**'], tags: [] },
    });
    index.startPolling(60_000, 150);
    try {
      await sleep(600);
      expect(index.engine.decide(dave, 'read', { path: '/unbumped/x' }).allowed).toBe(true);
    } finally {
      index.stop();
    }
  });

  it('bumps the version after a bulk import even when a later chunk fails', async () => {
    const repo = new PolicyRepository(c);
    const before = await repo.version();
    const batch = Array.from({ length: 1001 }, (_, i) => grant(`bulk-${i}`, `/bulk/${i}`));
    batch[1000] = grant('new-grant', '/dup'); // exists: the second chunk fails
    await expect(repo.insertMany(batch, 'test')).rejects.toThrow();
    expect(await repo.get('bulk-999')).not.toBeNull();
    expect(await repo.version()).toBe(before + 1);
  });
});

describe('seeded policies (ensure)', () => {
  it('creates missing ones, updates those only the seed wrote, and keeps those somebody edited', async () => {
    const repo = new PolicyRepository(c, new VersionCounter(c, logger));
    const v1 = [grant('seed-a', '/a/**'), grant('seed-b', '/b/**')];
    expect(await repo.ensure(v1, 'seed')).toEqual({ created: 2, updated: 0 });
    expect(await repo.ensure(v1, 'seed')).toEqual({ created: 0, updated: 0 });

    // An admin takes over seed-b; then the seed changes both.
    await repo.replace({ ...grant('seed-b', '/b/**'), actions: ['read', 'write'] }, 'users:id:carol');
    const v2 = [
      { ...grant('seed-a', '/a/**'), actions: ['read', 'write'] },
      { ...grant('seed-b', '/b/**'), actions: ['delete'] },
    ];
    const before = await repo.version();
    expect(await repo.ensure(v2, 'seed')).toEqual({ created: 0, updated: 1 });
    expect((await repo.get('seed-a'))?.actions).toEqual(['read', 'write']);
    expect(await repo.get('seed-b')).toMatchObject({ actions: ['read', 'write'], updatedBy: 'users:id:carol' });
    // Replicas hear of the update.
    expect(await repo.version()).toBeGreaterThan(before);
  });
});
