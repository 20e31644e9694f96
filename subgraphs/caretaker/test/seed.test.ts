import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CATALOG } from '@dataos/metis';
import { demoEvents } from '../src/demo.js';
import { seedCaretaker } from '../src/seed.js';
import { podAggregates } from '../src/store/pods.js';
import { testDb } from './db.js';

let db: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => {
  await db.drop();
});

describe('demo data', () => {
  it('seeds a small realistic cluster with history, once', async () => {
    expect(await seedCaretaker(db.mongo)).toBe(22);
    const history = await db.c.history.countDocuments();
    expect(await seedCaretaker(db.mongo)).toBe(22);
    expect(await db.c.history.countDocuments()).toBe(history);

    expect(await db.c.pods.countDocuments()).toBe(22);
    expect(await db.c.pods.countDocuments({ deleted: true })).toBe(3);
    const nodes = await db.c.nodes.find().sort({ _id: 1 }).toArray();
    expect(nodes.map((n) => n.name)).toEqual(['node-a', 'node-b', 'node-c']);
    expect(nodes[2]?.conditions.find((c) => c.type === 'MemoryPressure')?.status).toBe('TRUE');

    const a = await podAggregates(db.c, {});
    expect(a.total).toBe(19);
    expect(a.byPhase.map((p) => p.phase)).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']);
    expect(a.restarts).toBeGreaterThan(5);
    expect(a.unscheduled).toBe(1);
    expect(a.byNode.find((n) => n.nodeName === 'node-c')?.pressure).toEqual(['MemoryPressure']);
    expect(a.byNamespace.map((n) => n.namespace)).toEqual([
      'finance',
      'kube-system',
      'marketing',
      'platform',
      'retail',
    ]);
    const orders = await db.c.pods
      .find({ resourceUrn: 'dataos://workflow:retail/orders-ingest', deleted: false })
      .toArray();
    expect(orders.map((p) => p.phase).sort()).toEqual(['FAILED', 'RUNNING', 'SUCCEEDED']);
    const oom = await db.c.pods.findOne({ _id: 'finance/invoices-export-28931490-ppl0x' });
    expect(oom).toMatchObject({ phase: 'FAILED', reason: 'OOMKilled', restarts: 4, nodeName: 'node-c' });
    // Some of the history is older than the default 7-day window: there is something to archive.
    expect(await db.c.history.countDocuments({ time: { $lt: new Date(Date.now() - 7 * 86_400_000) } })).toBeGreaterThan(
      5,
    );
  });

  it('demo pods belong to resources of the Metis demo catalog, so Pod.resource and Resource.pods join', () => {
    const metis = new Set(
      DEMO_CATALOG.resources.map((r) => `dataos://${r.kind.toLowerCase()}:${r.workspace}/${r.name}`),
    );
    const urns = new Set(
      demoEvents().flatMap((e) => (e.kind === 'Pod' && e.pod.resourceUrn ? [e.pod.resourceUrn] : [])),
    );
    expect(urns.size).toBeGreaterThanOrEqual(8);
    expect([...urns].filter((u) => !metis.has(u))).toEqual([]);
    expect(urns).toContain('dataos://service:retail/order-events-sink');
    expect(urns).toContain('dataos://cluster:public/minerva-retail');
  });
});
