import type { Principal } from '@dataos/auth';
import type { Context } from './context.js';
import { subjectOf } from './subject.js';

/** A principal as the schema's `Subject`: token tags plus those assigned in Heimdall. */
export function subjectView(principal: Principal, ctx: Context) {
  return {
    id: principal.id,
    type: principal.type === 'application' ? ('APPLICATION' as const) : ('PERSON' as const),
    name: principal.name ?? null,
    email: principal.email ?? null,
    tags: [...subjectOf(principal, ctx.index).tags],
    scopes: principal.scopes,
    expiresAt: principal.expiresAt,
  };
}
