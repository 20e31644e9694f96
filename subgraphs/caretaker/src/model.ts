/** Caretaker's records: what the ingest path writes and the resolvers read. */

export type PodPhase = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'UNKNOWN';
export const POD_PHASES: readonly PodPhase[] = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'UNKNOWN'];
/** Phases whose pods hold their requested CPU and memory on a node. */
export const ACTIVE_PHASES: readonly PodPhase[] = ['PENDING', 'RUNNING', 'UNKNOWN'];

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export type ConditionStatus = 'TRUE' | 'FALSE' | 'UNKNOWN';
export type ContainerStateName = 'WAITING' | 'RUNNING' | 'TERMINATED' | 'UNKNOWN';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string | null;
  message: string | null;
  lastTransitionTime: Date | null;
}

export interface ContainerState {
  name: string;
  image: string | null;
  ready: boolean;
  restartCount: number;
  state: ContainerStateName;
  reason: string | null;
  exitCode: number | null;
  cpuRequestMillis: number;
  memoryRequestBytes: number;
  cpuLimitMillis: number | null;
  memoryLimitBytes: number | null;
}

export interface WorkloadRef {
  kind: string;
  name: string;
}

/** A pod as one watch event describes it. */
export interface PodSnapshot {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: number;
  phase: PodPhase;
  reason: string | null;
  message: string | null;
  nodeName: string | null;
  /** `key=value` */
  labels: string[];
  annotations: string[];
  owner: WorkloadRef | null;
  resourceUrn: string | null;
  resourceType: string | null;
  conditions: Condition[];
  containers: ContainerState[];
  restarts: number;
  ready: boolean;
  cpuRequestMillis: number;
  memoryRequestBytes: number;
  startedAt: Date | null;
}

export interface Taint {
  key: string;
  value: string | null;
  effect: string;
}

export interface NodeAddress {
  type: string;
  address: string;
}

export interface ResourceList {
  cpuMillis: number;
  memoryBytes: number;
  pods: number;
  ephemeralStorageBytes: number | null;
}

export interface NodeInfo {
  osImage: string | null;
  kernelVersion: string | null;
  kubeletVersion: string | null;
  containerRuntime: string | null;
  architecture: string | null;
  operatingSystem: string | null;
}

export interface NodeSnapshot {
  name: string;
  uid: string;
  resourceVersion: number;
  labels: string[];
  info: NodeInfo;
  addresses: NodeAddress[];
  conditions: Condition[];
  capacity: ResourceList;
  allocatable: ResourceList;
  taints: Taint[];
  unschedulable: boolean;
}

export type ClusterEvent =
  | { kind: 'Pod'; type: WatchEventType; observedAt: Date; pod: PodSnapshot }
  | { kind: 'Node'; type: WatchEventType; observedAt: Date; node: NodeSnapshot };

/** Current state of a pod (`_id` = `namespace/name`); a DELETED event leaves a tombstone. */
export interface PodDoc extends PodSnapshot {
  _id: string;
  deleted: boolean;
  deletedAt: Date | null;
  /** When the event that produced this state was observed. */
  observedAt: Date;
  updatedAt: Date;
}

export interface NodeDoc extends NodeSnapshot {
  _id: string;
  deleted: boolean;
  deletedAt: Date | null;
  observedAt: Date;
  updatedAt: Date;
}

/**
 * One recorded event (append-only). `_id` is the event id, `<kind>/<key>@<resourceVersion>`:
 * a duplicate delivery of an event has the same id, whenever and however often it comes.
 */
export interface HistoryEvent {
  _id: string;
  kind: 'Pod' | 'Node';
  /** `namespace/name` for pods, the name for nodes. */
  key: string;
  namespace: string | null;
  name: string;
  uid: string;
  rv: number;
  type: WatchEventType;
  time: Date;
  /** Pods: the phase; nodes: RUNNING when Ready, else UNKNOWN. */
  phase: PodPhase;
  reason: string | null;
  message: string | null;
  nodeName: string | null;
  restarts: number;
  ready: boolean;
  resourceUrn: string | null;
  /** Nodes: the pressure conditions that are True (MemoryPressure, ...). */
  pressure: string[];
  /**
   * The ingest batch that first recorded it (`store/rollups.ts`): its rollup counts belong to that
   * batch only. Absent on records written before rollups existed (counted by the backfill).
   */
  batch?: string;
}

/** A history document in MongoDB: the event, plus the archive batch it was claimed by. */
export interface HistoryDoc extends HistoryEvent {
  archive?: { key: string; at: Date };
}

export const podKey = (namespace: string, name: string) => `${namespace}/${name}`;
export const eventId = (kind: 'Pod' | 'Node', key: string, rv: number) => `${kind}/${key}@${rv}`;

/** Node conditions that mean trouble when True. */
export const PRESSURE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable'];

export function nodePressure(conditions: Condition[]): string[] {
  return conditions.filter((c) => PRESSURE_CONDITIONS.includes(c.type) && c.status === 'TRUE').map((c) => c.type);
}

export const nodeReady = (conditions: Condition[]) => conditions.some((c) => c.type === 'Ready' && c.status === 'TRUE');

/** The history record of an event. */
export function historyOf(event: ClusterEvent): HistoryEvent {
  if (event.kind === 'Pod') {
    const p = event.pod;
    const key = podKey(p.namespace, p.name);
    return {
      _id: eventId('Pod', key, p.resourceVersion),
      kind: 'Pod',
      key,
      namespace: p.namespace,
      name: p.name,
      uid: p.uid,
      rv: p.resourceVersion,
      type: event.type,
      time: event.observedAt,
      phase: p.phase,
      reason: p.reason,
      message: p.message,
      nodeName: p.nodeName,
      restarts: p.restarts,
      ready: p.ready,
      resourceUrn: p.resourceUrn,
      pressure: [],
    };
  }
  const n = event.node;
  const ready = nodeReady(n.conditions);
  return {
    _id: eventId('Node', n.name, n.resourceVersion),
    kind: 'Node',
    key: n.name,
    namespace: null,
    name: n.name,
    uid: n.uid,
    rv: n.resourceVersion,
    type: event.type,
    time: event.observedAt,
    phase: ready ? 'RUNNING' : 'UNKNOWN',
    reason: n.conditions.find((c) => c.type === 'Ready')?.reason ?? null,
    message: null,
    nodeName: n.name,
    restarts: 0,
    ready,
    resourceUrn: null,
    pressure: nodePressure(n.conditions),
  };
}
