import { LABELS, parseResourceUrn } from './labels.js';
import type {
  ClusterEvent,
  Condition,
  ConditionStatus,
  ContainerState,
  NodeSnapshot,
  PodPhase,
  ResourceList,
  WatchEventType,
  WorkloadRef,
} from './model.js';
import { bytes, cpuMillis } from './quantity.js';
import { podSnapshot } from './snapshot.js';

/**
 * Kubernetes objects (core/v1 Pod and Node, as JSON or as `@kubernetes/client-node` models) to
 * Caretaker events. Lenient where the API server already validated: unknown values become
 * UNKNOWN, long texts are cut; an object without name or resourceVersion is refused (null).
 */

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown, max = 4096): string | null => (typeof v === 'string' && v ? v.slice(0, max) : null);
const date = (v: unknown): Date | null => {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
};
const record = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

const PHASES: Record<string, PodPhase> = {
  Pending: 'PENDING',
  Running: 'RUNNING',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
};
const STATUSES: Record<string, ConditionStatus> = { True: 'TRUE', False: 'FALSE' };

function conditions(list: unknown): Condition[] {
  return arr(list).map((c) => {
    const o = obj(c);
    return {
      type: str(o.type, 64) ?? 'Unknown',
      status: STATUSES[String(o.status)] ?? 'UNKNOWN',
      reason: str(o.reason, 256),
      message: str(o.message),
      lastTransitionTime: date(o.lastTransitionTime),
    };
  });
}

function resourceVersion(meta: Json): number | null {
  const n = Number(meta.resourceVersion);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The controlling owner; a Deployment's ReplicaSet is reported as the Deployment. */
function owner(meta: Json, labels: Record<string, string>): WorkloadRef | null {
  const refs = arr(meta.ownerReferences).map(obj);
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  const kind = str(ref?.kind, 64);
  const name = str(ref?.name, 253);
  if (!kind || !name) return null;
  const hash = labels[LABELS.podTemplateHash];
  if (kind === 'ReplicaSet' && hash && name.endsWith(`-${hash}`))
    return { kind: 'Deployment', name: name.slice(0, -hash.length - 1) };
  return { kind, name };
}

function containers(spec: Json, status: Json): ContainerState[] {
  const statuses = new Map(arr(status.containerStatuses).map((s) => [String(obj(s).name), obj(s)]));
  return arr(spec.containers).map((c) => {
    const o = obj(c);
    const name = str(o.name, 63) ?? 'unknown';
    const resources = obj(o.resources);
    const requests = obj(resources.requests);
    const limits = obj(resources.limits);
    const s = statuses.get(name) ?? {};
    const state = obj(s.state);
    const [stateName, detail] = state.running
      ? (['RUNNING', obj(state.running)] as const)
      : state.terminated
        ? (['TERMINATED', obj(state.terminated)] as const)
        : state.waiting
          ? (['WAITING', obj(state.waiting)] as const)
          : (['UNKNOWN', {} as Json] as const);
    const q = (v: unknown, parse: (s: string) => number | null) =>
      typeof v === 'string' ? parse(v) : typeof v === 'number' ? v : null;
    return {
      name,
      image: str(o.image, 1024),
      ready: s.ready === true,
      restartCount: Number.isInteger(s.restartCount) ? (s.restartCount as number) : 0,
      state: stateName,
      reason: str(detail.reason, 256),
      exitCode: Number.isInteger(detail.exitCode) ? (detail.exitCode as number) : null,
      cpuRequestMillis: q(requests.cpu, cpuMillis) ?? 0,
      memoryRequestBytes: q(requests.memory, bytes) ?? 0,
      cpuLimitMillis: q(limits.cpu, cpuMillis),
      memoryLimitBytes: q(limits.memory, bytes),
    };
  });
}

/** A Pod object as an event; null when it lacks identity. */
export function podEvent(type: WatchEventType, object: unknown, observedAt = new Date()): ClusterEvent | null {
  const o = obj(object);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const rv = resourceVersion(meta);
  const namespace = str(meta.namespace, 63);
  const name = str(meta.name, 253);
  if (!rv || !namespace || !name) return null;
  const labels = record(meta.labels);
  const annotations = record(meta.annotations);
  // An unparseable URN is dropped rather than failing the event.
  for (const source of [labels, annotations]) {
    const urn = source[LABELS.resourceUrn];
    if (urn !== undefined && !parseResourceUrn(urn)) delete source[LABELS.resourceUrn];
  }
  return {
    kind: 'Pod',
    type,
    observedAt,
    pod: podSnapshot({
      namespace,
      name,
      uid: str(meta.uid, 128) ?? `${namespace}/${name}`,
      resourceVersion: rv,
      phase: PHASES[String(status.phase)] ?? 'UNKNOWN',
      reason: str(status.reason, 256),
      message: str(status.message),
      nodeName: str(spec.nodeName, 253),
      labels,
      annotations,
      owner: owner(meta, labels),
      conditions: conditions(status.conditions),
      containers: containers(spec, status),
      startedAt: date(status.startTime),
    }),
  };
}

function resourceList(v: unknown): ResourceList {
  const o = obj(v);
  const q = (x: unknown, parse: (s: string) => number | null) => (typeof x === 'string' ? parse(x) : null);
  return {
    cpuMillis: q(o.cpu, cpuMillis) ?? 0,
    memoryBytes: q(o.memory, bytes) ?? 0,
    pods: Math.floor(q(o.pods, (s) => Number(s)) ?? 0),
    ephemeralStorageBytes: q(o['ephemeral-storage'], bytes),
  };
}

/** A Node object as an event; null when it lacks identity. */
export function nodeEvent(type: WatchEventType, object: unknown, observedAt = new Date()): ClusterEvent | null {
  const o = obj(object);
  const meta = obj(o.metadata);
  const spec = obj(o.spec);
  const status = obj(o.status);
  const info = obj(status.nodeInfo);
  const rv = resourceVersion(meta);
  const name = str(meta.name, 253);
  if (!rv || !name) return null;
  const node: NodeSnapshot = {
    name,
    uid: str(meta.uid, 128) ?? name,
    resourceVersion: rv,
    labels: Object.entries(record(meta.labels))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`),
    info: {
      osImage: str(info.osImage, 256),
      kernelVersion: str(info.kernelVersion, 256),
      kubeletVersion: str(info.kubeletVersion, 64),
      containerRuntime: str(info.containerRuntimeVersion, 256),
      architecture: str(info.architecture, 64),
      operatingSystem: str(info.operatingSystem, 64),
    },
    addresses: arr(status.addresses).map((a) => ({
      type: str(obj(a).type, 64) ?? 'Unknown',
      address: str(obj(a).address, 253) ?? '',
    })),
    conditions: conditions(status.conditions),
    capacity: resourceList(status.capacity),
    allocatable: resourceList(status.allocatable),
    taints: arr(spec.taints).map((t) => ({
      key: str(obj(t).key, 317) ?? '',
      value: str(obj(t).value, 63),
      effect: str(obj(t).effect, 32) ?? '',
    })),
    unschedulable: spec.unschedulable === true,
  };
  return { kind: 'Node', type, observedAt, node };
}
