import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterEvent } from '../src/model.js';
import { collectionsOf, type Collections } from '../src/store/collections.js';
import { ingestEvents, ingestOneByOne, stateWritesOf, tombstoneMissing } from '../src/store/ingest.js';
import { podAggregates } from '../src/store/pods.js';
import { HistoryStore } from '../src/store/history.js';
import { ArchiveReader } from '../src/archive/reader.js';
import { LocalFolderArchiveStore } from '../src/archive/store.js';
import { eventsFromInput } from '../src/validate.js';
import { podEventInput } from '../../../packages/testkit/src/caretaker.js';
import { scenario } from './stream.js';
import { shuffled, tempDir, testDb } from './db.js';

const base = new Date(Date.now() - 3 * 3_600_000);
const s = scenario(base);
const now = new Date();
const dbs: { drop(): Promise<void> }[] = [];
const open = async () => {
  const db = await testDb();
  dbs.push(db);
  return db.c;
};
afterAll(async () => {
  await Promise.all(dbs.map((d) => d.drop()));
});

/** The state that matters, without timestamps of the write. */
async function snapshot(c: Collections) {
  const pods = await c.pods
    .find({}, { projection: { updatedAt: 0 } })
    .sort({ _id: 1 })
    .toArray();
  const nodes = await c.nodes
    .find({}, { projection: { updatedAt: 0 } })
    .sort({ _id: 1 })
    .toArray();
  // `batch` names the delivery that recorded an event first: it depends on the delivery order by design.
  const history = await c.history
    .find({}, { projection: { batch: 0 } })
    .sort({ _id: 1 })
    .toArray();
  return { pods, nodes, history };
}

describe('ingest: a realistic stream with duplicates, late events and a retry', () => {
  let c: Collections;
  beforeAll(async () => {
    c = await open();
  });

  it('applies each batch as the newest resourceVersion wins', async () => {
    for (const batch of s.batches) {
      expect(await ingestEvents(c, eventsFromInput(batch.input, now), now)).toEqual(batch.expect);
    }
  });

  it('keeps the newest state of every pod: a late RUNNING never overwrites SUCCEEDED', async () => {
    const pods = Object.fromEntries((await c.pods.find().toArray()).map((p) => [p._id, p]));
    expect(pods['retail/orders-ingest-1']).toMatchObject({
      phase: 'SUCCEEDED',
      resourceVersion: 20,
      nodeName: 'node-1',
      deleted: false,
    });
    expect(pods['retail/customers-dedupe-1']).toMatchObject({
      phase: 'FAILED',
      resourceVersion: 41,
      restarts: 2,
      reason: 'OOMKilled',
    });
    expect(pods['retail/inventory-sync-1']).toMatchObject({ deleted: true, resourceVersion: 30, deletedAt: s.at(20) });
    expect(pods['finance/invoices-export-1']).toMatchObject({ phase: 'PENDING', nodeName: null });
    expect(pods['retail/orders-ingest-2']).toMatchObject({
      phase: 'RUNNING',
      cpuRequestMillis: 1500,
      memoryRequestBytes: 2 * 2 ** 30,
      resourceUrn: 'dataos://workflow:retail/orders-ingest',
      resourceType: 'workflow',
      owner: { kind: 'Job', name: 'orders-ingest-2' },
    });
    const node2 = await c.nodes.findOne({ _id: 'node-2' });
    expect(node2).toMatchObject({
      resourceVersion: 40,
      taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }],
    });
    expect(node2?.conditions.find((x) => x.type === 'MemoryPressure')?.status).toBe('TRUE');
  });

  it('records every distinct event once, late ones included', async () => {
    const rvs = async (key: string) =>
      (await c.history.find({ key }).sort({ rv: 1 }).toArray()).map((e) => [e.rv, e.phase, e.type]);
    expect(await rvs('retail/orders-ingest-1')).toEqual([
      [12, 'PENDING', 'ADDED'],
      [13, 'PENDING', 'MODIFIED'],
      [15, 'RUNNING', 'MODIFIED'],
      [20, 'SUCCEEDED', 'MODIFIED'],
    ]);
    expect((await rvs('retail/customers-dedupe-1')).map((e) => e[0])).toEqual([14, 16, 18, 21, 41]);
    expect((await rvs('retail/inventory-sync-1')).map((e) => e[2])).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(await c.history.countDocuments({ kind: 'Pod' })).toBe(14);
    expect(await c.history.countDocuments({ kind: 'Node' })).toBe(3);
  });

  it('a late event for a deleted pod does not bring it back', async () => {
    const late = eventsFromInput(
      {
        pods: [
          { ...(s.events.c19 as object), pod: { ...(s.events.c19 as { pod: object }).pod, resourceVersion: '25' } },
        ] as never,
      },
      now,
    );
    expect(await ingestEvents(c, late, now)).toMatchObject({ applied: 0, stale: 1, recorded: 1 });
    expect(await c.pods.findOne({ _id: 'retail/inventory-sync-1' })).toMatchObject({
      deleted: true,
      resourceVersion: 30,
    });
  });

  it('aggregates counts, restarts and requests against allocatable', async () => {
    const a = await podAggregates(c, { deleted: false });
    expect(a.total).toBe(4);
    expect(a.byPhase).toEqual([
      { phase: 'PENDING', count: 1 },
      { phase: 'RUNNING', count: 1 },
      { phase: 'SUCCEEDED', count: 1 },
      { phase: 'FAILED', count: 1 },
    ]);
    expect(a.restarts).toBe(2);
    expect(a.unscheduled).toBe(1);
    expect(a.byNamespace.map((n) => [n.namespace, n.pods, n.restarts])).toEqual([
      ['finance', 1, 0],
      ['retail', 3, 2],
    ]);
    const node1 = a.byNode.find((n) => n.nodeName === 'node-1')!;
    // Only RUNNING and PENDING pods hold requests: orders-ingest-2 (1500m, 2Gi) on node-1.
    expect(node1).toMatchObject({
      pods: 2,
      cpuRequestMillis: 1500,
      memoryRequestBytes: 2 * 2 ** 30,
      cpuAllocatableMillis: 8000,
    });
    expect(node1.cpuRequestedRatio).toBeCloseTo(1500 / 8000);
    expect(a.byNode.find((n) => n.nodeName === 'node-2')).toMatchObject({
      pods: 1,
      restarts: 2,
      cpuRequestMillis: 0,
      pressure: ['MemoryPressure'],
    });
    expect(a.byNode.find((n) => n.nodeName === null)).toMatchObject({ pods: 1, memoryRequestBytes: 24 * 2 ** 30 });
    expect(a.cpuAllocatableMillis).toBe(12_000);
  });
});

describe('ingest: order does not matter', () => {
  it('every delivery order (with duplicates), bulk or one by one, ends in the same state', async () => {
    const events: ClusterEvent[] = eventsFromInput(s.all, now);
    const reference = await open();
    await ingestEvents(reference, events, now);
    const expected = await snapshot(reference);
    for (const seed of [1, 7, 42]) {
      const stream = shuffled([...events, ...events.slice(0, 5)], seed);
      const bulk = await open();
      for (let i = 0; i < stream.length; i += 4) await ingestEvents(bulk, stream.slice(i, i + 4), now);
      expect(await snapshot(bulk)).toEqual(expected);
      const single = await open();
      await ingestOneByOne(single, stream, now);
      expect(await snapshot(single)).toEqual(expected);
    }
  });

  it('concurrent writers of the same objects (two replicas) converge on the newest state', async () => {
    const events: ClusterEvent[] = eventsFromInput(s.all, now);
    const c = await open();
    const reference = await open();
    await ingestEvents(reference, events, now);
    await Promise.all([
      ingestEvents(c, shuffled(events, 3), now),
      ingestEvents(c, shuffled(events, 9), now),
      ingestOneByOne(c, shuffled(events, 11), now),
    ]);
    expect(await snapshot(c)).toEqual(await snapshot(reference));
  });

  it('both current-state forms (update on MongoDB, replace on FerretDB) end in the same state, concurrently too', async () => {
    const events: ClusterEvent[] = eventsFromInput(s.all, now);
    const reference = await open();
    await ingestEvents(reference, events, now, { stateWrites: 'update' });
    const expected = await snapshot(reference);
    const replaced = await open();
    for (let i = 0; i < events.length; i += 5)
      await ingestEvents(replaced, shuffled(events, 5).slice(i, i + 5), now, { stateWrites: 'replace' });
    expect(await snapshot(replaced)).toEqual(expected);
    const mixed = await open();
    await Promise.all([
      ingestEvents(mixed, shuffled(events, 21), now, { stateWrites: 'replace' }),
      ingestEvents(mixed, shuffled(events, 22), now, { stateWrites: 'update' }),
      ingestEvents(mixed, shuffled(events, 23), now, { stateWrites: 'replace' }),
      ingestOneByOne(mixed, shuffled(events, 24), now),
    ]);
    expect(await snapshot(mixed)).toEqual(expected);
  });

  it('the replace form (FerretDB) writes a batch of current states in four commands, whatever the number of objects', async () => {
    const c = await open();
    const ferret = 'ferretdbVersion' in (await c.db.admin().command({ buildInfo: 1 }));
    expect(await stateWritesOf(c.db)).toBe(ferret ? 'replace' : 'update');
    // The same database through a client that reports every command.
    const client = new MongoClient(process.env.MONGO_URL!, { monitorCommands: true });
    await client.connect();
    try {
      const seen: { name: string; collection: unknown }[] = [];
      client.on('commandStarted', (e) => seen.push({ name: e.commandName, collection: e.command[e.commandName] }));
      const watched = collectionsOf(client.db(c.db.databaseName));
      const batch = (rv: number, phase: 'PENDING' | 'RUNNING') =>
        eventsFromInput(
          {
            pods: Array.from({ length: 300 }, (_, i) =>
              podEventInput({ rv: rv + i, at: base, namespace: 'many', name: `pod-${i}`, phase }),
            ) as never,
          },
          now,
        );
      const replace = { stateWrites: 'replace' } as const;
      expect(await ingestEvents(watched, batch(1000, 'PENDING'), now, replace)).toMatchObject({ applied: 300 });
      seen.length = 0;
      expect(await ingestEvents(watched, batch(2000, 'RUNNING'), now, replace)).toMatchObject({
        applied: 300,
        stale: 0,
      });
      const onPods = seen.filter((x) => x.collection === 'pods').map((x) => x.name);
      // Was 6 update commands of 50 conditional statements (~25 ms each on FerretDB): ~7 s here.
      expect(onPods).toEqual(['find', 'delete', 'insert', 'find']);
      expect(await c.pods.countDocuments({ phase: 'RUNNING' })).toBe(300);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('updates more objects per batch than FerretDB takes in one update command (it hangs at 100)', async () => {
    const c = await open();
    const batch = (rv: number, phase: 'PENDING' | 'RUNNING') =>
      eventsFromInput(
        {
          pods: Array.from({ length: 150 }, (_, i) =>
            podEventInput({ rv: rv + i, at: base, namespace: 'bulk', name: `pod-${i}`, phase }),
          ) as never,
        },
        now,
      );
    expect(await ingestEvents(c, batch(1000, 'PENDING'), now, { stateWrites: 'update' })).toMatchObject({
      applied: 150,
    });
    expect(await ingestEvents(c, batch(2000, 'RUNNING'), now, { stateWrites: 'update' })).toMatchObject({
      applied: 150,
      stale: 0,
    });
    expect(await c.pods.countDocuments({ phase: 'RUNNING' })).toBe(150);
  }, 60_000);

  it('a relist tombstones pods that vanished while nobody watched', async () => {
    const c = await open();
    await ingestEvents(c, eventsFromInput(s.all, now), now);
    // The list was taken at resourceVersion 40: customers-dedupe-1 (41) changed after it, so it stays.
    const n = await tombstoneMissing(c, 'Pod', new Set(['retail/orders-ingest-2']), 40, now);
    expect(n).toBe(2);
    expect((await c.pods.find({ deleted: false }).toArray()).map((p) => p._id)).toEqual([
      'retail/customers-dedupe-1',
      'retail/orders-ingest-2',
    ]);
    // The tombstone stands at the list's resourceVersion, and the deletion is in the history.
    expect(await c.pods.findOne({ _id: 'retail/orders-ingest-1' })).toMatchObject({
      deleted: true,
      reason: 'NotFoundOnRelist',
      resourceVersion: 40,
      deletedAt: now,
    });
    const deleted = await c.history.find({ kind: 'Pod', type: 'DELETED', rv: 40 }).sort({ _id: 1 }).toArray();
    expect(deleted.map((e) => e._id)).toEqual(['Pod/finance/invoices-export-1@40', 'Pod/retail/orders-ingest-1@40']);
    expect(deleted[1]).toMatchObject({
      phase: 'SUCCEEDED',
      reason: 'NotFoundOnRelist',
      nodeName: 'node-1',
      time: now,
      resourceUrn: 'dataos://workflow:retail/orders-ingest',
    });
    // Retrying the same relist changes nothing; a late event older than the list stays out of the state.
    const history = await c.history.countDocuments();
    expect(await tombstoneMissing(c, 'Pod', new Set(['retail/orders-ingest-2']), 40, now)).toBe(0);
    expect(await c.history.countDocuments()).toBe(history);
    const late = eventsFromInput(
      {
        pods: [
          podEventInput({ rv: 35, at: s.at(30), namespace: 'retail', name: 'orders-ingest-1', phase: 'RUNNING' }),
        ] as never,
      },
      now,
    );
    expect(await ingestEvents(c, late, now)).toMatchObject({ applied: 0, stale: 1 });
    expect(await c.pods.findOne({ _id: 'retail/orders-ingest-1' })).toMatchObject({
      deleted: true,
      resourceVersion: 40,
    });
    // podHistory and podEventStats see the deletion.
    const tmp = await tempDir();
    dbs.push({ drop: tmp.remove });
    const store = new HistoryStore(c, new ArchiveReader(new LocalFolderArchiveStore(tmp.dir)));
    const events = await store.podEvents('retail', 'orders-ingest-1', s.at(0), new Date(now.getTime() + 1000), 100);
    expect(events.map((e) => [e.rv, e.type])).toEqual([
      [12, 'ADDED'],
      [13, 'MODIFIED'],
      [15, 'MODIFIED'],
      [20, 'MODIFIED'],
      [35, 'MODIFIED'],
      [40, 'DELETED'],
    ]);
    const stats = await store.stats(s.at(0), new Date(now.getTime() + 1000), 'retail');
    expect(stats.byNamespace).toEqual([{ namespace: 'retail', events: 15, failed: 1, deleted: 2 }]);
  });

  it('a relist tombstones vanished nodes too, with a DELETED node event', async () => {
    const c = await open();
    await ingestEvents(c, eventsFromInput(s.all, now), now);
    expect(await tombstoneMissing(c, 'Node', new Set(['node-2']), 45, now)).toBe(1);
    expect(await c.nodes.findOne({ _id: 'node-1' })).toMatchObject({ deleted: true, resourceVersion: 45 });
    expect(await c.history.findOne({ _id: 'Node/node-1@45' })).toMatchObject({
      kind: 'Node',
      type: 'DELETED',
      key: 'node-1',
      namespace: null,
    });
  });
});
