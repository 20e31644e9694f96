import type { Principal } from '@dataos/auth';
import type { SubjectContext } from './engine/types.js';
import type { PolicyIndex } from './policy-index.js';

/** The subject a decision is about: the token's tags plus those assigned in Heimdall (computed once per principal and load). */
export const subjectOf = (principal: Principal, index: PolicyIndex): SubjectContext => index.subjectFor(principal);

/** `alice` and `users:id:alice` name the same user. */
export const normalizeUserId = (userId: string) => (userId.startsWith('users:id:') ? userId : `users:id:${userId}`);
