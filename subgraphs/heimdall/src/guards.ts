import { forbidden } from '@dataos/errors';
import { ADMIN_POLICY, ROUTER_POLICY, adminTags, bootstrapPolicies } from './bootstrap.js';
import { buildEngine } from './engine/engine.js';
import type { PolicyDefinition } from './engine/types.js';
import type { PolicyIndex } from './policy-index.js';

const CHANGE_ADMINS = 'set HEIMDALL_ADMIN_TAGS and restart Heimdall to change who administers it';

/**
 * `heimdall-admins` is what lets anybody fix the policies, `heimdall-router` what lets the router
 * enforce `@policy`: both come from settings, so the API never deletes or rewrites them.
 */
export function refuseAdminPolicyChange(name: string, verb: 'delete' | 'change'): void {
  if (name === ROUTER_POLICY) {
    throw forbidden(
      `"${ROUTER_POLICY}" is Heimdall's bootstrap policy for the router's identity: it cannot be ${verb === 'delete' ? 'deleted' : 'changed'} through the API; set HEIMDALL_ROUTER_TAGS and restart Heimdall to change who the router is.`,
      { field: 'name', policy: ROUTER_POLICY },
    );
  }
  if (name !== ADMIN_POLICY) return;
  throw forbidden(
    `"${ADMIN_POLICY}" is Heimdall's bootstrap admin policy: it cannot be ${verb === 'delete' ? 'deleted' : 'changed'} through the API, which could lock every administrator out; ${CHANGE_ADMINS}.`,
    { field: 'name', policy: ADMIN_POLICY },
  );
}

/**
 * A deny policy must not take `manage` on `/heimdall/policies` from the administrators (deny
 * overrides allow, so the bootstrap policy would not help). Conditions are ignored on purpose:
 * a deny that locks them out only at night or from next month is refused too.
 */
export function refuseAdminLockout(policy: PolicyDefinition, index: PolicyIndex): void {
  if (policy.effect !== 'deny') return;
  const admins = index.engine.get(ADMIN_POLICY) ?? bootstrapPolicies()[0]!;
  const tags = admins.subjects[0] ?? adminTags();
  const engine = buildEngine([admins, { ...policy, conditions: null }]);
  const subject = { id: 'users:id:heimdall-administrator', tags, claims: {} };
  const result = engine.decide(subject, 'manage', { path: '/heimdall/policies' });
  if (result.allowed) return;
  throw forbidden(
    `Deny policy "${policy.name}" would take manage on /heimdall/policies from the administrators (subjects ${tags.join(' AND ')}), locking everyone out of Heimdall; narrow its subjects, actions or objects.`,
    { field: 'input', policy: policy.name },
  );
}
