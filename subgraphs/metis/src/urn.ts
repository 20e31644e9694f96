import { badUserInput } from '@dataos/errors';
import type { ResourceKind } from './store/records.js';

/** `dataos://depot:collection/dataset` (DataOS UDL). */
const URN = /^dataos:\/\/([a-z][a-z0-9_-]*):([a-z0-9_-]+)\/([a-z0-9_.-]+)$/i;
/**
 * Resources: `dataos://<kind>:<workspace>/<name>` (the form DataOS resources and Caretaker's pods
 * carry; the resource kinds are reserved depot names). `resource://<kind>/<workspace>/<name>` is
 * accepted too and read as the same resource.
 */
const RESOURCE_URN = /^dataos:\/\/([a-z]+):([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_.-]*)$/i;
const RESOURCE_URN_ALIAS = /^resource:\/\/([a-z]+)\/([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_.-]*)$/i;
const DEPOT = /^[a-z][a-z0-9_-]{0,63}$/i;

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  'WORKFLOW',
  'SERVICE',
  'DEPOT',
  'CLUSTER',
  'POLICY',
  'SECRET',
  'COMPUTE',
];

export interface DatasetUrn {
  urn: string;
  depot: string;
  collection: string;
  name: string;
}

export function parseDatasetUrn(urn: string): DatasetUrn | null {
  const m = URN.exec(urn);
  return m ? { urn, depot: m[1]!, collection: m[2]!, name: m[3]! } : null;
}

export function assertUrn(urn: string, field = 'urn'): string {
  if (!URN.test(urn)) {
    throw badUserInput(`"${urn}" is not a dataset URN: expected dataos://depot:collection/dataset.`, { field });
  }
  return urn;
}

export function assertDepot(name: string, field: string): string {
  if (!DEPOT.test(name))
    throw badUserInput(`"${name}" is not a depot name: letters, digits, "_" and "-", starting with a letter.`, {
      field,
    });
  return name;
}

/** A depot that may hold datasets: not one of the names resource URNs use. */
export function assertDatasetDepot(name: string, field: string): string {
  assertDepot(name, field);
  if ((RESOURCE_KINDS as readonly string[]).includes(name.toUpperCase())) {
    throw badUserInput(`"${name}" is reserved for resource URNs (dataos://${name}:<workspace>/<name>).`, { field });
  }
  return name;
}

export interface ResourceUrn {
  urn: string;
  kind: ResourceKind;
  workspace: string;
  name: string;
}

export const resourceUrn = (kind: ResourceKind, workspace: string, name: string) =>
  `dataos://${kind.toLowerCase()}:${workspace}/${name}`;

/** The parts of a resource URN in either form, with its canonical URN. */
export function parseResourceUrn(urn: string): ResourceUrn | null {
  const m = RESOURCE_URN.exec(urn) ?? RESOURCE_URN_ALIAS.exec(urn);
  const kind = m?.[1]?.toUpperCase() as ResourceKind | undefined;
  if (!m || !kind || !RESOURCE_KINDS.includes(kind)) return null;
  return { urn: resourceUrn(kind, m[2]!, m[3]!), kind, workspace: m[2]!, name: m[3]! };
}

export function assertResourceUrn(urn: string, field = 'urn'): ResourceUrn {
  const parsed = parseResourceUrn(urn);
  if (!parsed) {
    throw badUserInput(
      `"${urn}" is not a resource URN: expected dataos://<kind>:<workspace>/<name> with kind one of ${RESOURCE_KINDS.map((k) => k.toLowerCase()).join(', ')}.`,
      { field },
    );
  }
  return parsed;
}

/** Heimdall object paths of catalog objects that are not datasets. */
export const objectPaths = {
  resource: (urn: string) => {
    const r = parseResourceUrn(urn);
    return r ? `/metis/resources/${r.kind.toLowerCase()}/${r.workspace}/${r.name}` : `/metis/resources/unknown`;
  },
  glossaryTerm: (name: string) => `/metis/glossary/${encodeURIComponent(name)}`,
  domain: (name: string) => `/metis/domains/${encodeURIComponent(name)}`,
  source: (name: string) => `/metis/sources/${name}`,
  /** The depot itself, as a UDL: its connection details are read with `read` on it. */
  depot: (name: string) => `dataos://${name}`,
};
