import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Archiver } from '../src/archive/archiver.js';
import {
  HISTORY_PREFIX,
  decodeVerified,
  isManifestKey,
  manifestKeyOf,
  objectKey,
  parseManifest,
  sha256,
} from '../src/archive/format.js';
import { ArchiveReader } from '../src/archive/reader.js';
import { S3ArchiveStore } from '../src/archive/s3.js';
import { LocalFolderArchiveStore, PrefixedArchiveStore, type ArchiveStore } from '../src/archive/store.js';
import { eventId, type ClusterEvent, type HistoryEvent } from '../src/model.js';
import type { Collections } from '../src/store/collections.js';
import { HistoryStore } from '../src/store/history.js';
import { ingestEvents } from '../src/store/ingest.js';
import { eventsFromInput } from '../src/validate.js';
import { nodeEventInput, podEventInput } from '../../../packages/testkit/src/caretaker.js';
import { tempDir, testDb } from './db.js';
import { testBucket } from './s3.js';

const DAY = 86_400_000;
const NOW = new Date('2025-03-20T12:00:00.000Z');
const WINDOW = 7 * DAY;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanups) await f();
});

/**
 * Every test below runs on both stores Caretaker supports: a local folder and a real
 * S3-compatible server (the devstack's versitygw, one bucket for this file).
 */
let bucket: Awaited<ReturnType<typeof testBucket>>;
beforeAll(async () => {
  bucket = await testBucket();
  cleanups.push(() => bucket.remove());
});
const STORES: { name: string; open(): Promise<ArchiveStore> }[] = [
  {
    name: 'a local folder',
    async open() {
      const tmp = await tempDir();
      cleanups.push(tmp.remove);
      return new LocalFolderArchiveStore(tmp.dir);
    },
  },
  { name: 'S3 (versitygw)', open: () => bucket.store() },
];

/**
 * History over ten days: each day, in two namespaces, a few pods going Pending → Running →
 * Succeeded/Failed; node events too. Days 1–3 (10 to 8 days ago) are older than the window.
 */
function tenDays(): ClusterEvent[] {
  const pods: Record<string, unknown>[] = [];
  const nodes: Record<string, unknown>[] = [];
  let rv = 100;
  for (let day = 10; day >= 1; day--) {
    const start = NOW.getTime() - day * DAY;
    for (const namespace of ['retail', 'finance']) {
      for (let i = 0; i < 3; i++) {
        const name = `job-${day}-${i}`;
        const t = (h: number) => new Date(start + (i + 1) * 3_600_000 + h * 60_000);
        const common = { namespace, name, urn: `dataos://workflow:${namespace}/job-${i}` };
        pods.push(podEventInput({ ...common, type: 'ADDED', rv: rv++, at: t(0), phase: 'PENDING' }));
        pods.push(podEventInput({ ...common, rv: rv++, at: t(1), phase: 'RUNNING', node: 'node-1' }));
        pods.push(
          podEventInput({ ...common, rv: rv++, at: t(20), phase: i === 2 ? 'FAILED' : 'SUCCEEDED', node: 'node-1' }),
        );
      }
    }
    nodes.push(
      nodeEventInput({ rv: rv++, at: new Date(start + 600_000), name: 'node-1', memoryPressure: day % 2 === 0 }),
    );
  }
  return eventsFromInput({ pods: pods as never, nodes: nodes as never }, NOW);
}

interface Setup {
  c: Collections;
  store: ArchiveStore;
  reader: ArchiveReader;
  archiver: Archiver;
  history: HistoryStore;
  all: HistoryEvent[];
}

async function setup(open: () => Promise<ArchiveStore>, batchSize = 5000): Promise<Setup> {
  const db = await testDb();
  cleanups.push(db.drop);
  // Databases sharing a bucket or folder keep apart by prefix, as in Caretaker (server.ts).
  const store = new PrefixedArchiveStore(await open(), `${db.mongo.db.databaseName}/`);
  const reader = new ArchiveReader(store);
  const archiver = new Archiver(db.c, reader, { windowMs: WINDOW, batchSize, now: () => NOW });
  await ingestEvents(db.c, tenDays(), NOW);
  const all = await db.c.history.find().toArray();
  return { c: db.c, store, reader, archiver, history: new HistoryStore(db.c, reader), all };
}

/** Every event in the archive, read through the manifests (must verify). */
async function archived(s: Setup): Promise<HistoryEvent[]> {
  const out: HistoryEvent[] = [];
  for (const key of (await s.store.list(HISTORY_PREFIX)).filter(isManifestKey)) {
    const objectKeyOf = key.replace(/\.manifest\.json$/, '.ndjson.gz');
    const manifest = parseManifest((await s.store.get(key))!, objectKeyOf);
    out.push(...decodeVerified((await s.store.get(objectKeyOf))!, manifest));
  }
  return out;
}

/** Nothing lost, nothing twice: MongoDB ∪ archive is the original history, each id once in the archive. */
async function expectExactlyOnce(s: Setup) {
  const inArchive = await archived(s);
  const ids = inArchive.map((e) => e._id);
  expect(new Set(ids).size).toBe(ids.length);
  const inMongo = await s.c.history.find().toArray();
  const union = new Set([...ids, ...inMongo.map((e) => e._id)]);
  expect([...union].sort()).toEqual(s.all.map((e) => e._id).sort());
  const cutoff = NOW.getTime() - WINDOW;
  expect(inMongo.filter((e) => e.time.getTime() < cutoff)).toEqual([]);
  expect(inArchive.every((e) => e.time.getTime() < cutoff)).toBe(true);
}

describe.each(STORES)('archive on $name', ({ open }) => {
  describe('round trip', () => {
    let s: Setup;
    beforeEach(async () => {
      s = await setup(open);
    });

    it('moves history older than the window to gzip NDJSON partitioned by day and scope', async () => {
      const oldCount = s.all.filter((e) => e.time.getTime() < NOW.getTime() - WINDOW).length;
      expect(oldCount).toBe(3 * (18 + 1));
      const run = await s.archiver.run();
      expect(run).toMatchObject({ archived: oldCount, recovered: 0, alreadyArchived: 0 });
      expect(run.objects.map((o) => o.key.replace(/part-[0-9a-f]+/, 'part-*')).sort()).toEqual(
        ['2025-03-10', '2025-03-11', '2025-03-12'].flatMap((d) => [
          `history/dt=${d}/nodes/part-*.ndjson.gz`,
          `history/dt=${d}/ns=finance/part-*.ndjson.gz`,
          `history/dt=${d}/ns=retail/part-*.ndjson.gz`,
        ]),
      );
      await expectExactlyOnce(s);

      // The stored object is plain gzip NDJSON, one event per line, checked by its manifest.
      const key = run.objects.find((o) => o.key.includes('ns=retail'))!.key;
      const ndjson = gunzipSync((await s.store.get(key))!).toString('utf8');
      const lines = ndjson
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; namespace: string });
      expect(lines).toHaveLength(9);
      expect(lines.every((l) => l.namespace === 'retail')).toBe(true);
      const manifest = JSON.parse(Buffer.from((await s.store.get(manifestKeyOf(key)))!).toString()) as {
        sha256: string;
        count: number;
      };
      expect(manifest).toMatchObject({ count: 9, sha256: sha256(ndjson) });
      expect(key).toBe(
        objectKey(
          key.slice(11, 21),
          'ns=retail',
          lines.map((l) => l.id),
        ),
      );

      // A second run has nothing to do.
      expect(await s.archiver.run()).toMatchObject({ archived: 0, objects: [], recovered: 0 });
    });

    it('history queries read MongoDB and the archive as one', async () => {
      await s.archiver.run();
      const from = new Date(NOW.getTime() - 11 * DAY);
      const events = await s.history.podEvents('retail', 'job-9-2', from, NOW, 100);
      expect(events.map((e) => [e.phase, e.source])).toEqual([
        ['PENDING', 'ARCHIVE'],
        ['RUNNING', 'ARCHIVE'],
        ['FAILED', 'ARCHIVE'],
      ]);
      expect((await s.history.podEvents('retail', 'job-2-0', from, NOW, 100)).map((e) => e.source)).toEqual([
        'MONGODB',
        'MONGODB',
        'MONGODB',
      ]);
      // Time range and paging (after a resourceVersion) apply to both stores.
      const first = await s.history.podEvents('retail', 'job-9-2', from, NOW, 2);
      const rest = await s.history.podEvents('retail', 'job-9-2', from, NOW, 2, first.at(-1)!.rv);
      expect([...first, ...rest].map((e) => e.phase)).toEqual(['PENDING', 'RUNNING', 'FAILED']);
      const stats = await s.history.stats(from, NOW);
      expect(stats.total).toBe(10 * 18);
      expect(stats.archived).toBe(3 * 18);
      expect(stats.byPhase).toEqual([
        { phase: 'PENDING', count: 60 },
        { phase: 'RUNNING', count: 60 },
        { phase: 'SUCCEEDED', count: 40 },
        { phase: 'FAILED', count: 20 },
      ]);
      // A range that cuts through archived objects is counted event by event.
      const partial = await s.history.stats(
        new Date(NOW.getTime() - 9 * DAY + 2 * 3_600_000),
        new Date(NOW.getTime() - 8 * DAY),
      );
      expect(partial.total).toBe(12);
      expect(partial.archived).toBe(12);
    });

    it('small batches: several objects per day and scope, still each event once', async () => {
      s = await setup(open, 4);
      const run = await s.archiver.run();
      expect(run.objects.length).toBeGreaterThan(9);
      await expectExactlyOnce(s);
    });
  });

  describe('archiving interrupted (a crash between writing and deleting) loses nothing, duplicates nothing', () => {
    it('delete throws once: the next run finishes the claimed batch', async () => {
      const s = await setup(open);
      // The first batch is the nodes' (their events come first); crash on the first pod batch.
      const original = s.c.history.deleteMany.bind(s.c.history);
      let crashed = false;
      const spy = vi.spyOn(s.c.history, 'deleteMany').mockImplementation((async (filter: {
        _id: { $in: string[] };
      }) => {
        if (!crashed && filter._id.$in.some((id) => id.startsWith('Pod/'))) {
          crashed = true;
          throw new Error('crash: process killed');
        }
        return original(filter as never);
      }) as never);
      await expect(s.archiver.run()).rejects.toThrow('crash');
      spy.mockRestore();
      // Written and verified, not yet deleted: the events are in both stores, claimed.
      const claimed = await s.c.history.find({ 'archive.key': { $exists: true } }).toArray();
      expect(claimed.length).toBeGreaterThan(0);
      const inArchive = new Set((await archived(s)).map((x) => x._id));
      expect(claimed.every((x) => inArchive.has(x._id))).toBe(true);
      // Meanwhile, queries see each event once.
      const e = claimed.find((x) => x.kind === 'Pod')!;
      const seen = await s.history.podEvents(
        e.namespace!,
        e.name,
        new Date(e.time.getTime() - 1),
        new Date(e.time.getTime() + 1),
        10,
      );
      expect(seen.filter((x) => x._id === e._id)).toHaveLength(1);

      const run = await s.archiver.run();
      expect(run.recovered).toBe(1);
      await expectExactlyOnce(s);
      expect(await s.c.history.countDocuments({ 'archive.key': { $exists: true } })).toBe(0);
    });

    it('crash in the middle of the delete (3 of 9 removed): the rerun removes the rest, the archive holds all', async () => {
      const s = await setup(open);
      const original = s.c.history.deleteMany.bind(s.c.history);
      let crashed = false;
      const spy = vi.spyOn(s.c.history, 'deleteMany').mockImplementation((async (filter: {
        _id: { $in: string[] };
      }) => {
        if (crashed || !filter._id.$in.some((id) => id.startsWith('Pod/'))) return original(filter as never);
        crashed = true;
        await original({ _id: { $in: filter._id.$in.slice(0, 3) } });
        throw new Error('crash after 3 deletes');
      }) as never);
      await expect(s.archiver.run()).rejects.toThrow('crash after 3 deletes');
      spy.mockRestore();
      expect(await s.c.history.countDocuments({ 'archive.key': { $exists: true } })).toBe(6);
      expect((await s.archiver.run()).recovered).toBe(1);
      await expectExactlyOnce(s);
    });

    it('crash after claiming, before the object is written', async () => {
      const s = await setup(open);
      const put = vi.spyOn(s.reader.store, 'put').mockRejectedValueOnce(new Error('crash before write'));
      await expect(s.archiver.run()).rejects.toThrow('crash before write');
      put.mockRestore();
      expect(await s.c.history.countDocuments({ 'archive.key': { $exists: true } })).toBeGreaterThan(0);
      expect(await archived(s)).toEqual([]);
      expect((await s.archiver.run()).recovered).toBe(1);
      await expectExactlyOnce(s);
    });

    it('crash between the object and its manifest: the object does not count until verified', async () => {
      const s = await setup(open);
      const realPut = s.reader.store.put.bind(s.reader.store);
      const put = vi.spyOn(s.reader.store, 'put').mockImplementation(async (key, body, type) => {
        if (key.endsWith('.manifest.json')) throw new Error('crash before manifest');
        return realPut(key, body, type);
      });
      await expect(s.archiver.run()).rejects.toThrow('crash before manifest');
      put.mockRestore();
      expect(await archived(s)).toEqual([]);
      expect(await s.c.history.countDocuments()).toBe(s.all.length);
      await s.archiver.run();
      await expectExactlyOnce(s);
    });

    it('an object that does not verify after writing: nothing is removed from MongoDB', async () => {
      const s = await setup(open);
      const realGet = s.reader.store.get.bind(s.reader.store);
      const get = vi.spyOn(s.reader.store, 'get').mockImplementation(async (key) => {
        const body = await realGet(key);
        return body && key.endsWith('.ndjson.gz') ? Buffer.concat([Buffer.from(body), Buffer.from('x')]) : body;
      });
      await expect(s.archiver.run()).rejects.toThrow(/did not verify/);
      get.mockRestore();
      expect(await s.c.history.countDocuments()).toBe(s.all.length);
      await s.archiver.run();
      await expectExactlyOnce(s);
    });

    it('an event re-ingested after it was archived is dropped from MongoDB, not archived twice', async () => {
      const s = await setup(open);
      await s.archiver.run();
      const again = s.all.filter((e) => e.time.getTime() < NOW.getTime() - WINDOW).slice(0, 5);
      await s.c.history.insertMany(again);
      const run = await s.archiver.run();
      expect(run).toMatchObject({ archived: 0, alreadyArchived: 5 });
      await expectExactlyOnce(s);
    });
  });

  describe('the store', () => {
    it('atomic puts, prefix listing, missing objects, deletes, safe keys only', async () => {
      const store = await open();
      await store.put('history/dt=2025-01-01/ns=a/x.ndjson.gz', Buffer.from('1'), 'application/gzip');
      await store.put('history/dt=2025-01-02/ns=a/y.ndjson.gz', Buffer.from('2'), 'application/gzip');
      await store.put('history/dt=2025-01-02/nodes/z.ndjson.gz', Buffer.from('3'), 'application/gzip');
      expect(await store.list('history/dt=2025-01-02/')).toEqual([
        'history/dt=2025-01-02/nodes/z.ndjson.gz',
        'history/dt=2025-01-02/ns=a/y.ndjson.gz',
      ]);
      expect(await store.list('history/dt=2025-01-0')).toHaveLength(3);
      expect(await store.list('nothing/here/')).toEqual([]);
      expect(await store.get('history/dt=2025-01-09/ns=a/none.ndjson.gz')).toBeNull();
      expect(Buffer.from((await store.get('history/dt=2025-01-01/ns=a/x.ndjson.gz'))!).toString()).toBe('1');
      // A put replaces the object whole.
      await store.put('history/dt=2025-01-01/ns=a/x.ndjson.gz', Buffer.from('one'), 'application/gzip');
      expect(Buffer.from((await store.get('history/dt=2025-01-01/ns=a/x.ndjson.gz'))!).toString()).toBe('one');
      await store.delete('history/dt=2025-01-02/ns=a/y.ndjson.gz');
      await store.delete('history/dt=2025-01-02/ns=a/never-there.ndjson.gz');
      expect(await store.list('history/dt=2025-01-02/')).toEqual(['history/dt=2025-01-02/nodes/z.ndjson.gz']);
      await expect(store.put('../escape', Buffer.from(''), 'x')).rejects.toThrow(/invalid archive key/);
      await expect(store.get('a/../../b')).rejects.toThrow(/invalid archive key/);
    });
  });
});

describe('S3 specifics, on the real server', () => {
  it('objects are in the bucket under the prefix; listings follow continuation tokens', async () => {
    const store = await bucket.store({ prefix: 'paged/', maxKeys: 2 });
    for (const k of ['a/1', 'a/2', 'a/3', 'a/4', 'a/5', 'b/1']) await store.put(k, Buffer.from(k), 'text/plain');
    expect(await store.list('a/')).toEqual(['a/1', 'a/2', 'a/3', 'a/4', 'a/5']);
    expect(await bucket.keys('paged/')).toEqual([
      'paged/a/1',
      'paged/a/2',
      'paged/a/3',
      'paged/a/4',
      'paged/a/5',
      'paged/b/1',
    ]);
    expect(store.location).toBe(`s3://${bucket.bucket}/paged/`);
  });

  it('a wrong secret fails loudly (nothing is reported archived)', async () => {
    const store = await bucket.store({ credentials: { accessKeyId: 'dataos-dev-s3', secretAccessKey: 'wrong' } });
    await expect(store.put('x/1', Buffer.from('1'), 'text/plain')).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    await expect(store.list('x/')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  });

  it('fromEnv: ARCHIVE_S3_* settings, and half a key pair is refused', async () => {
    const env = {
      ARCHIVE_S3_BUCKET: bucket.bucket,
      ARCHIVE_S3_ENDPOINT: process.env.S3_ENDPOINT,
      ARCHIVE_S3_REGION: process.env.S3_REGION,
      ARCHIVE_S3_ACCESS_KEY_ID: process.env.S3_ACCESS_KEY_ID,
      ARCHIVE_S3_SECRET_ACCESS_KEY: process.env.S3_SECRET_ACCESS_KEY,
    };
    const store = await S3ArchiveStore.fromEnv(env);
    expect(store.location).toBe(`s3://${bucket.bucket}/caretaker/`);
    await store.put('env/1', Buffer.from('from env'), 'text/plain');
    expect(await bucket.keys('caretaker/env/')).toEqual(['caretaker/env/1']);
    await expect(S3ArchiveStore.fromEnv({ ...env, ARCHIVE_S3_SECRET_ACCESS_KEY: '' })).rejects.toThrow(
      'ARCHIVE_S3_ACCESS_KEY_ID and ARCHIVE_S3_SECRET_ACCESS_KEY must be set together',
    );
  });
});

it('event ids are stable', () => {
  expect(eventId('Pod', 'retail/a', 12)).toBe('Pod/retail/a@12');
});
