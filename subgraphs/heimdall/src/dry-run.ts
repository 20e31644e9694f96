import { badUserInput } from '@dataos/errors';
import { requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from './context.js';
import { requireAllowed } from './decide.js';
import { buildEngine } from './engine/engine.js';
import type { DecisionResult, ObjectRef, PolicyDefinition, SubjectContext } from './engine/types.js';
import type { PolicyDryRunInput } from './generated/resolvers.js';
import { checkFromInput, policyFromInput } from './mapping.js';
import { decisionSubject } from './others.js';
import { UNLOGGED_ACTION } from './request-log.js';
import { normalizeUserId } from './subject.js';

const MAX_CHANGES = 100;
const MAX_CHECKS = 1000;
const MAX_RECENT = 5000;

interface Check {
  key: string | null;
  subject: SubjectContext;
  action: string;
  object: ObjectRef;
}

/** The policies as they would be after the change: upserts replace by name, deletes remove. */
function proposed(
  current: readonly PolicyDefinition[],
  upsert: PolicyDefinition[],
  remove: string[],
): PolicyDefinition[] {
  const byName = new Map(current.map((p) => [p.name, p]));
  for (const name of remove) byName.delete(name);
  for (const p of upsert) byName.set(p.name, p);
  return [...byName.values()];
}

/** Checks named in the input: each subject resolved once, with the permission to ask about it. */
async function givenChecks(ctx: Context, input: NonNullable<PolicyDryRunInput['checks']>): Promise<Check[]> {
  if (input.length > MAX_CHECKS)
    throw badUserInput(`At most ${MAX_CHECKS} checks per dry run.`, { field: 'input.checks' });
  const valid = input.map((c, i) => ({
    ...checkFromInput(c, `input.checks[${i}]`),
    key: c.key ?? null,
    id: normalizeUserId(c.subject),
  }));
  const subjects = new Map<string, SubjectContext>();
  for (const id of new Set(valid.map((c) => c.id))) subjects.set(id, (await decisionSubject(ctx, id)).subject);
  return valid.map((c) => ({ key: c.key, subject: subjects.get(c.id)!, action: c.action, object: c.object }));
}

/** The most recent distinct decisions of the log, about subjects as their profiles know them. */
async function recentChecks(ctx: Context, recent: number): Promise<Check[]> {
  if (recent < 1 || recent > MAX_RECENT) {
    throw badUserInput(`recent must be from 1 to ${MAX_RECENT}.`, { field: 'input.recent' });
  }
  requireAllowed(ctx, 'read', '/heimdall/decisions');
  await ctx.decisionLog.flush();
  const { docs } = await ctx.decisionLog.page(recent, null, {});
  const seen = new Set<string>();
  const entries = docs.filter((d) => {
    // Summaries and grants are not decisions about one object.
    if (d.action === UNLOGGED_ACTION || d.action.includes(':')) return false;
    const key = JSON.stringify([d.subject, d.action, d.object.path, d.object.tags]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const subjects = new Map<string, SubjectContext>();
  for (const id of new Set(entries.map((d) => d.subject))) {
    const profile = await ctx.profiles.get(id);
    const tags = new Set([id, ...(profile?.tokenTags ?? []), ...ctx.index.assignedTags(id)]);
    subjects.set(id, { id, tags: [...tags].sort(), claims: profile?.claims ?? {} });
  }
  return entries.map((d) => ({
    key: null,
    subject: subjects.get(d.subject)!,
    action: d.action,
    object: { path: d.object.path, tags: d.object.tags },
  }));
}

const view = (c: Check, r: DecisionResult) => ({
  key: c.key,
  subject: c.subject.id,
  action: c.action,
  object: { path: c.object.path ?? null, tags: [...(c.object.tags ?? [])] },
  ...r,
});

/**
 * `policyDryRun`: the decisions a change would flip, against the policies in memory now, with
 * nothing written. Both sides are decided at the same instant and for the same subjects, so a
 * flip is the change's doing and nothing else's.
 */
export async function policyDryRun(ctx: Context, given: PolicyDryRunInput) {
  requirePrincipal(ctx);
  const input = {
    upsert: given.upsert ?? [],
    delete: given.delete ?? [],
    checks: given.checks,
    recent: given.recent ?? 1000,
  };
  if (input.upsert.length > MAX_CHANGES || input.delete.length > MAX_CHANGES) {
    throw badUserInput(`At most ${MAX_CHANGES} upserts and ${MAX_CHANGES} deletes per dry run.`, { field: 'input' });
  }
  const upsert = input.upsert.map((p, i) => {
    try {
      return policyFromInput(p);
    } catch (error) {
      // policyFromInput names `input.<field>`: say which upsert.
      const e = error as { extensions?: { field?: string } };
      if (e.extensions?.field) e.extensions.field = e.extensions.field.replace(/^input\./, `input.upsert[${i}].`);
      throw error;
    }
  });
  requireAllowed(ctx, 'read', '/heimdall/policies');
  const version = ctx.index.sequence;
  const before = ctx.index.engine;
  const unknown = input.delete.findIndex((name) => !before.get(name));
  if (unknown >= 0)
    throw badUserInput(`No policy named "${input.delete[unknown]}".`, { field: `input.delete[${unknown}]` });
  const after = buildEngine(proposed(before.definitions, upsert, input.delete));
  const checks = input.checks ? await givenChecks(ctx, input.checks) : await recentChecks(ctx, input.recent);
  const now = new Date();
  const flipped = [];
  let changedReasons = 0;
  for (const c of checks) {
    const was = before.decide(c.subject, c.action, c.object, now);
    const will = after.decide(c.subject, c.action, c.object, now);
    if (was.allowed !== will.allowed) {
      const { key, subject, action, object } = view(c, was);
      flipped.push({ key, subject, action, object, before: view(c, was), after: view(c, will) });
    } else if (was.policies.join('\u0000') !== will.policies.join('\u0000')) changedReasons++;
  }
  return { evaluated: checks.length, flipped, changedReasons, version };
}
