import { DEMO_POLICIES } from '@dataos/heimdall';
import type { TestPolicy } from './policies.js';

/** A policy of Heimdall's seed (what `npm run dev` runs with) as a TestPolicy for createPolicies. */
export function seedPolicy(name: string): TestPolicy {
  const p = DEMO_POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`Heimdall's seed has no policy "${name}"`);
  return {
    name: p.name,
    effect: p.effect === 'deny' ? 'DENY' : 'ALLOW',
    subjects: p.subjects.map((s) => [...s]),
    actions: [...p.actions],
    objects: { paths: [...(p.objects.paths ?? [])], tags: [...(p.objects.tags ?? [])] },
  };
}

/**
 * The Heimdall policy Caretaker's `@policy` names (operators and admins read and write
 * `/caretaker/**`): the seed's own, not a copy, so that tests fail when the seed drifts.
 */
export const CARETAKER_OPERATORS_POLICY: TestPolicy = seedPolicy('caretaker-operators');

export const INGEST_CLUSTER_EVENTS = /* GraphQL */ `
  mutation IngestClusterEvents($input: ClusterEventsInput!) {
    ingestEvents(input: $input) {
      received
      applied
      stale
      duplicates
      recorded
    }
  }
`;

export interface TestPodEvent {
  type?: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  at: Date;
  namespace: string;
  name: string;
  phase: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';
  node?: string | null;
  restarts?: number;
  ready?: boolean;
  reason?: string;
  /** Owning DataOS resource, sent as the `dataos.io/resource-urn` label. */
  urn?: string;
  owner?: { kind: string; name: string };
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
}

/** A `PodEventInput` for Caretaker's `ingestEvents`, with one container named `main`. */
export function podEventInput(e: TestPodEvent): Record<string, unknown> {
  const ready = e.ready ?? e.phase === 'RUNNING';
  const labels = { ...e.labels, ...(e.urn ? { 'dataos.io/resource-urn': e.urn } : {}) };
  return {
    type: e.type ?? 'MODIFIED',
    observedAt: e.at,
    pod: {
      namespace: e.namespace,
      name: e.name,
      uid: `uid-${e.namespace}-${e.name}`,
      resourceVersion: String(e.rv),
      phase: e.phase,
      ...(e.reason ? { reason: e.reason } : {}),
      nodeName: e.node ?? null,
      labels: Object.entries(labels).map(([name, value]) => ({ name, value })),
      ...(e.owner ? { owner: e.owner } : {}),
      conditions: [
        { type: 'PodScheduled', status: e.node ? 'TRUE' : 'FALSE' },
        { type: 'Ready', status: ready ? 'TRUE' : 'FALSE' },
      ],
      containers: [
        {
          name: 'main',
          image: 'registry.dataos.io/test:1.0',
          ready,
          restartCount: e.restarts ?? 0,
          state: e.phase === 'RUNNING' ? 'RUNNING' : e.phase === 'PENDING' ? 'WAITING' : 'TERMINATED',
          cpuRequest: e.cpu ?? '500m',
          memoryRequest: e.memory ?? '1Gi',
        },
      ],
    },
  };
}

export interface TestNodeEvent {
  type?: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  at: Date;
  name: string;
  cpu?: string;
  memory?: string;
  memoryPressure?: boolean;
  ready?: boolean;
}

/** A `NodeEventInput` for Caretaker's `ingestEvents`. */
export function nodeEventInput(e: TestNodeEvent): Record<string, unknown> {
  const resources = { cpu: e.cpu ?? '4', memory: e.memory ?? '16Gi', pods: 110 };
  return {
    type: e.type ?? 'MODIFIED',
    observedAt: e.at,
    node: {
      name: e.name,
      uid: `uid-${e.name}`,
      resourceVersion: String(e.rv),
      labels: [{ name: 'node-role.kubernetes.io/worker', value: '' }],
      kubeletVersion: 'v1.30.4',
      architecture: 'amd64',
      operatingSystem: 'linux',
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      conditions: [
        { type: 'MemoryPressure', status: e.memoryPressure ? 'TRUE' : 'FALSE' },
        { type: 'Ready', status: e.ready === false ? 'FALSE' : 'TRUE' },
      ],
      capacity: resources,
      allocatable: resources,
      taints: e.memoryPressure ? [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] : [],
    },
  };
}
