import type { Principal } from '@dataos/auth';
import type { SubjectContext } from './engine/types.js';
import type { PolicyIndex } from './policy-index.js';

/** The subject a decision is about: the token's tags plus those assigned in Heimdall. */
export function subjectOf(principal: Principal, index: PolicyIndex): SubjectContext {
  const assigned = index.assignedTags(principal.id);
  return {
    id: principal.id,
    tags: assigned.length ? [...new Set([...principal.tags, ...assigned])] : principal.tags,
    claims: principal.claims,
  };
}

/** `alice` and `users:id:alice` name the same user. */
export const normalizeUserId = (userId: string) => (userId.startsWith('users:id:') ? userId : `users:id:${userId}`);
