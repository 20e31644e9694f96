import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mongoFromEnv, type MongoStore } from '@dataos/stores';
import { createLogger } from '@dataos/subgraph-kit';
import { uniqueId } from '@dataos/testkit';
import { collectionsOf, type Collections, type DecisionDoc } from '../src/store/collections.js';
import { DecisionLog } from '../src/store/decision-log.js';

let mongo: MongoStore;
let c: Collections;

/** The real collections, with `decisions.insertMany` failing the next `failures` times. */
function flaky(failures: { left: number }): Collections {
  const decisions = new Proxy(c.decisions, {
    get(target, prop, receiver) {
      if (prop === 'insertMany' && failures.left-- > 0) return () => Promise.reject(new Error('not primary'));
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...c, decisions } as Collections;
}

const entry = (requestId: string): DecisionDoc => ({
  time: new Date(),
  requestId,
  subject: 'users:id:dave',
  action: 'read',
  object: { path: '/x', tags: [] },
  allowed: false,
  policies: [],
  reason: 'no policy allows read on /x for users:id:dave',
});

beforeAll(async () => {
  mongo = await mongoFromEnv('HEIMDALL', uniqueId('heimdall_log_'), { ...process.env, HEIMDALL_MONGO_DB: undefined });
  c = collectionsOf(mongo.db);
});

afterAll(async () => {
  await mongo.db.dropDatabase();
  await mongo.close();
});

describe('the decision log', () => {
  const options = { flushMs: 10_000, maxBuffer: 1000, retryMs: 20 };

  it('retries a failed bulk write once', async () => {
    const log = new DecisionLog(flaky({ left: 1 }), createLogger('test', 'silent'), options);
    log.append(entry('retry-1'));
    log.append(entry('retry-1'));
    await log.flush();
    expect(await c.decisions.countDocuments({ requestId: 'retry-1' })).toBe(2);
    expect(log.dropped).toBe(0);
  });

  it('counts what it drops after the retry fails too', async () => {
    const log = new DecisionLog(flaky({ left: 2 }), createLogger('test', 'silent'), options);
    for (let i = 0; i < 3; i++) log.append(entry('dropped-1'));
    await log.flush();
    expect(await c.decisions.countDocuments({ requestId: 'dropped-1' })).toBe(0);
    expect(log.dropped).toBe(3);
  });
});
