import { notAllowed, requirePrincipal } from '@dataos/subgraph-kit';
import type { Context } from './context.js';
import { decideFor } from './decide.js';
import type { SubjectContext } from './engine/types.js';
import { normalizeUserId, subjectOf } from './subject.js';

/** Who a decision is about, and who asked when that is someone else. */
export interface DecisionSubject {
  subject: SubjectContext;
  /** The caller, when the decision is about another subject. */
  askedBy: string | null;
  /** For another subject: when its last token was seen, or null if never (only assigned tags then). */
  seenAt: Date | null;
}

/** The object guarding decisions about a subject: `read` on it is the permission to ask about them. */
export const subjectObject = (id: string) => `/heimdall/subjects/${id}`;

/**
 * The subject of a decision: the caller, or `about` for a caller allowed to ask about it (`read`
 * on `/heimdall/subjects/<id>`, which `heimdall-admins` grants). Another subject's tags are
 * those assigned in Heimdall plus those of the last token Heimdall verified for it (its profile),
 * and its claims those that policy conditions name; `users:id:<id>` always.
 */
export async function decisionSubject(ctx: Context, about: string | null | undefined): Promise<DecisionSubject> {
  const caller = requirePrincipal(ctx);
  const self = { subject: subjectOf(caller, ctx.index), askedBy: null, seenAt: null };
  if (about === null || about === undefined) return self;
  const id = normalizeUserId(about);
  if (id === caller.id) return self;
  const check = decideFor(ctx, 'read', { path: subjectObject(id) });
  if (!check.allowed) throw notAllowed('read', subjectObject(id), check.reason);
  const profile = await ctx.profiles.get(id);
  const tags = new Set([id, ...(profile?.tokenTags ?? []), ...ctx.index.assignedTags(id)]);
  return {
    subject: { id, tags: [...tags].sort(), claims: profile?.claims ?? {} },
    askedBy: caller.id,
    seenAt: profile?.seenAt ?? null,
  };
}

/** Said after a decision about someone Heimdall never saw a token of: only assigned tags were known. */
export function unseenNote(who: DecisionSubject): string {
  if (!who.askedBy || who.seenAt) return '';
  return ` (${who.subject.id} has not signed in since Heimdall keeps profiles: only the tags assigned here were used)`;
}
