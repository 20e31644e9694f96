import { useQuery } from '@apollo/client/react';
import { ConsoleCapabilitiesDocument } from '@dataos/client';

/**
 * What the signed-in user may do, asked of Heimdall for them in one `decideBatch`: the console
 * shows only the screens and actions these allow. The API stays the judge (each call is checked
 * again); this only spares the user screens that would answer "forbidden". Re-asked when a
 * policy change arrives (see the policy pages), so a grant or a revocation shows without reload.
 */
export const CAPABILITY_CHECKS = {
  pods: ['read', '/caretaker/pods'],
  nodes: ['read', '/caretaker/nodes'],
  clusters: ['manage', '/gateway/clusters'],
  allQueries: ['read', '/gateway/queries'],
  accessPolicies: ['read', '/heimdall/policies'],
  manageAccessPolicies: ['manage', '/heimdall/policies'],
  decisions: ['read', '/heimdall/decisions'],
  userTags: ['read', '/heimdall/users'],
  manageUserTags: ['manage', '/heimdall/users'],
  dataPolicies: ['read', '/gateway/policies'],
  manageDataPolicies: ['manage', '/gateway/policies'],
} as const;

export type Capability = keyof typeof CAPABILITY_CHECKS;

const INPUTS = Object.entries(CAPABILITY_CHECKS).map(([key, [action, path]]) => ({ key, action, object: { path } }));

export interface Capabilities {
  /** False until Heimdall answered (nothing is shown as allowed before). */
  known: boolean;
  can(capability: Capability): boolean;
  /** Heimdall's reason, for "you may not" notices. */
  reason(capability: Capability): string | undefined;
}

/** Pure: the answers of decideBatch as capabilities (a missing answer is a no). */
export function capabilitiesOf(
  answers: readonly { key?: string | null; allowed: boolean; reason: string }[] | undefined,
): Capabilities {
  const byKey = new Map((answers ?? []).map((a) => [a.key ?? '', a]));
  return {
    known: answers !== undefined,
    can: (capability) => byKey.get(capability)?.allowed === true,
    reason: (capability) => byKey.get(capability)?.reason,
  };
}

/** The Operations app: any of its screens. */
export const mayOperate = (c: Capabilities) => c.can('pods') || c.can('nodes');
/** The policy console: any of its screens. */
export const mayAdministerPolicies = (c: Capabilities) =>
  c.can('accessPolicies') || c.can('decisions') || c.can('userTags') || c.can('dataPolicies');

export function useCapabilities(): Capabilities {
  const { data } = useQuery(ConsoleCapabilitiesDocument, {
    variables: { inputs: INPUTS },
    fetchPolicy: 'cache-first',
  });
  return capabilitiesOf(data?.decideBatch);
}
