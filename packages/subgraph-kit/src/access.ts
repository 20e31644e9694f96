import { forbidden, type ErrorDetails } from '@dataos/errors';
import type { GraphQLError } from 'graphql';
import { requirePrincipal, type BaseContext } from './context.js';

/**
 * The Heimdall check every subgraph makes (zero trust: whatever the router decided). One name and
 * one meaning everywhere: UNAUTHENTICATED without a caller, then FORBIDDEN naming the action and
 * the object; a resolver calls it before it validates its input, so a caller who may not act
 * learns nothing from validation errors.
 *
 * The types are structural (a heimdall-client `ObjectRef` and `HeimdallSession`), so that the kit
 * needs no Heimdall dependency and Heimdall itself can answer from its local engine.
 */
export interface AccessObject {
  /** A path (`/caretaker/pods`) or URN (`dataos://icebase:retail/customers`). */
  path?: string;
  tags?: string[];
}

/** The request's Heimdall session: checks of one tick go to Heimdall in one call, answers are cached for the request. */
export interface AccessDecider {
  decide(action: string, object: AccessObject): Promise<{ allowed: boolean; reason?: string }>;
}

export interface AccessContext extends BaseContext {
  heimdall: AccessDecider;
}

const objectOf = (object: string | AccessObject): AccessObject =>
  typeof object === 'string' ? { path: object } : object;

/** The FORBIDDEN error of a refused check: the action and the object, Heimdall's reason when known, and the input field when it comes from one. */
export function notAllowed(
  action: string,
  object: string | AccessObject,
  reason?: string,
  details?: ErrorDetails,
): GraphQLError {
  const path = objectOf(object).path ?? 'this object';
  return forbidden(`Not allowed to ${action} ${path}${reason ? `: ${reason}` : '.'}`, {
    ...details,
    action,
    path,
    ...(reason ? { reason } : {}),
  });
}

/** The caller may `action` on `object` (a path, or a path with tags), or this throws. */
export async function requireAllowed(
  ctx: AccessContext,
  action: string,
  object: string | AccessObject,
  details?: ErrorDetails,
): Promise<void> {
  requirePrincipal(ctx);
  const decision = await ctx.heimdall.decide(action, objectOf(object));
  if (!decision.allowed) throw notAllowed(action, object, decision.reason, details);
}

/** Whether the caller may `action` on `object`; UNAUTHENTICATED without a caller. */
export async function isAllowed(ctx: AccessContext, action: string, object: string | AccessObject): Promise<boolean> {
  requirePrincipal(ctx);
  return (await ctx.heimdall.decide(action, objectOf(object))).allowed;
}
