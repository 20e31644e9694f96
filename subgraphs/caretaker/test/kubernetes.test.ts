import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchingSink } from '../src/source/batching-sink.js';
import { KubernetesPodSource, kubernetesClientUsable, kubernetesClientVersion } from '../src/source/kubernetes.js';
import { ingestEvents, tombstoneMissing } from '../src/store/ingest.js';
import { eventsFromInput } from '../src/validate.js';
import { podEventInput } from '../../../packages/testkit/src/caretaker.js';
import { tempDir, testDb } from './db.js';

// The informer path against a fake API server speaking the list + watch protocol, with the
// @kubernetes/client-node that the repo installs (loaded dynamically by Caretaker).

it('installs a client this Node can load, and refuses one it cannot with a clear message', () => {
  expect(kubernetesClientVersion()).toMatch(/^1\./);
  expect(kubernetesClientUsable()).toBe(true);
  expect(kubernetesClientUsable('2.0.1', '20.19.0')).toBe(false);
  expect(kubernetesClientUsable('1.4.0', '20.19.0')).toBe(true);
  expect(kubernetesClientUsable('2.0.1', '22.19.0')).toBe(true);
  expect(kubernetesClientUsable(null)).toBe(false);
});

const pod = (name: string, rv: number, phase: string, node = 'node-1') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    namespace: 'retail',
    name,
    uid: `uid-${name}`,
    resourceVersion: String(rv),
    annotations: { 'dataos.io/resource-urn': 'dataos://workflow:retail/orders-ingest' },
    ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name, uid: 'j', controller: true }],
  },
  spec: {
    nodeName: node,
    containers: [{ name: 'main', image: 'x', resources: { requests: { cpu: '250m', memory: '256Mi' } } }],
  },
  status: {
    phase,
    conditions: [
      { type: 'Ready', status: phase === 'Running' ? 'True' : 'False', lastTransitionTime: '2025-03-20T10:00:00Z' },
    ],
    containerStatuses: [
      {
        name: 'main',
        ready: phase === 'Running',
        restartCount: 1,
        image: 'x',
        imageID: 'x',
        state: { running: { startedAt: '2025-03-20T10:00:00Z' } },
      },
    ],
  },
});
const node = (rv: number) => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', uid: 'uid-node-1', resourceVersion: String(rv) },
  status: {
    capacity: { cpu: '4', memory: '16Gi', pods: '110' },
    allocatable: { cpu: '3920m', memory: '15Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('Kubernetes informers (list, then watch)', () => {
  const watchers = new Map<string, http.ServerResponse>();
  let server: http.Server;
  let db: Awaited<ReturnType<typeof testDb>>;
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let kubeconfig: string;

  beforeAll(async () => {
    db = await testDb();
    tmp = await tempDir();
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const resource = url.pathname.endsWith('/pods') ? 'pods' : 'nodes';
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        watchers.set(resource, res);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          resource === 'pods'
            ? {
                apiVersion: 'v1',
                kind: 'PodList',
                metadata: { resourceVersion: '100' },
                items: [pod('job-a', 90, 'Running'), pod('job-b', 91, 'Pending')],
              }
            : { apiVersion: 'v1', kind: 'NodeList', metadata: { resourceVersion: '100' }, items: [node(80)] },
        ),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    kubeconfig = path.join(tmp.dir, 'kubeconfig.json');
    await writeFile(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        // client-node 1.x refuses plain http unless TLS verification is off.
        clusters: [
          {
            name: 'fake',
            cluster: {
              server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
              'insecure-skip-tls-verify': true,
            },
          },
        ],
        users: [{ name: 'u', user: { token: 'dev' } }],
        contexts: [{ name: 'c', context: { cluster: 'fake', user: 'u' } }],
        'current-context': 'c',
      }),
    );
  });

  afterAll(async () => {
    for (const res of watchers.values()) res.end();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
    await tmp?.remove();
  });

  it('records the listed objects, tombstones vanished ones, then follows the watch', async () => {
    // A pod Caretaker saw before a restart, deleted while nobody watched.
    await ingestEvents(
      db.c,
      eventsFromInput({
        pods: [
          podEventInput({
            rv: 50,
            at: new Date(),
            namespace: 'retail',
            name: 'job-gone',
            phase: 'RUNNING',
            node: 'node-1',
          }),
        ] as never,
      }),
    );
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    const source = new KubernetesPodSource({ kubeconfig, logger: logger as never });
    const sink = new BatchingSink({
      write: (events) => ingestEvents(db.c, events),
      relisted: (kind, present, listRv) => tombstoneMissing(db.c, kind, present, listRv),
      maxDelayMs: 20,
    });
    await source.start(sink);
    try {
      await until(async () => (await db.c.pods.countDocuments({ deleted: true })) > 0);
      expect(await db.c.pods.findOne({ _id: 'retail/job-a' })).toMatchObject({
        phase: 'RUNNING',
        resourceVersion: 90,
        restarts: 1,
        cpuRequestMillis: 250,
        owner: { kind: 'Job', name: 'job-a' },
        resourceUrn: 'dataos://workflow:retail/orders-ingest',
      });
      // Deleted while nobody watched: tombstoned at the list's resourceVersion, with a DELETED event.
      expect(await db.c.pods.findOne({ _id: 'retail/job-gone' })).toMatchObject({
        deleted: true,
        reason: 'NotFoundOnRelist',
        resourceVersion: 100,
      });
      expect(
        (await db.c.history.find({ key: 'retail/job-gone' }).sort({ rv: 1 }).toArray()).map((e) => [e._id, e.type]),
      ).toEqual([
        ['Pod/retail/job-gone@50', 'MODIFIED'],
        ['Pod/retail/job-gone@100', 'DELETED'],
      ]);
      expect(await db.c.nodes.findOne({ _id: 'node-1' })).toMatchObject({ allocatable: { cpuMillis: 3920 } });

      const send = (type: string, object: unknown) =>
        watchers.get('pods')!.write(`${JSON.stringify({ type, object })}\n`);
      send('MODIFIED', pod('job-a', 101, 'Succeeded'));
      send('DELETED', pod('job-b', 102, 'Pending'));
      send('ADDED', pod('job-c', 103, 'Pending'));
      await until(async () => (await db.c.pods.countDocuments({ _id: 'retail/job-c' })) > 0);
      await sink.flush();
      expect(await db.c.pods.findOne({ _id: 'retail/job-a' })).toMatchObject({
        phase: 'SUCCEEDED',
        resourceVersion: 101,
      });
      expect(await db.c.pods.findOne({ _id: 'retail/job-b' })).toMatchObject({ deleted: true, resourceVersion: 102 });
      expect(await db.c.pods.findOne({ _id: 'retail/job-c' })).toMatchObject({ phase: 'PENDING' });
      expect((await db.c.history.find({ key: 'retail/job-a' }).sort({ rv: 1 }).toArray()).map((e) => e.rv)).toEqual([
        90, 101,
      ]);
    } finally {
      await source.stop();
      await sink.stop();
    }
  });
});
