import { forbidden } from '@dataos/errors';
import { requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from './context.js';
import type { DecisionResult, ObjectRef } from './engine/types.js';
import { subjectOf } from './subject.js';

/** Decides for the caller and appends the decision to the log. */
export function decideFor(ctx: Context, action: string, object: ObjectRef): DecisionResult {
  const principal = requirePrincipal(ctx);
  const result = ctx.index.engine.decide(subjectOf(principal, ctx.index), action, object);
  ctx.decisionLog.append({
    time: new Date(),
    requestId: ctx.requestId,
    subject: principal.id,
    action,
    object: { path: object.path ?? null, tags: [...(object.tags ?? [])] },
    allowed: result.allowed,
    policies: result.policies,
    reason: result.reason,
  });
  return result;
}

/** Heimdall guards its own API with its own policies (`manage` on `/heimdall/policies`, ...). */
export function requireAllowed(ctx: Context, action: string, path: string): void {
  const result = decideFor(ctx, action, { path });
  if (!result.allowed) throw forbidden(`Not allowed to ${action} ${path}: ${result.reason}`, { action, object: path });
}
