/**
 * The Kubernetes label and annotation names Caretaker reads, in one place.
 *
 * A pod's owning DataOS resource (a workflow, a service, ...) is its URN. Kubernetes label
 * values cannot hold `:` or `/`, so on a real cluster the URN travels as the annotation
 * `dataos.io/resource-urn`, or as three labels (type, workspace, name) from which it is built.
 * The label `dataos.io/resource-urn` is accepted as well (ingest through GraphQL).
 */
export const LABELS = {
  resourceUrn: 'dataos.io/resource-urn',
  resourceType: 'dataos.io/resource-type',
  workspace: 'dataos.io/workspace',
  resourceName: 'dataos.io/resource-name',
  /** Set by the Deployment controller on pods of a ReplicaSet: `<deployment>-<hash>`. */
  podTemplateHash: 'pod-template-hash',
  /** `node-role.kubernetes.io/<role>` labels give a node its roles. */
  nodeRolePrefix: 'node-role.kubernetes.io/',
} as const;

/** `dataos://<type>:<workspace>/<name>` (the form DataOS workflows carry). */
const DATAOS_RESOURCE_URN = /^dataos:\/\/([a-z][a-z0-9-]{0,62}):([A-Za-z0-9][A-Za-z0-9_.-]{0,62})\/([A-Za-z0-9][A-Za-z0-9_./-]{0,252})$/;
/** `resource://<kind>/<workspace>/<name>` (the form Metis catalogues resources under). */
const METIS_RESOURCE_URN = /^resource:\/\/([a-z][a-z0-9-]{0,62})\/([A-Za-z0-9][A-Za-z0-9_-]{0,62})\/([A-Za-z0-9][A-Za-z0-9_.-]{0,252})$/;

export interface ResourceRef {
  type: string;
  workspace: string;
  name: string;
}

/** The parts of a resource URN in either form; null when it is not one. URNs are otherwise opaque here. */
export function parseResourceUrn(urn: string): ResourceRef | null {
  const m = DATAOS_RESOURCE_URN.exec(urn) ?? METIS_RESOURCE_URN.exec(urn);
  return m ? { type: m[1]!.toLowerCase(), workspace: m[2]!, name: m[3]! } : null;
}

export const resourceUrn = (type: string, workspace: string, name: string) => `dataos://${type}:${workspace}/${name}`;

/** The resource type of a URN (`workflow` for `dataos://workflow:retail/orders-ingest`). */
export function resourceTypeOf(urn: string | null): string | null {
  return urn ? (parseResourceUrn(urn)?.type ?? null) : null;
}

/**
 * The owning DataOS resource of a pod: the annotation, else the label, else built from the
 * type/workspace/name labels. Null when the pod carries none (system pods).
 */
export function owningResourceUrn(labels: Record<string, string>, annotations: Record<string, string>): string | null {
  const direct = annotations[LABELS.resourceUrn] ?? labels[LABELS.resourceUrn];
  if (direct) return direct;
  const type = labels[LABELS.resourceType];
  const workspace = labels[LABELS.workspace];
  const name = labels[LABELS.resourceName];
  return type && workspace && name ? resourceUrn(type, workspace, name) : null;
}

/** Roles from `node-role.kubernetes.io/<role>` labels. */
export function nodeRoles(labels: Record<string, string>): string[] {
  return Object.keys(labels)
    .filter((k) => k.startsWith(LABELS.nodeRolePrefix))
    .map((k) => k.slice(LABELS.nodeRolePrefix.length))
    .filter(Boolean)
    .sort();
}

/** Labels are stored as `key=value` strings: FerretDB refuses `.` in field names, and label keys have dots. */
export const labelPair = (key: string, value: string) => `${key}=${value}`;
