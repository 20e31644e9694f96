import type { ComputeNode, KubeCondition, KubeLabel, Pod, PodEvent } from './generated/resolvers.js';
import { nodePressure, nodeReady, type Condition, type NodeDoc, type PodDoc } from './model.js';
import { nodeRoles } from './labels.js';
import { pairsToRecord, splitPair } from './snapshot.js';
import type { SourcedEvent } from './store/history.js';

const labels = (pairs: string[]): KubeLabel[] => pairs.map(splitPair);
const conditions = (list: Condition[]): KubeCondition[] => list.map((c) => ({ ...c }));

/** The GraphQL Pod; `history` and `resource` come from field resolvers. */
export function toPod(d: PodDoc): Pod {
  const pod: Omit<Pod, 'history' | 'resource'> = {
    namespace: d.namespace,
    name: d.name,
    uid: d.uid,
    phase: d.phase,
    reason: d.reason,
    message: d.message,
    nodeName: d.nodeName,
    restarts: d.restarts,
    ready: d.ready,
    labels: labels(d.labels),
    annotations: labels(d.annotations),
    owner: d.owner,
    resourceUrn: d.resourceUrn,
    resourceType: d.resourceType,
    conditions: conditions(d.conditions),
    containers: d.containers.map((c) => ({ ...c })),
    cpuRequestMillis: d.cpuRequestMillis,
    memoryRequestBytes: d.memoryRequestBytes,
    startedAt: d.startedAt,
    resourceVersion: String(d.resourceVersion),
    deleted: d.deleted,
    deletedAt: d.deletedAt,
    observedAt: d.observedAt,
  };
  return pod as Pod;
}

/** The GraphQL node; `usage` and `pods` come from field resolvers. */
export function toNode(d: NodeDoc): ComputeNode {
  const node: Omit<ComputeNode, 'usage' | 'pods'> = {
    name: d.name,
    uid: d.uid,
    labels: labels(d.labels),
    roles: nodeRoles(pairsToRecord(d.labels)),
    ...d.info,
    addresses: d.addresses,
    conditions: conditions(d.conditions),
    ready: nodeReady(d.conditions),
    pressure: nodePressure(d.conditions),
    capacity: d.capacity,
    allocatable: d.allocatable,
    taints: d.taints,
    unschedulable: d.unschedulable,
    deleted: d.deleted,
    resourceVersion: String(d.resourceVersion),
    observedAt: d.observedAt,
  };
  return node as ComputeNode;
}

export const toPodEvent = (e: SourcedEvent): PodEvent => ({
  id: e._id,
  type: e.type,
  time: e.time,
  resourceVersion: String(e.rv),
  uid: e.uid,
  phase: e.phase,
  reason: e.reason,
  message: e.message,
  nodeName: e.nodeName,
  restarts: e.restarts,
  ready: e.ready,
  source: e.source,
});
