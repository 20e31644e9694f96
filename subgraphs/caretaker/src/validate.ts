import { badUserInput } from '@dataos/errors';
import type {
  ClusterEventsInput,
  KubeConditionInput,
  KubeLabelInput,
  NodeEventInput,
  PodContainerInput,
  PodEventInput,
  ResourceListInput,
} from './generated/resolvers.js';
import { LABELS, parseResourceUrn } from './labels.js';
import type { ClusterEvent, Condition, ContainerState, NodeSnapshot, ResourceList } from './model.js';
import { bytes, cpuMillis } from './quantity.js';
import { podSnapshot } from './snapshot.js';

/** At most this many events per `ingestEvents` call. */
export const MAX_BATCH = 5000;
/** Clock skew tolerated on `observedAt`. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const RESOURCE_VERSION = /^[1-9][0-9]{0,15}$/;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function fail(field: string, message: string): never {
  throw badUserInput(message, { field });
}

function text(value: string, field: string, max: number): string {
  if (value.length === 0) fail(field, `${field} must not be empty.`);
  if (value.length > max) fail(field, `${field} is longer than ${max} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value)) fail(field, `${field} contains control characters.`);
  return value;
}

const optionalText = (value: string | null | undefined, field: string, max: number) =>
  value === null || value === undefined ? null : text(value, field, max);

export function namespaceName(value: string, field: string): string {
  if (!DNS_LABEL.test(value))
    fail(field, `"${value}" is not a namespace name (lowercase letters, digits and "-", at most 63).`);
  return value;
}

export function objectName(value: string, field: string): string {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(field, `"${value}" is not a Kubernetes object name (lowercase letters, digits, "-" and ".", at most 253).`);
  }
  return value;
}

export function resourceVersion(value: string, field: string): number {
  const n = Number(value);
  if (!RESOURCE_VERSION.test(value) || !Number.isSafeInteger(n)) {
    fail(field, `"${value}" is not a resourceVersion: a positive decimal integer is expected.`);
  }
  return n;
}

function labelKey(key: string, field: string): string {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? null : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if ((prefix !== null && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) || !LABEL_NAME.test(name)) {
    fail(field, `"${key}" is not a Kubernetes label or annotation key ([prefix/]name).`);
  }
  return key;
}

/** A resource URN in either form, as its canonical `dataos://` form (how pods store it). */
export function resourceUrnValue(value: string, field: string): string {
  const parsed = parseResourceUrn(value);
  if (!parsed) {
    fail(
      field,
      `"${value}" is not a resource URN: dataos://<type>:<workspace>/<name> or resource://<kind>/<workspace>/<name>.`,
    );
  }
  return parsed.urn;
}

function labels(
  list: KubeLabelInput[] | null | undefined,
  field: string,
  kind: 'label' | 'annotation',
): Record<string, string> {
  const out: Record<string, string> = {};
  const items = list ?? [];
  if (items.length > 64) fail(field, `At most 64 ${kind}s.`);
  items.forEach((l, i) => {
    const f = `${field}[${i}]`;
    labelKey(l.name, `${f}.name`);
    if (l.name in out) fail(`${f}.name`, `The ${kind} "${l.name}" is given twice.`);
    if (l.name === LABELS.resourceUrn) resourceUrnValue(l.value, `${f}.value`);
    else if (kind === 'label' && !LABEL_VALUE.test(l.value)) {
      fail(`${f}.value`, `"${l.value}" is not a label value (letters, digits, "-", "_", ".", at most 63).`);
    } else if (l.value.length > 4096) fail(`${f}.value`, `The ${kind} value is longer than 4096 characters.`);
    out[l.name] = l.value;
  });
  return out;
}

function conditions(list: KubeConditionInput[] | null | undefined, field: string): Condition[] {
  const items = list ?? [];
  if (items.length > 32) fail(field, 'At most 32 conditions.');
  const seen = new Set<string>();
  return items.map((c, i) => {
    const f = `${field}[${i}]`;
    text(c.type, `${f}.type`, 64);
    if (seen.has(c.type)) fail(`${f}.type`, `The condition "${c.type}" is given twice.`);
    seen.add(c.type);
    return {
      type: c.type,
      status: c.status,
      reason: optionalText(c.reason, `${f}.reason`, 256),
      message: optionalText(c.message, `${f}.message`, 4096),
      lastTransitionTime: c.lastTransitionTime ?? null,
    };
  });
}

function quantity(parse: (s: string) => number | null, value: string, field: string): number {
  const n = parse(value);
  if (n === null) fail(field, `"${value}" is not a Kubernetes quantity (e.g. 250m, 1, 512Mi, 2Gi).`);
  return n;
}

const optionalQuantity = (parse: (s: string) => number | null, value: string | null | undefined, field: string) =>
  value === null || value === undefined ? null : quantity(parse, value, field);

function nonNegativeInt(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) fail(field, `${field} must be a non-negative integer.`);
  return value;
}

function containers(list: PodContainerInput[] | null | undefined, field: string): ContainerState[] {
  const items = list ?? [];
  if (items.length > 64) fail(field, 'At most 64 containers.');
  const seen = new Set<string>();
  return items.map((c, i) => {
    const f = `${field}[${i}]`;
    if (!DNS_LABEL.test(c.name)) fail(`${f}.name`, `"${c.name}" is not a container name.`);
    if (seen.has(c.name)) fail(`${f}.name`, `The container "${c.name}" is given twice.`);
    seen.add(c.name);
    return {
      name: c.name,
      image: optionalText(c.image, `${f}.image`, 1024),
      ready: c.ready ?? false,
      restartCount: nonNegativeInt(c.restartCount ?? 0, `${f}.restartCount`),
      state: c.state ?? 'WAITING',
      reason: optionalText(c.reason, `${f}.reason`, 256),
      exitCode: c.exitCode ?? null,
      cpuRequestMillis: optionalQuantity(cpuMillis, c.cpuRequest, `${f}.cpuRequest`) ?? 0,
      memoryRequestBytes: optionalQuantity(bytes, c.memoryRequest, `${f}.memoryRequest`) ?? 0,
      cpuLimitMillis: optionalQuantity(cpuMillis, c.cpuLimit, `${f}.cpuLimit`),
      memoryLimitBytes: optionalQuantity(bytes, c.memoryLimit, `${f}.memoryLimit`),
    };
  });
}

function observedAt(value: Date | null | undefined, field: string, now: Date): Date {
  if (!value) return now;
  if (value.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) fail(field, `${field} is in the future.`);
  if (value.getTime() < Date.UTC(2000, 0, 1)) fail(field, `${field} is before 2000.`);
  return value;
}

function podEvent(e: PodEventInput, field: string, now: Date): ClusterEvent {
  const p = e.pod;
  const f = `${field}.pod`;
  return {
    kind: 'Pod',
    type: e.type,
    observedAt: observedAt(e.observedAt, `${field}.observedAt`, now),
    pod: podSnapshot({
      namespace: namespaceName(p.namespace, `${f}.namespace`),
      name: objectName(p.name, `${f}.name`),
      uid: text(p.uid, `${f}.uid`, 128),
      resourceVersion: resourceVersion(p.resourceVersion, `${f}.resourceVersion`),
      phase: p.phase,
      reason: optionalText(p.reason, `${f}.reason`, 256),
      message: optionalText(p.message, `${f}.message`, 4096),
      nodeName: p.nodeName == null ? null : objectName(p.nodeName, `${f}.nodeName`),
      labels: labels(p.labels, `${f}.labels`, 'label'),
      annotations: labels(p.annotations, `${f}.annotations`, 'annotation'),
      owner: p.owner
        ? { kind: text(p.owner.kind, `${f}.owner.kind`, 64), name: objectName(p.owner.name, `${f}.owner.name`) }
        : null,
      conditions: conditions(p.conditions, `${f}.conditions`),
      containers: containers(p.containers, `${f}.containers`),
      startedAt: p.startedAt ?? null,
    }),
  };
}

function resourceList(r: ResourceListInput, field: string): ResourceList {
  return {
    cpuMillis: quantity(cpuMillis, r.cpu, `${field}.cpu`),
    memoryBytes: quantity(bytes, r.memory, `${field}.memory`),
    pods: nonNegativeInt(r.pods, `${field}.pods`),
    ephemeralStorageBytes: optionalQuantity(bytes, r.ephemeralStorage, `${field}.ephemeralStorage`),
  };
}

function nodeEvent(e: NodeEventInput, field: string, now: Date): ClusterEvent {
  const n = e.node;
  const f = `${field}.node`;
  const snapshot: NodeSnapshot = {
    name: objectName(n.name, `${f}.name`),
    uid: text(n.uid, `${f}.uid`, 128),
    resourceVersion: resourceVersion(n.resourceVersion, `${f}.resourceVersion`),
    labels: Object.entries(labels(n.labels, `${f}.labels`, 'label'))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`),
    info: {
      osImage: optionalText(n.osImage, `${f}.osImage`, 256),
      kernelVersion: optionalText(n.kernelVersion, `${f}.kernelVersion`, 256),
      kubeletVersion: optionalText(n.kubeletVersion, `${f}.kubeletVersion`, 64),
      containerRuntime: optionalText(n.containerRuntime, `${f}.containerRuntime`, 256),
      architecture: optionalText(n.architecture, `${f}.architecture`, 64),
      operatingSystem: optionalText(n.operatingSystem, `${f}.operatingSystem`, 64),
    },
    addresses: (n.addresses ?? []).map((a, i) => ({
      type: text(a.type, `${f}.addresses[${i}].type`, 64),
      address: text(a.address, `${f}.addresses[${i}].address`, 253),
    })),
    conditions: conditions(n.conditions, `${f}.conditions`),
    capacity: resourceList(n.capacity, `${f}.capacity`),
    allocatable: resourceList(n.allocatable, `${f}.allocatable`),
    taints: (n.taints ?? []).map((t, i) => {
      labelKey(t.key, `${f}.taints[${i}].key`);
      if (!TAINT_EFFECTS.includes(t.effect))
        fail(`${f}.taints[${i}].effect`, `A taint effect is one of ${TAINT_EFFECTS.join(', ')}.`);
      return { key: t.key, value: optionalText(t.value, `${f}.taints[${i}].value`, 63), effect: t.effect };
    }),
    unschedulable: n.unschedulable ?? false,
  };
  return {
    kind: 'Node',
    type: e.type,
    observedAt: observedAt(e.observedAt, `${field}.observedAt`, now),
    node: snapshot,
  };
}

/** Every event of an `ingestEvents` input, validated as a whole before anything is written. */
export function eventsFromInput(input: ClusterEventsInput, now = new Date()): ClusterEvent[] {
  const pods = input.pods ?? [];
  const nodes = input.nodes ?? [];
  const total = pods.length + nodes.length;
  if (total === 0) fail('input', 'No events: give at least one pod or node event.');
  if (total > MAX_BATCH) fail('input', `At most ${MAX_BATCH} events per call (got ${total}); split the batch.`);
  return [
    ...nodes.map((e, i) => nodeEvent(e, `input.nodes[${i}]`, now)),
    ...pods.map((e, i) => podEvent(e, `input.pods[${i}]`, now)),
  ];
}
