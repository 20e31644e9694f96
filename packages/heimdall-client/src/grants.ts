import { PatternSet } from '@dataos/patterns';
import type { ObjectRef } from './types.js';

/** Object globs: paths (`@dataos/patterns` kind `path`) and tags (kind `tag`). */
export interface GrantPatterns {
  paths: string[];
  tags: string[];
}

/** Heimdall's `grants` answer: what a subject may do with an action on objects within a scope. */
export interface GrantsAnswer {
  subject: string;
  action: string;
  scope: string;
  allow: GrantPatterns;
  deny: GrantPatterns;
  /** Objects matching these must be decided one by one (a condition needs the object, or a later time). */
  needsDecision: GrantPatterns;
  /** The policy version (the `policyChanges` sequence) the grants were computed at. */
  version: number;
  /** When a time condition next changes the answer (ISO date-time), or null. */
  validUntil: string | null;
  policies: string[];
}

export type GrantVerdict = 'allow' | 'deny' | 'decide';

class PatternGroup {
  private readonly paths: PatternSet;
  private readonly tags: PatternSet;

  constructor(g: GrantPatterns) {
    this.paths = new PatternSet(g.paths, 'path');
    this.tags = new PatternSet(g.tags, 'tag');
  }

  get empty(): boolean {
    return this.paths.size === 0 && this.tags.size === 0;
  }

  hit(object: ObjectRef): boolean {
    return (object.path !== undefined && this.paths.has(object.path)) || this.tags.hasAny(object.tags ?? []);
  }
}

/** Grants compiled for checking many objects locally: equal to Heimdall's `decide` within the scope. */
export class Grants {
  private readonly allow: PatternGroup;
  private readonly deny: PatternGroup;
  private readonly undecided: PatternGroup;

  constructor(readonly answer: GrantsAnswer) {
    this.allow = new PatternGroup(answer.allow);
    this.deny = new PatternGroup(answer.deny);
    this.undecided = new PatternGroup(answer.needsDecision);
  }

  get version(): number {
    return this.answer.version;
  }

  get validUntil(): Date | null {
    return this.answer.validUntil ? new Date(this.answer.validUntil) : null;
  }

  get policies(): string[] {
    return this.answer.policies;
  }

  /** Still valid at `now` (before `validUntil`); a policy change is the caller's to watch (`version`). */
  fresh(now = new Date()): boolean {
    const until = this.validUntil;
    return until === null || now < until;
  }

  /** `decide` when an object needs Heimdall's per-object decision; else the answer itself. */
  check(object: ObjectRef): GrantVerdict {
    if (!this.undecided.empty && this.undecided.hit(object)) return 'decide';
    if (this.deny.hit(object)) return 'deny';
    return this.allow.hit(object) ? 'allow' : 'deny';
  }
}

export const compileGrants = (answer: GrantsAnswer) => new Grants(answer);
