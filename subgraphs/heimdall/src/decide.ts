import { notAllowed, requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from './context.js';
import type { DecisionResult, ObjectRef } from './engine/types.js';
import type { DecisionSubject } from './others.js';
import { subjectOf } from './subject.js';

/** Records a decision about `subjectId` in this request's share of the decision log. */
export function logDecision(
  ctx: Context,
  subjectId: string,
  action: string,
  object: ObjectRef,
  result: DecisionResult,
  askedBy: string | null = null,
): void {
  ctx.requestLog.record({
    time: new Date(),
    requestId: ctx.requestId,
    subject: subjectId,
    ...(askedBy ? { askedBy } : {}),
    action,
    object: { path: object.path ?? null, tags: [...(object.tags ?? [])] },
    allowed: result.allowed,
    policies: result.policies,
    reason: result.reason,
  });
}

/** Decides about a subject (the caller or, with the permission, another) and records who asked. */
export function decideAbout(ctx: Context, who: DecisionSubject, action: string, object: ObjectRef): DecisionResult {
  const result = ctx.index.engine.decide(who.subject, action, object);
  logDecision(ctx, who.subject.id, action, object, result, who.askedBy);
  return result;
}

/** Decides for the caller and records the decision. */
export function decideFor(ctx: Context, action: string, object: ObjectRef): DecisionResult {
  const principal = requirePrincipal(ctx);
  const result = ctx.index.engine.decide(subjectOf(principal, ctx.index), action, object);
  logDecision(ctx, principal.id, action, object, result);
  return result;
}

/**
 * Heimdall guards its own API with its own policies (`manage` on `/heimdall/policies`, ...): the
 * kit's `requireAllowed` (same name, same errors), answered by the local engine instead of over
 * HTTP, hence synchronous.
 */
export function requireAllowed(ctx: Context, action: string, path: string): void {
  const result = decideFor(ctx, action, { path });
  if (!result.allowed) throw notAllowed(action, path, result.reason);
}
