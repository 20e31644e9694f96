import { badUserInput } from '@dataos/errors';
import { patternProblem } from '@dataos/patterns';
import type { Context } from './context.js';
import { logDecision } from './decide.js';
import { computeGrants, type GrantSet } from './engine/grants.js';
import type { SubjectContext } from './engine/types.js';
import type { GrantsInput } from './generated/resolvers.js';
import { checkFromInput } from './mapping.js';
import { decisionSubject } from './others.js';

/** Scopes and actions remembered per subject and load at most: the caller chooses the scope. */
const MAX_CACHED_PER_SUBJECT = 32;

/**
 * Grants by policy load and subject (the same tag array for every request with one token until
 * the next load), so a service asking once per request pays the partial evaluation once per
 * token and load. An entry is reused only before its `validUntil`.
 */
const cache = new WeakMap<object, WeakMap<readonly string[], Map<string, GrantSet>>>();

function cachedGrants(ctx: Context, subject: SubjectContext, action: string, scope: string): GrantSet {
  const definitions = ctx.index.engine.definitions;
  let bySubject = cache.get(definitions);
  if (!bySubject) cache.set(definitions, (bySubject = new WeakMap()));
  let entries = bySubject.get(subject.tags);
  if (!entries) bySubject.set(subject.tags, (entries = new Map()));
  const key = `${action}\u0000${scope}`;
  const now = new Date();
  const hit = entries.get(key);
  if (hit && (hit.validUntil === null || now < hit.validUntil)) return hit;
  const fresh = computeGrants(definitions, subject, action, scope, now);
  if (entries.size >= MAX_CACHED_PER_SUBJECT) entries.clear();
  entries.set(key, fresh);
  return fresh;
}

/** The action grants are logged under: not a real action, so it never mixes with decisions. */
export const grantsAction = (action: string) => `grants:${action}`;

/**
 * `grants`: the subject's policies partially evaluated (src/engine/grants.ts) into patterns a
 * service checks locally. One decision-log entry per call sums it up, in place of the per-object
 * decisions it saves.
 */
export async function grantsResolver(ctx: Context, input: GrantsInput) {
  const { action } = checkFromInput({ action: input.action, object: { path: '/' } }, 'input');
  const problem = patternProblem(input.scope, 'path');
  if (problem || !/^(\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(input.scope)) {
    throw badUserInput(problem ?? `Scope "${input.scope}" is not a path glob: it starts with / or scheme://.`, {
      field: 'input.scope',
    });
  }
  const who = await decisionSubject(ctx, input.subject);
  const version = ctx.index.sequence;
  const g = cachedGrants(ctx, who.subject, action, input.scope);
  const count = (p: { paths: string[]; tags: string[] }) => p.paths.length + p.tags.length;
  const allowed = count(g.allow) > 0;
  logDecision(
    ctx,
    who.subject.id,
    grantsAction(action),
    { path: input.scope, tags: [] },
    {
      allowed,
      policies: g.policies,
      reason: `grants at version ${version}: ${count(g.allow)} allow, ${count(g.deny)} deny and ${count(g.needsDecision)} needs-decision patterns`,
    },
    who.askedBy,
  );
  return { subject: who.subject.id, action, scope: input.scope, ...g, version };
}
