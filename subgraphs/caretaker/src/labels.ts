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

/**
 * `dataos://<type>:<workspace>/<name>`: the canonical form, the one Metis federates `Resource`
 * under (Metis's `parseResourceUrn`, subgraphs/metis/src/urn.ts). The type is matched without
 * case and stored lowercase, as Metis does.
 */
const DATAOS_RESOURCE_URN =
  /^dataos:\/\/([A-Za-z][A-Za-z0-9-]{0,62}):([A-Za-z0-9][A-Za-z0-9_.-]{0,62})\/([A-Za-z0-9][A-Za-z0-9_./-]{0,252})$/;
/** `resource://<kind>/<workspace>/<name>`: an alias Metis accepts as input and reads as the same resource. */
const RESOURCE_URN_ALIAS =
  /^resource:\/\/([A-Za-z][A-Za-z0-9-]{0,62})\/([A-Za-z0-9][A-Za-z0-9_-]{0,62})\/([A-Za-z0-9][A-Za-z0-9_.-]{0,252})$/;

export const resourceUrn = (type: string, workspace: string, name: string) => `dataos://${type}:${workspace}/${name}`;

export interface ResourceRef {
  type: string;
  workspace: string;
  name: string;
  /** The canonical URN, `dataos://<type>:<workspace>/<name>`. */
  urn: string;
}

/** The parts of a resource URN in either form, with its canonical URN; null when it is not one. */
export function parseResourceUrn(urn: string): ResourceRef | null {
  const m = DATAOS_RESOURCE_URN.exec(urn) ?? RESOURCE_URN_ALIAS.exec(urn);
  if (!m) return null;
  const type = m[1]!.toLowerCase();
  return { type, workspace: m[2]!, name: m[3]!, urn: resourceUrn(type, m[2]!, m[3]!) };
}

/**
 * The canonical form of a resource URN (what is stored and matched), so that a pod labelled
 * `resource://workflow/retail/x` joins Metis's `dataos://workflow:retail/x`. A value that is no
 * resource URN is returned as given (opaque).
 */
export const canonicalResourceUrn = (urn: string): string => parseResourceUrn(urn)?.urn ?? urn;

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
  if (direct) return canonicalResourceUrn(direct);
  const type = labels[LABELS.resourceType];
  const workspace = labels[LABELS.workspace];
  const name = labels[LABELS.resourceName];
  return type && workspace && name ? canonicalResourceUrn(resourceUrn(type, workspace, name)) : null;
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
