import type { DecisionDoc } from '../store/collections.js';

/** Fields of a decision-log entry an export may redact (HEIMDALL_DECISION_EXPORT_REDACT). */
export const REDACTABLE = [
  'subject',
  'askedBy',
  'requestId',
  'object.path',
  'object.tags',
  'policies',
  'reason',
] as const;
export type Redactable = (typeof REDACTABLE)[number];

export const REDACTED = '[redacted]';

/** The reason names the subject and the object: a redacted field is taken out of it too. */
function scrub(entry: DecisionDoc, redact: ReadonlySet<Redactable>): string {
  let reason = entry.reason;
  const out = (value: string | null | undefined) => {
    if (value) reason = reason.split(value).join(REDACTED);
  };
  // The longest first, so that a path containing the subject id is taken out whole.
  const values = [
    redact.has('object.path') ? entry.object.path : null,
    redact.has('subject') ? entry.subject : null,
    redact.has('askedBy') ? entry.askedBy : null,
  ].sort((a, b) => (b?.length ?? 0) - (a?.length ?? 0));
  values.forEach(out);
  return reason;
}

/** An entry as exported: JSON-ready, with the chosen fields replaced (strings) or emptied (lists). */
export function exportedEntry(entry: DecisionDoc, redact: ReadonlySet<Redactable>): Record<string, unknown> {
  const text = (field: Redactable, value: string | null | undefined) =>
    value === undefined || value === null ? value : redact.has(field) ? REDACTED : value;
  return {
    time: entry.time.toISOString(),
    requestId: text('requestId', entry.requestId) ?? null,
    subject: text('subject', entry.subject),
    ...(entry.askedBy ? { askedBy: text('askedBy', entry.askedBy) } : {}),
    action: entry.action,
    object: {
      path: text('object.path', entry.object.path) ?? null,
      tags: redact.has('object.tags') ? [] : entry.object.tags,
    },
    allowed: entry.allowed,
    policies: redact.has('policies') ? [] : entry.policies,
    reason: text('reason', scrub(entry, redact)),
    ...(entry.unlogged !== undefined ? { unlogged: entry.unlogged } : {}),
  };
}
