import { labelPair, owningResourceUrn, resourceTypeOf } from './labels.js';
import type { Condition, ContainerState, PodPhase, PodSnapshot, WorkloadRef } from './model.js';

/** What a pod event says, before the derived fields (restarts, readiness, requests, owner URN). */
export interface PodParts {
  namespace: string;
  name: string;
  uid: string;
  resourceVersion: number;
  phase: PodPhase;
  reason: string | null;
  message: string | null;
  nodeName: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  owner: WorkloadRef | null;
  conditions: Condition[];
  containers: ContainerState[];
  startedAt: Date | null;
}

export function podSnapshot(p: PodParts): PodSnapshot {
  const resourceUrn = owningResourceUrn(p.labels, p.annotations);
  return {
    namespace: p.namespace,
    name: p.name,
    uid: p.uid,
    resourceVersion: p.resourceVersion,
    phase: p.phase,
    reason: p.reason,
    message: p.message,
    nodeName: p.nodeName,
    labels: pairs(p.labels),
    annotations: pairs(p.annotations),
    owner: p.owner,
    resourceUrn,
    resourceType: resourceTypeOf(resourceUrn),
    conditions: p.conditions,
    containers: p.containers,
    restarts: p.containers.reduce((n, c) => n + c.restartCount, 0),
    ready: p.conditions.some((c) => c.type === 'Ready' && c.status === 'TRUE'),
    cpuRequestMillis: p.containers.reduce((n, c) => n + c.cpuRequestMillis, 0),
    memoryRequestBytes: p.containers.reduce((n, c) => n + c.memoryRequestBytes, 0),
    startedAt: p.startedAt,
  };
}

const pairs = (record: Record<string, string>) =>
  Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => labelPair(k, v));

/** `key=value` back to name and value (the key never contains `=`). */
export function splitPair(pair: string): { name: string; value: string } {
  const i = pair.indexOf('=');
  return i < 0 ? { name: pair, value: '' } : { name: pair.slice(0, i), value: pair.slice(i + 1) };
}

export function pairsToRecord(list: string[]): Record<string, string> {
  return Object.fromEntries(list.map((p) => Object.values(splitPair(p)) as [string, string]));
}
