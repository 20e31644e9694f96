import { createHash } from 'node:crypto';
import { parseResourceUrn } from '../labels.js';

/** Metis's `ResourceKind`s: the resource types Metis catalogues (its schema.graphql). */
const METIS_KINDS = ['workflow', 'service', 'depot', 'cluster', 'policy', 'secret', 'compute'] as const;
export type MetisKind = Uppercase<(typeof METIS_KINDS)[number]>;

// Metis's own input rules (subgraphs/metis/src/validate.ts), checked here so that a resource
// Metis would refuse is reported as skipped instead of failing every run.
const WORKSPACE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const RESOURCE_NAME = /^[a-z0-9][a-z0-9_.-]{0,127}$/i;

/** What Caretaker tells Metis about a resource: that it exists, with its kind, workspace and name. */
export interface MetisResource {
  urn: string;
  input: { kind: MetisKind; workspace: string; name: string };
  /** Hash of `input`: a resource is pushed again when it changes. */
  fingerprint: string;
}

export interface Skipped {
  urn: string;
  reason: string;
}

/**
 * The Metis resources behind the resource URNs of Caretaker's pods, each once and sorted; URNs
 * Metis has no kind or name for are skipped with the reason. Caretaker sends only identity
 * fields: `upsertResource` leaves omitted fields alone, so owners, tags and descriptions set in
 * Metis are never overwritten.
 */
export function metisResources(urns: Iterable<string | null>): { resources: MetisResource[]; skipped: Skipped[] } {
  const resources = new Map<string, MetisResource>();
  const skipped = new Map<string, Skipped>();
  for (const raw of urns) {
    if (!raw) continue;
    const ref = parseResourceUrn(raw);
    if (!ref) {
      skipped.set(raw, { urn: raw, reason: 'not a resource URN' });
    } else if (!(METIS_KINDS as readonly string[]).includes(ref.type)) {
      skipped.set(ref.urn, { urn: ref.urn, reason: `Metis has no resource kind "${ref.type}"` });
    } else if (!WORKSPACE.test(ref.workspace) || !RESOURCE_NAME.test(ref.name)) {
      skipped.set(ref.urn, { urn: ref.urn, reason: 'workspace or name outside what Metis accepts' });
    } else if (!resources.has(ref.urn)) {
      const input = { kind: ref.type.toUpperCase() as MetisKind, workspace: ref.workspace, name: ref.name };
      const fingerprint = createHash('sha256').update(JSON.stringify(input)).digest('hex').slice(0, 32);
      resources.set(ref.urn, { urn: ref.urn, input, fingerprint });
    }
  }
  const byUrn = (a: { urn: string }, b: { urn: string }) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);
  return { resources: [...resources.values()].sort(byUrn), skipped: [...skipped.values()].sort(byUrn) };
}
