import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MongoStore } from '@dataos/stores';
import { testMongo } from '@dataos/testkit';
import { collectionsOf, ensureIndexes, type Collections } from '../src/store/collections.js';

/** A MongoDB database of its own (dropped by `drop`), with Caretaker's collections and indexes. */
export async function testDb(
  prefix = 'caretaker_test_',
): Promise<{ mongo: MongoStore; c: Collections; drop(): Promise<void> }> {
  const mongo = await testMongo('CARETAKER', prefix);
  const c = collectionsOf(mongo.db);
  await ensureIndexes(c);
  return { mongo, c, drop: () => mongo.drop() };
}

export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'caretaker-archive-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Deterministic shuffle (tests must be reproducible). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
