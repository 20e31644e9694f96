import { TokenError, type Principal } from '@dataos/auth';
import { badUserInput, forbidden, unauthenticated } from '@dataos/errors';
import { ROUTER_AUTHORIZATION_OBJECT } from './bootstrap.js';
import type { Context } from './context.js';
import { logDecision } from './decide.js';
import type { NamedPolicyResult } from './engine/types.js';
import { SUBJECT_TOKEN_HEADER } from './request-plugin.js';
import { subjectOf } from './subject.js';
import { subjectView } from './subject-view.js';

const POLICIES_OBJECT = '/heimdall/policies';

/**
 * What a caller who may not learn about policies gets for every name: the same words whether the
 * policy is missing, a deny, does not apply or would pass, so the answer cannot be used to probe.
 */
export const NOT_EVALUATED =
  'not evaluated: only the router and callers who may read policies learn how named policies answer';

/**
 * May this caller learn how named policies answer? The router's identity (`read` on
 * `/heimdall/router-authorization`, the bootstrap policy `heimdall-router`) and whoever may read
 * the policies anyway. One decision is logged: the one that decided.
 */
function mayLearnPolicies(ctx: Context, caller: Principal): boolean {
  const subject = subjectOf(caller, ctx.index);
  const asRouter = ctx.index.engine.decide(subject, 'read', { path: ROUTER_AUTHORIZATION_OBJECT });
  if (asRouter.allowed) {
    logDecision(ctx, caller.id, 'read', { path: ROUTER_AUTHORIZATION_OBJECT }, asRouter);
    return true;
  }
  const asReader = ctx.index.engine.decide(subject, 'read', { path: POLICIES_OBJECT });
  logDecision(
    ctx,
    caller.id,
    'read',
    { path: asReader.allowed ? POLICIES_OBJECT : ROUTER_AUTHORIZATION_OBJECT },
    asReader.allowed ? asReader : asRouter,
  );
  return asReader.allowed;
}

/** The subject of the answer: the caller itself, or the token the router sent for its own caller. */
async function subjectOfRequest(
  ctx: Context,
  names: string[],
): Promise<{ principal: Principal | null; tokenError?: TokenError; mayLearn: boolean }> {
  if (ctx.subjectToken === undefined) {
    if (!ctx.principal)
      return { principal: null, ...(ctx.tokenError ? { tokenError: ctx.tokenError } : {}), mayLearn: false };
    return { principal: ctx.principal, mayLearn: names.length > 0 && mayLearnPolicies(ctx, ctx.principal) };
  }
  // Someone asks about another token: only an enforcement point may, authenticated as itself.
  if (!ctx.principal) {
    throw unauthenticated(
      ctx.tokenError
        ? `The caller's own token is not valid (${ctx.tokenError.message}); a ${SUBJECT_TOKEN_HEADER} is answered only to the router's identity.`
        : `A ${SUBJECT_TOKEN_HEADER} is answered only to a caller authenticated as the router (bearer token).`,
      { reason: ctx.tokenError?.reason ?? 'missing' },
    );
  }
  if (!mayLearnPolicies(ctx, ctx.principal)) {
    throw forbidden(
      `Only the router's identity (or a caller who may read policies) may ask about another subject's token (${SUBJECT_TOKEN_HEADER}).`,
      {
        action: 'read',
        object: ROUTER_AUTHORIZATION_OBJECT,
      },
    );
  }
  try {
    return { principal: await ctx.verifier.verify(ctx.subjectToken), mayLearn: true };
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    return { principal: null, tokenError: error, mayLearn: true };
  }
}

/**
 * `routerAuthorization(policies:)`: who holds the token and which named policies pass for them.
 * At most `HEIMDALL_ROUTER_MAX_POLICIES` names per call; results are logged per name only when
 * they were evaluated (for the router or a policy reader), through the request's capped log.
 */
export async function routerAuthorization(ctx: Context, policies: readonly string[]) {
  const max = ctx.settings.routerMaxPolicies;
  if (policies.length > max) {
    throw badUserInput(
      `At most ${max} policy names per call (HEIMDALL_ROUTER_MAX_POLICIES); ${policies.length} were sent.`,
      { field: 'policies' },
    );
  }
  const names = [...new Set(policies)];
  const { principal, tokenError, mayLearn } = await subjectOfRequest(ctx, names);
  if (!principal) {
    return {
      authenticated: false,
      reason: tokenError?.message ?? 'No bearer token was sent.',
      tokenFailure: tokenError?.reason ?? 'missing',
      subject: null,
      scopes: [],
      policies: names.map((name) => ({ name, allowed: false, reason: 'not authenticated' })),
      expiresAt: null,
    };
  }
  let results: NamedPolicyResult[];
  if (mayLearn) {
    results = ctx.index.engine.evaluateNamed(subjectOf(principal, ctx.index), names);
    for (const r of results) {
      logDecision(
        ctx,
        principal.id,
        'evaluate',
        { path: `@policy/${r.name}` },
        { allowed: r.allowed, policies: [r.name], reason: r.reason },
      );
    }
  } else {
    results = names.map((name) => ({ name, allowed: false, reason: NOT_EVALUATED }));
  }
  return {
    authenticated: true,
    reason: null,
    tokenFailure: null,
    subject: subjectView(principal, ctx),
    scopes: principal.scopes,
    policies: results,
    expiresAt: principal.expiresAt,
  };
}
