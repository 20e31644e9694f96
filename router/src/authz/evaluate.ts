import type { TokenRefusal } from './authenticate.js';
import type { Requirement } from './requirements.js';

/** What the router knows of the caller for one request, from Heimdall's answer. */
export interface CallerAuthorization {
  authenticated: boolean;
  /** The token's scopes (what `@requiresScopes` is checked against). */
  scopes: ReadonlySet<string>;
  /** Heimdall's verdict for each `@policy` name asked; a name not asked counts as denied. */
  policies: ReadonlyMap<string, boolean>;
  /** Why the caller is not authenticated or Heimdall could not decide, for logs and errors. */
  reason?: string;
  /** Heimdall could not be asked: everything protected is denied (fail closed). */
  unavailable?: boolean;
  /** The presented token is not valid (expired, tampered, ...): the request is refused whole (401). */
  invalidToken?: TokenRefusal;
}

export const ANONYMOUS: CallerAuthorization = Object.freeze({
  authenticated: false,
  scopes: new Set<string>(),
  policies: new Map<string, boolean>(),
  reason: 'No bearer token was sent.',
});

/** `@requiresScopes` and `@policy` lists: any group (OR) whose members all hold (AND). */
const anyGroup = (groups: string[][], holds: (item: string) => boolean) => groups.some((group) => group.every(holds));

export function isSatisfied(requirement: Requirement, caller: CallerAuthorization): boolean {
  if (requirement.authenticated && !caller.authenticated) return false;
  for (const clause of requirement.scopes) {
    if (!anyGroup(clause, (scope) => caller.scopes.has(scope))) return false;
  }
  for (const clause of requirement.policies) {
    if (!anyGroup(clause, (name) => caller.policies.get(name) === true)) return false;
  }
  return true;
}

/**
 * Which of `requirements` the caller fails: a key (`"0110"`, one digit per requirement) or
 * `undefined` when all pass.
 */
export function deniedKey(requirements: readonly Requirement[], caller: CallerAuthorization): string | undefined {
  let key = '';
  let denied = false;
  for (const requirement of requirements) {
    const ok = !caller.unavailable && isSatisfied(requirement, caller);
    if (!ok) denied = true;
    key += ok ? '0' : '1';
  }
  return denied ? key : undefined;
}
