import { describe, expect, it } from 'vitest';
import { demoEvents } from '../src/demo.js';
import { nodeEvent, podEvent } from '../src/k8s.js';
import { canonicalResourceUrn, owningResourceUrn, parseResourceUrn } from '../src/labels.js';
import { bytes, cpuMillis, parseQuantity } from '../src/quantity.js';
import { eventsFromInput } from '../src/validate.js';
import { podEventInput } from '../../../packages/testkit/src/caretaker.js';

describe('quantities', () => {
  it('parses Kubernetes CPU and memory quantities', () => {
    expect(cpuMillis('250m')).toBe(250);
    expect(cpuMillis('1')).toBe(1000);
    expect(cpuMillis('1.5')).toBe(1500);
    expect(cpuMillis('0.1')).toBe(100);
    expect(cpuMillis('100u')).toBe(1);
    expect(bytes('512Mi')).toBe(512 * 2 ** 20);
    expect(bytes('2Gi')).toBe(2 * 2 ** 30);
    expect(bytes('1G')).toBe(1e9);
    expect(bytes('1e3')).toBe(1000);
    expect(bytes('128974848')).toBe(128974848);
    for (const bad of ['', '-1', '1Gb', 'abc', '1.2.3', 'Mi']) expect(parseQuantity(bad)).toBeNull();
  });
});

describe('Kubernetes objects to events', () => {
  it('reads a pod: owner Deployment through its ReplicaSet, requests, restarts, URN from labels', () => {
    const e = podEvent('MODIFIED', {
      metadata: {
        namespace: 'retail',
        name: 'inventory-sync-5c7d9f8b6-hx2vb',
        uid: 'u1',
        resourceVersion: '123',
        labels: {
          'pod-template-hash': '5c7d9f8b6',
          'dataos.io/resource-type': 'service',
          'dataos.io/workspace': 'retail',
          'dataos.io/resource-name': 'inventory-sync',
        },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'inventory-sync-5c7d9f8b6', controller: true }],
      },
      spec: {
        nodeName: 'node-a',
        containers: [
          { name: 'app', resources: { requests: { cpu: '250m', memory: '512Mi' } } },
          { name: 'sidecar', resources: { requests: { cpu: '50m', memory: '64Mi' } } },
        ],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'app', ready: true, restartCount: 2, state: { running: {} } },
          { name: 'sidecar', ready: true, restartCount: 1, state: { running: {} } },
        ],
      },
    });
    expect(e?.kind).toBe('Pod');
    if (e?.kind !== 'Pod') return;
    expect(e.pod).toMatchObject({
      phase: 'RUNNING',
      resourceVersion: 123,
      owner: { kind: 'Deployment', name: 'inventory-sync' },
      resourceUrn: 'dataos://service:retail/inventory-sync',
      resourceType: 'service',
      restarts: 3,
      ready: true,
      cpuRequestMillis: 300,
      memoryRequestBytes: 576 * 2 ** 20,
    });
    expect(e.pod.labels).toContain('pod-template-hash=5c7d9f8b6');
  });

  it('refuses objects without identity, and unknown phases become UNKNOWN', () => {
    expect(podEvent('ADDED', { metadata: { name: 'x' } })).toBeNull();
    const e = podEvent('ADDED', {
      metadata: { namespace: 'a', name: 'b', resourceVersion: '5' },
      status: { phase: 'Weird' },
    });
    expect(e?.kind === 'Pod' && e.pod.phase).toBe('UNKNOWN');
  });

  it('reads a node: capacity, allocatable, pressure, taints', () => {
    const e = nodeEvent('MODIFIED', {
      metadata: { name: 'node-c', resourceVersion: '9', labels: { 'node-role.kubernetes.io/worker': '' } },
      spec: { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] },
      status: {
        capacity: { cpu: '4', memory: '16Gi', pods: '110' },
        allocatable: { cpu: '3920m', memory: '15Gi', pods: '110' },
        conditions: [
          { type: 'MemoryPressure', status: 'True' },
          { type: 'Ready', status: 'True' },
        ],
        nodeInfo: { kubeletVersion: 'v1.30.4' },
      },
    });
    expect(e?.kind === 'Node' && e.node).toMatchObject({
      capacity: { cpuMillis: 4000, memoryBytes: 16 * 2 ** 30, pods: 110 },
      allocatable: { cpuMillis: 3920, memoryBytes: 15 * 2 ** 30 },
      taints: [{ key: 'node.kubernetes.io/memory-pressure', value: null, effect: 'NoSchedule' }],
      info: { kubeletVersion: 'v1.30.4' },
    });
  });

  it('the demo stream is ordered, valid and realistic', () => {
    const events = demoEvents(new Date('2025-03-20T12:00:00Z'));
    const rvs = events.map((e) => (e.kind === 'Pod' ? e.pod.resourceVersion : e.node.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(new Set(events.filter((e) => e.kind === 'Node').map((e) => e.kind === 'Node' && e.node.name))).toEqual(
      new Set(['node-a', 'node-b', 'node-c']),
    );
    const pods = new Set(events.flatMap((e) => (e.kind === 'Pod' ? [`${e.pod.namespace}/${e.pod.name}`] : [])));
    expect(pods.size).toBe(22);
    expect(events.some((e) => e.kind === 'Pod' && e.pod.reason === 'OOMKilled')).toBe(true);
    expect(events.some((e) => e.type === 'DELETED')).toBe(true);
  });
});

describe('resource URNs', () => {
  it('accepts both forms, prefers the annotation', () => {
    expect(parseResourceUrn('dataos://workflow:retail/orders-ingest')).toEqual({
      type: 'workflow',
      workspace: 'retail',
      name: 'orders-ingest',
      urn: 'dataos://workflow:retail/orders-ingest',
    });
    expect(parseResourceUrn('resource://workflow/public/wf-orders-clean')).toEqual({
      type: 'workflow',
      workspace: 'public',
      name: 'wf-orders-clean',
      urn: 'dataos://workflow:public/wf-orders-clean',
    });
    expect(parseResourceUrn('dataos://icebase')).toBeNull();
    expect(
      owningResourceUrn(
        { 'dataos.io/resource-urn': 'dataos://workflow:a/b' },
        { 'dataos.io/resource-urn': 'dataos://workflow:a/c' },
      ),
    ).toBe('dataos://workflow:a/c');
    expect(owningResourceUrn({}, {})).toBeNull();
  });

  it('stores the canonical dataos:// form, as Metis federates Resource under it', () => {
    expect(canonicalResourceUrn('resource://workflow/retail/orders-ingest')).toBe(
      'dataos://workflow:retail/orders-ingest',
    );
    expect(canonicalResourceUrn('dataos://Workflow:retail/orders-ingest')).toBe(
      'dataos://workflow:retail/orders-ingest',
    );
    expect(canonicalResourceUrn('not-a-urn')).toBe('not-a-urn');
    expect(owningResourceUrn({}, { 'dataos.io/resource-urn': 'resource://service/retail/order-events-sink' })).toBe(
      'dataos://service:retail/order-events-sink',
    );
    expect(
      owningResourceUrn(
        { 'dataos.io/resource-type': 'Workflow', 'dataos.io/workspace': 'retail', 'dataos.io/resource-name': 'x' },
        {},
      ),
    ).toBe('dataos://workflow:retail/x');
    const [event] = eventsFromInput({
      pods: [
        podEventInput({
          rv: 1,
          at: new Date(),
          namespace: 'retail',
          name: 'a',
          phase: 'RUNNING',
          urn: 'resource://workflow/retail/orders-ingest',
        }),
      ] as never,
    });
    expect(event?.kind === 'Pod' && [event.pod.resourceUrn, event.pod.resourceType]).toEqual([
      'dataos://workflow:retail/orders-ingest',
      'workflow',
    ]);
  });
});

describe('ingest input validation', () => {
  const now = new Date('2025-03-20T12:00:00Z');
  const ok = podEventInput({
    rv: 5,
    at: new Date('2025-03-20T11:00:00Z'),
    namespace: 'retail',
    name: 'a',
    phase: 'RUNNING',
    node: 'node-1',
  });
  const withPod = (patch: Record<string, unknown>) => ({
    pods: [ok, { ...ok, pod: { ...(ok.pod as object), ...patch } }] as never,
  });
  const fieldOf = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      return (error as { extensions: { code: string; field: string } }).extensions;
    }
    return null;
  };

  it.each([
    [{ namespace: 'Retail' }, 'input.pods[1].pod.namespace'],
    [{ name: 'a_b' }, 'input.pods[1].pod.name'],
    [{ resourceVersion: '12a' }, 'input.pods[1].pod.resourceVersion'],
    [{ resourceVersion: '0' }, 'input.pods[1].pod.resourceVersion'],
    [{ nodeName: 'Node 1' }, 'input.pods[1].pod.nodeName'],
    [{ labels: [{ name: 'dataos.io/resource-urn', value: 'not-a-urn' }] }, 'input.pods[1].pod.labels[0].value'],
    [{ labels: [{ name: 'app', value: 'a b' }] }, 'input.pods[1].pod.labels[0].value'],
    [
      {
        labels: [
          { name: 'app', value: 'x' },
          { name: 'app', value: 'y' },
        ],
      },
      'input.pods[1].pod.labels[1].name',
    ],
    [{ containers: [{ name: 'main', cpuRequest: 'lots' }] }, 'input.pods[1].pod.containers[0].cpuRequest'],
    [{ containers: [{ name: 'main', restartCount: -1 }] }, 'input.pods[1].pod.containers[0].restartCount'],
    [{ uid: '' }, 'input.pods[1].pod.uid'],
  ])('refuses %j at its field', (patch, field) => {
    expect(fieldOf(() => eventsFromInput(withPod(patch), now))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('refuses empty, oversized and future batches', () => {
    expect(fieldOf(() => eventsFromInput({ pods: [] }, now))).toMatchObject({ field: 'input' });
    expect(fieldOf(() => eventsFromInput({ pods: Array(5001).fill(ok) }, now))).toMatchObject({ field: 'input' });
    expect(
      fieldOf(() => eventsFromInput({ pods: [{ ...ok, observedAt: new Date('2025-03-21T00:00:00Z') }] as never }, now)),
    ).toMatchObject({
      field: 'input.pods[0].observedAt',
    });
  });
});
