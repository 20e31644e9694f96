import type { DecisionDoc } from './store/collections.js';

/** What the request log hands on: `DecisionLog.append`. */
export type AppendDecision = (entry: DecisionDoc) => void;

/** The action of the summary entry that counts what a request did not log. */
export const UNLOGGED_ACTION = 'unlogged';

const keyOf = (e: DecisionDoc) =>
  JSON.stringify([e.subject, e.askedBy ?? null, e.action, e.object.path, e.object.tags, e.allowed]);

/**
 * One request's share of the decision log. A caller chooses what it asks, so one request could
 * otherwise write as many entries as it sends checks: identical decisions (subject, action,
 * object, result) are logged once, and at most `cap` distinct ones; what is left out is counted
 * in one summary entry written when the request ends, so the log still says it happened.
 */
export class RequestDecisionLog {
  private readonly seen = new Set<string>();
  private unlogged = 0;
  private repeats = 0;
  private last: DecisionDoc | undefined;

  constructor(
    private readonly append: AppendDecision,
    private readonly cap: number,
  ) {}

  record(entry: DecisionDoc): void {
    const key = keyOf(entry);
    if (this.seen.has(key)) {
      this.repeats++;
      return;
    }
    if (this.seen.size >= this.cap) {
      this.unlogged++;
      this.last = entry;
      return;
    }
    this.seen.add(key);
    this.append(entry);
  }

  /** Writes the summary entry when something distinct was left out; call once, at the end of the request. */
  finish(): void {
    const last = this.last;
    if (!last) return;
    this.last = undefined;
    const count = this.unlogged;
    this.unlogged = 0;
    this.append({
      time: new Date(),
      requestId: last.requestId,
      subject: last.subject,
      action: UNLOGGED_ACTION,
      object: { path: null, tags: [] },
      allowed: false,
      policies: [],
      reason: `${count} more distinct decision${count === 1 ? ' was' : 's were'} made in this request and not logged (at most ${this.cap} per request, HEIMDALL_DECISION_LOG_PER_REQUEST); besides, ${this.repeats} repeats of logged decisions`,
      unlogged: count,
    });
  }
}
