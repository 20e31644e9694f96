import { LABELS } from './labels.js';
import { nodeEvent, podEvent } from './k8s.js';
import type { ClusterEvent, WatchEventType } from './model.js';

/**
 * A small, realistic cluster as a stream of Kubernetes watch events: 3 nodes (node-c comes
 * under memory pressure), 22 pods of DataOS workflows and services across namespaces, with
 * restarts, failures (OOMKilled, errors, deadline), an unschedulable pod and deleted pods, and
 * two runs from 9 days ago (old enough to be archived with the default 7-day window).
 *
 * Owning resources are ones Metis's demo catalogues (subgraphs/metis/src/demo/catalog.ts), so
 * `Pod.resource` and `Resource.pods` join in `npm run dev`; platform pods (Heimdall, CoreDNS,
 * kube-proxy) belong to no DataOS resource.
 */

const MIN = 60_000;

interface PodPlan {
  namespace: string;
  name: string;
  owner: { kind: string; name: string };
  /** type, workspace, name of the owning DataOS resource */
  resource?: [string, string, string];
  node: string | null;
  cpu: string;
  memory: string;
  /** Minutes before now it was created. */
  startedMinAgo: number;
  /** Minutes it ran before finishing (undefined: still running). */
  ranMin?: number;
  end: 'Running' | 'Succeeded' | 'Failed' | 'Pending';
  failure?: { reason: string; exitCode: number; message?: string };
  restarts?: number;
  deletedMinAfterEnd?: number;
  pendingReason?: string;
  labels?: Record<string, string>;
}

const wf = (ws: string, name: string): [string, string, string] => ['workflow', ws, name];

const PODS: PodPlan[] = [
  {
    namespace: 'retail',
    name: 'orders-ingest-28931520-x7k2p',
    owner: { kind: 'Job', name: 'orders-ingest-28931520' },
    resource: wf('retail', 'orders-ingest'),
    node: 'node-a',
    cpu: '500m',
    memory: '1Gi',
    startedMinAgo: 25,
    end: 'Running',
  },
  {
    namespace: 'retail',
    name: 'orders-ingest-28931460-q9d8s',
    owner: { kind: 'Job', name: 'orders-ingest-28931460' },
    resource: wf('retail', 'orders-ingest'),
    node: 'node-b',
    cpu: '500m',
    memory: '1Gi',
    startedMinAgo: 85,
    ranMin: 22,
    end: 'Succeeded',
  },
  {
    namespace: 'retail',
    name: 'orders-ingest-28931400-m2k1z',
    owner: { kind: 'Job', name: 'orders-ingest-28931400' },
    resource: wf('retail', 'orders-ingest'),
    node: 'node-a',
    cpu: '500m',
    memory: '1Gi',
    startedMinAgo: 145,
    ranMin: 7,
    end: 'Failed',
    failure: { reason: 'Error', exitCode: 1, message: 'upstream depot icebase returned 503' },
  },
  {
    namespace: 'retail',
    name: 'customers-dedupe-28931500-p4l6t',
    owner: { kind: 'Job', name: 'customers-dedupe-28931500' },
    resource: wf('retail', 'customers-dedupe'),
    node: 'node-b',
    cpu: '1',
    memory: '2Gi',
    startedMinAgo: 45,
    end: 'Running',
    restarts: 1,
  },
  {
    namespace: 'retail',
    name: 'customers-dedupe-28931440-f8w3e',
    owner: { kind: 'Job', name: 'customers-dedupe-28931440' },
    resource: wf('retail', 'customers-dedupe'),
    node: 'node-c',
    cpu: '1',
    memory: '2Gi',
    startedMinAgo: 105,
    ranMin: 31,
    end: 'Succeeded',
  },
  {
    namespace: 'retail',
    name: 'order-events-sink-5c7d9f8b6-hx2vb',
    owner: { kind: 'ReplicaSet', name: 'order-events-sink-5c7d9f8b6' },
    resource: ['service', 'retail', 'order-events-sink'],
    node: 'node-a',
    cpu: '250m',
    memory: '512Mi',
    startedMinAgo: 2880,
    end: 'Running',
    labels: { [LABELS.podTemplateHash]: '5c7d9f8b6' },
  },
  {
    namespace: 'retail',
    name: 'order-events-sink-5c7d9f8b6-kq8nm',
    owner: { kind: 'ReplicaSet', name: 'order-events-sink-5c7d9f8b6' },
    resource: ['service', 'retail', 'order-events-sink'],
    node: 'node-b',
    cpu: '250m',
    memory: '512Mi',
    startedMinAgo: 2875,
    end: 'Running',
    labels: { [LABELS.podTemplateHash]: '5c7d9f8b6' },
  },
  {
    namespace: 'finance',
    name: 'invoices-export-28931490-ppl0x',
    owner: { kind: 'Job', name: 'invoices-export-28931490' },
    resource: wf('finance', 'invoices-export'),
    node: 'node-c',
    cpu: '1',
    memory: '3Gi',
    startedMinAgo: 55,
    ranMin: 40,
    end: 'Failed',
    restarts: 4,
    failure: { reason: 'OOMKilled', exitCode: 137 },
  },
  {
    namespace: 'finance',
    name: 'invoices-export-28931430-r5t7y',
    owner: { kind: 'Job', name: 'invoices-export-28931430' },
    resource: wf('finance', 'invoices-export'),
    node: 'node-b',
    cpu: '1',
    memory: '3Gi',
    startedMinAgo: 115,
    ranMin: 18,
    end: 'Succeeded',
  },
  {
    namespace: 'finance',
    name: 'ledger-reconcile-28931510-z1x2c',
    owner: { kind: 'Job', name: 'ledger-reconcile-28931510' },
    resource: wf('finance', 'ledger-reconcile'),
    node: null,
    cpu: '2',
    memory: '24Gi',
    startedMinAgo: 35,
    end: 'Pending',
    pendingReason:
      '0/3 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/memory-pressure: }, 2 Insufficient memory.',
  },
  {
    namespace: 'finance',
    name: 'ledger-reconcile-28931450-b3n4m',
    owner: { kind: 'Job', name: 'ledger-reconcile-28931450' },
    resource: wf('finance', 'ledger-reconcile'),
    node: 'node-a',
    cpu: '2',
    memory: '8Gi',
    startedMinAgo: 95,
    ranMin: 26,
    end: 'Succeeded',
    deletedMinAfterEnd: 20,
  },
  {
    namespace: 'platform',
    name: 'minerva-retail-coordinator-0',
    owner: { kind: 'StatefulSet', name: 'minerva-retail-coordinator' },
    resource: ['cluster', 'public', 'minerva-retail'],
    node: 'node-a',
    cpu: '2',
    memory: '8Gi',
    startedMinAgo: 4320,
    end: 'Running',
    restarts: 2,
  },
  {
    namespace: 'platform',
    name: 'minerva-retail-worker-0',
    owner: { kind: 'StatefulSet', name: 'minerva-retail-worker' },
    resource: ['cluster', 'public', 'minerva-retail'],
    node: 'node-b',
    cpu: '2',
    memory: '12Gi',
    startedMinAgo: 4318,
    end: 'Running',
  },
  {
    namespace: 'platform',
    name: 'minerva-retail-worker-1',
    owner: { kind: 'StatefulSet', name: 'minerva-retail-worker' },
    resource: ['cluster', 'public', 'minerva-retail'],
    node: 'node-c',
    cpu: '2',
    memory: '10Gi',
    startedMinAgo: 4316,
    end: 'Running',
    restarts: 3,
  },
  {
    namespace: 'platform',
    name: 'heimdall-6d8f7c5b4-wv9zs',
    owner: { kind: 'ReplicaSet', name: 'heimdall-6d8f7c5b4' },
    node: 'node-a',
    cpu: '250m',
    memory: '256Mi',
    startedMinAgo: 4300,
    end: 'Running',
    labels: { [LABELS.podTemplateHash]: '6d8f7c5b4' },
  },
  {
    namespace: 'marketing',
    name: 'campaign-scoring-28931480-t6y7u',
    owner: { kind: 'Job', name: 'campaign-scoring-28931480' },
    resource: wf('marketing', 'campaign-scoring'),
    node: 'node-c',
    cpu: '500m',
    memory: '2Gi',
    startedMinAgo: 65,
    end: 'Running',
    restarts: 1,
  },
  {
    namespace: 'marketing',
    name: 'campaign-scoring-28931420-j8k9l',
    owner: { kind: 'Job', name: 'campaign-scoring-28931420' },
    resource: wf('marketing', 'campaign-scoring'),
    node: 'node-b',
    cpu: '500m',
    memory: '2Gi',
    startedMinAgo: 125,
    ranMin: 60,
    end: 'Failed',
    failure: { reason: 'DeadlineExceeded', exitCode: 143, message: 'Job was active longer than specified deadline' },
  },
  {
    namespace: 'marketing',
    name: 'audience-refresh-28931470-c4v5b',
    owner: { kind: 'Job', name: 'audience-refresh-28931470' },
    resource: wf('marketing', 'audience-refresh'),
    node: 'node-a',
    cpu: '500m',
    memory: '1Gi',
    startedMinAgo: 75,
    ranMin: 12,
    end: 'Succeeded',
  },
  {
    namespace: 'kube-system',
    name: 'coredns-5d78c9869d-8xk2m',
    owner: { kind: 'ReplicaSet', name: 'coredns-5d78c9869d' },
    node: 'node-a',
    cpu: '100m',
    memory: '70Mi',
    startedMinAgo: 10080,
    end: 'Running',
    labels: { [LABELS.podTemplateHash]: '5d78c9869d', 'k8s-app': 'kube-dns' },
  },
  {
    namespace: 'kube-system',
    name: 'kube-proxy-7xq2d',
    owner: { kind: 'DaemonSet', name: 'kube-proxy' },
    node: 'node-c',
    cpu: '100m',
    memory: '64Mi',
    startedMinAgo: 10075,
    end: 'Running',
    labels: { 'k8s-app': 'kube-proxy' },
  },
  // Runs from 9 days ago, long deleted: their history is what the archive is for.
  {
    namespace: 'retail',
    name: 'orders-ingest-28918560-h5j6k',
    owner: { kind: 'Job', name: 'orders-ingest-28918560' },
    resource: wf('retail', 'orders-ingest'),
    node: 'node-b',
    cpu: '500m',
    memory: '1Gi',
    startedMinAgo: 12960,
    ranMin: 21,
    end: 'Succeeded',
    deletedMinAfterEnd: 60,
  },
  {
    namespace: 'finance',
    name: 'invoices-export-28918590-w2e3r',
    owner: { kind: 'Job', name: 'invoices-export-28918590' },
    resource: wf('finance', 'invoices-export'),
    node: 'node-c',
    cpu: '1',
    memory: '3Gi',
    startedMinAgo: 12930,
    ranMin: 9,
    end: 'Failed',
    restarts: 2,
    failure: { reason: 'OOMKilled', exitCode: 137 },
    deletedMinAfterEnd: 60,
  },
];

interface Step {
  at: number;
  type: WatchEventType;
  kind: 'Pod' | 'Node';
  build: (rv: number) => unknown;
}

const iso = (t: number) => new Date(t).toISOString();
const cond = (type: string, ok: boolean, t: number, reason?: string, message?: string) => ({
  type,
  status: ok ? 'True' : 'False',
  lastTransitionTime: iso(t),
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

function podSteps(p: PodPlan, now: number): Step[] {
  const t0 = now - p.startedMinAgo * MIN;
  const labels = {
    ...(p.resource
      ? {
          [LABELS.resourceType]: p.resource[0],
          [LABELS.workspace]: p.resource[1],
          [LABELS.resourceName]: p.resource[2],
        }
      : {}),
    ...p.labels,
  };
  const annotations = p.resource
    ? { [LABELS.resourceUrn]: `dataos://${p.resource[0]}:${p.resource[1]}/${p.resource[2]}` }
    : {};
  const pod = (
    rv: number,
    s: {
      phase: string;
      node: string | null;
      at: number;
      ready: boolean;
      restarts: number;
      state: object;
      reason?: string;
      message?: string;
      conditions: object[];
    },
  ) => ({
    metadata: {
      namespace: p.namespace,
      name: p.name,
      uid: `uid-${p.namespace}-${p.name}`,
      resourceVersion: String(rv),
      labels,
      annotations,
      ownerReferences: [{ kind: p.owner.kind, name: p.owner.name, controller: true }],
    },
    spec: {
      nodeName: s.node ?? undefined,
      containers: [
        {
          name: 'main',
          image: `registry.dataos.io/${p.owner.name.replace(/-[0-9a-z]+$/, '')}:1.4.2`,
          resources: { requests: { cpu: p.cpu, memory: p.memory }, limits: { memory: p.memory } },
        },
      ],
    },
    status: {
      phase: s.phase,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(s.message ? { message: s.message } : {}),
      ...(s.node ? { startTime: iso(t0 + 2000) } : {}),
      conditions: s.conditions,
      containerStatuses: [{ name: 'main', ready: s.ready, restartCount: s.restarts, state: s.state }],
    },
  });
  const steps: Step[] = [];
  const add = (at: number, type: WatchEventType, s: Parameters<typeof pod>[1]) =>
    steps.push({ at, type, kind: 'Pod', build: (rv) => pod(rv, s) });
  const pendingWaiting = { waiting: { reason: 'ContainerCreating' } };
  add(t0, 'ADDED', {
    phase: 'Pending',
    node: null,
    at: t0,
    ready: false,
    restarts: 0,
    state: pendingWaiting,
    conditions: [],
  });
  if (!p.node) {
    add(t0 + 1000, 'MODIFIED', {
      phase: 'Pending',
      node: null,
      at: t0,
      ready: false,
      restarts: 0,
      state: pendingWaiting,
      conditions: [cond('PodScheduled', false, t0 + 1000, 'Unschedulable', p.pendingReason)],
    });
    return steps;
  }
  const scheduled = cond('PodScheduled', true, t0 + 1000);
  add(t0 + 1000, 'MODIFIED', {
    phase: 'Pending',
    node: p.node,
    at: t0,
    ready: false,
    restarts: 0,
    state: pendingWaiting,
    conditions: [scheduled],
  });
  const running = (at: number, restarts: number) => ({
    phase: 'Running',
    node: p.node,
    at,
    ready: true,
    restarts,
    state: { running: { startedAt: iso(at) } },
    conditions: [
      scheduled,
      cond('Initialized', true, t0 + 2000),
      cond('ContainersReady', true, at),
      cond('Ready', true, at),
    ],
  });
  add(t0 + 9000, 'MODIFIED', running(t0 + 9000, 0));
  const end = p.ranMin === undefined ? now - 2 * MIN : t0 + p.ranMin * MIN;
  const restarts = p.restarts ?? 0;
  for (let i = 1; i <= restarts; i++) {
    const at = t0 + ((end - t0) * i) / (restarts + 1);
    const reason = p.failure?.reason === 'OOMKilled' || p.node === 'node-c' ? 'OOMKilled' : 'Error';
    add(at, 'MODIFIED', {
      phase: 'Running',
      node: p.node,
      at,
      ready: false,
      restarts: i - 1,
      state: {
        waiting: { reason: 'CrashLoopBackOff', message: `back-off restarting failed container (last: ${reason})` },
      },
      conditions: [
        scheduled,
        cond('ContainersReady', false, at, 'ContainersNotReady'),
        cond('Ready', false, at, 'ContainersNotReady'),
      ],
    });
    add(at + 30_000, 'MODIFIED', running(at + 30_000, i));
  }
  if (p.end === 'Succeeded' || p.end === 'Failed') {
    const ok = p.end === 'Succeeded';
    const done = {
      phase: p.end,
      node: p.node,
      at: end,
      ready: false,
      restarts,
      ...(ok ? {} : { reason: p.failure?.reason, message: p.failure?.message }),
      state: { terminated: { reason: ok ? 'Completed' : p.failure?.reason, exitCode: ok ? 0 : p.failure?.exitCode } },
      conditions: [
        scheduled,
        cond('ContainersReady', false, end, 'PodCompleted'),
        cond('Ready', false, end, 'PodCompleted'),
      ],
    };
    add(end, 'MODIFIED', done);
    if (p.deletedMinAfterEnd !== undefined) add(end + p.deletedMinAfterEnd * MIN, 'DELETED', { ...done, at: end });
  }
  return steps;
}

function nodeSteps(now: number): Step[] {
  const node = (
    name: string,
    cpu: string,
    memory: string,
    zone: string,
    ip: string,
    pressure: boolean,
    rv: number,
  ) => ({
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: String(rv),
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': cpu === '8' ? 'm6i.2xlarge' : 'm6i.xlarge',
        'topology.kubernetes.io/zone': zone,
        'node-role.kubernetes.io/worker': '',
      },
    },
    spec: pressure ? { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] } : {},
    status: {
      capacity: { cpu, memory, pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: {
        cpu: cpu === '8' ? '7910m' : '3920m',
        memory: memory === '32Gi' ? '31Gi' : '15Gi',
        pods: '110',
        'ephemeral-storage': '95Gi',
      },
      conditions: [
        cond(
          'MemoryPressure',
          pressure,
          now - 120 * MIN,
          pressure ? 'KubeletHasInsufficientMemory' : 'KubeletHasSufficientMemory',
        ),
        cond('DiskPressure', false, now - 10080 * MIN, 'KubeletHasNoDiskPressure'),
        cond('PIDPressure', false, now - 10080 * MIN, 'KubeletHasSufficientPID'),
        cond('Ready', true, now - 10080 * MIN, 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        osImage: 'Ubuntu 22.04.4 LTS',
        kernelVersion: '6.5.0-1022-aws',
        kubeletVersion: 'v1.30.4',
        containerRuntimeVersion: 'containerd://1.7.20',
        architecture: 'amd64',
        operatingSystem: 'linux',
      },
    },
  });
  const joined = now - 10080 * MIN - 30 * MIN;
  return [
    {
      at: joined,
      type: 'ADDED',
      kind: 'Node',
      build: (rv) => node('node-a', '8', '32Gi', 'eu-west-1a', '10.0.1.11', false, rv),
    },
    {
      at: joined + 1000,
      type: 'ADDED',
      kind: 'Node',
      build: (rv) => node('node-b', '8', '32Gi', 'eu-west-1b', '10.0.2.12', false, rv),
    },
    {
      at: joined + 2000,
      type: 'ADDED',
      kind: 'Node',
      build: (rv) => node('node-c', '4', '16Gi', 'eu-west-1c', '10.0.3.13', false, rv),
    },
    {
      at: now - 120 * MIN,
      type: 'MODIFIED',
      kind: 'Node',
      build: (rv) => node('node-c', '4', '16Gi', 'eu-west-1c', '10.0.3.13', true, rv),
    },
  ];
}

/** The demo stream, in the order the cluster produced it (resourceVersions increase with time). */
export function demoEvents(now = new Date()): ClusterEvent[] {
  const t = now.getTime();
  const steps = [...nodeSteps(t), ...PODS.flatMap((p) => podSteps(p, t))].sort((a, b) => a.at - b.at);
  return steps.flatMap((s, i) => {
    const rv = 1000 + i;
    const object = s.build(rv);
    const event =
      s.kind === 'Pod' ? podEvent(s.type, object, new Date(s.at)) : nodeEvent(s.type, object, new Date(s.at));
    return event ? [event] : [];
  });
}

export const DEMO_POD_COUNT = PODS.length;
