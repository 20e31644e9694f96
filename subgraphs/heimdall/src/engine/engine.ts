import { compilePattern, literalPrefix, normalizePath, type Pattern } from '@dataos/patterns';
import {
  ACTIONS,
  type DecisionResult,
  type NamedPolicyResult,
  type ObjectRef,
  type PolicyConditions,
  type PolicyDefinition,
  type PolicyEngine,
  type SubjectContext,
} from './types.js';

interface Compiled {
  def: PolicyDefinition;
  deny: boolean;
  anyAction: boolean;
  actions: ReadonlySet<string>;
  subjects: Pattern[][];
  paths: Pattern[];
  tags: Pattern[];
  conditions: PolicyConditions | null;
}

const ACTION_SET = new Set<string>(ACTIONS.filter((a) => a !== '*'));

function compile(def: PolicyDefinition): Compiled {
  return {
    def,
    deny: def.effect === 'deny',
    anyAction: def.actions.includes('*'),
    actions: new Set(def.actions),
    subjects: def.subjects.map((set) => set.map((t) => compilePattern(t, 'tag'))),
    paths: def.objects.paths.map((p) => compilePattern(p, 'path')),
    tags: def.objects.tags.map((t) => compilePattern(t, 'tag')),
    conditions: def.conditions ?? null,
  };
}

/** Literal globs by their text; wildcard globs by their literal prefix cut at the last separator. */
class GlobIndex {
  private readonly exact = new Map<string, Compiled[]>();
  private readonly byPrefix = new Map<string, Compiled[]>();

  constructor(private readonly sep: '/' | ':') {}

  add(glob: Pattern, policy: Compiled): void {
    const push = (map: Map<string, Compiled[]>, key: string) => {
      const bucket = map.get(key);
      if (!bucket) map.set(key, [policy]);
      else if (bucket.at(-1) !== policy) bucket.push(policy);
    };
    if (glob.literal) push(this.exact, glob.source);
    else {
      const prefix = literalPrefix(glob.source);
      push(this.byPrefix, prefix.slice(0, prefix.lastIndexOf(this.sep) + 1));
    }
  }

  /** Every policy with a glob that may match `value` (a superset; the caller tests the globs). */
  collect(value: string, into: Compiled[]): void {
    const exact = this.exact.get(value);
    if (exact) into.push(...exact);
    const root = this.byPrefix.get('');
    if (root) into.push(...root);
    // `X/**` matches `X` itself (zero levels): its bucket is `X/`.
    const self = this.byPrefix.get(value + this.sep);
    if (self) into.push(...self);
    for (let i = value.indexOf(this.sep); i >= 0; i = value.indexOf(this.sep, i + 1)) {
      const bucket = this.byPrefix.get(value.slice(0, i + 1));
      if (bucket) into.push(...bucket);
    }
  }
}

/** Per subject: which subject globs match its tags (the same subject asks many checks). */
class SubjectMatcher {
  private readonly tags: ReadonlySet<string>;
  private readonly memo = new Map<string, boolean>();

  constructor(private readonly list: readonly string[]) {
    this.tags = new Set(list);
  }

  matches(glob: Pattern): boolean {
    if (glob.literal) return this.tags.has(glob.source);
    let hit = this.memo.get(glob.source);
    if (hit === undefined) {
      hit = this.list.some((t) => glob.test(t));
      this.memo.set(glob.source, hit);
    }
    return hit;
  }

  /** OR across sets, AND within a set. */
  matchesAny(sets: Pattern[][]): boolean {
    return sets.some((set) => set.every((g) => this.matches(g)));
  }
}

const matchers = new WeakMap<readonly string[], SubjectMatcher>();
function matcherFor(subject: SubjectContext): SubjectMatcher {
  let m = matchers.get(subject.tags);
  if (!m) {
    m = new SubjectMatcher(subject.tags);
    matchers.set(subject.tags, m);
  }
  return m;
}

/** Whether a policy has conditions that only the object can settle. */
export const needsObject = (c: PolicyConditions | null | undefined) => (c?.objectTagFromClaims?.length ?? 0) > 0;

/** Object conditions: the object carries `<prefix><claim>` for each (a missing claim never holds). */
export function objectConditionsHold(
  c: PolicyConditions | null,
  claims: Readonly<Record<string, unknown>>,
  tags: readonly string[],
): boolean {
  for (const { claim, prefix } of c?.objectTagFromClaims ?? []) {
    const value = claims[claim];
    if (value === undefined || value === null || typeof value === 'object') return false;
    if (!tags.includes(prefix + String(value))) return false;
  }
  return true;
}

/** Conditions on the subject and the time (object conditions are `objectConditionsHold`'s). */
export function conditionsHold(
  c: PolicyConditions | null,
  claims: Readonly<Record<string, unknown>>,
  now: Date,
): boolean {
  if (!c) return true;
  if (c.notBefore && now < c.notBefore) return false;
  if (c.notAfter && now >= c.notAfter) return false;
  if (c.hours) {
    const h = now.getUTCHours();
    const { from, to } = c.hours;
    if (from < to ? h < from || h >= to : h < from && h >= to) return false;
  }
  for (const { claim, equals } of c.claims ?? []) {
    const value = claims[claim];
    if (value === undefined || value === null || String(value) !== equals) return false;
  }
  return true;
}

function objectMatches(p: Compiled, path: string | null, tags: readonly string[]): boolean {
  if (path !== null) for (const g of p.paths) if (g.test(path)) return true;
  for (const g of p.tags) for (const t of tags) if (g.test(t)) return true;
  return false;
}

const describeObject = (path: string | null, tags: readonly string[]) => path ?? `objects tagged ${tags.join(', ')}`;
const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

function verdict(
  allows: string[],
  denies: string[],
  subject: SubjectContext,
  action: string,
  what: string,
): DecisionResult {
  allows.sort();
  denies.sort();
  if (denies.length) {
    return {
      allowed: false,
      policies: denies,
      reason: `denied: ${denies.length > 1 ? 'policies' : 'policy'} ${quoted(denies)} ${denies.length > 1 ? 'deny' : 'denies'} ${action} on ${what} to ${subject.id}`,
    };
  }
  if (allows.length) {
    return {
      allowed: true,
      policies: allows,
      reason: `allowed by ${allows.length > 1 ? 'policies' : 'policy'} ${quoted(allows)}`,
    };
  }
  return { allowed: false, policies: [], reason: `no policy allows ${action} on ${what} for ${subject.id}` };
}

/**
 * The compiled policies with an index by object (paths by literal prefix, tags likewise), so a
 * decision tests only the policies that could match its object, whatever the number of policies.
 */
class IndexedEngine implements PolicyEngine {
  private readonly byName = new Map<string, Compiled>();
  private readonly paths = new GlobIndex('/');
  private readonly tags = new GlobIndex(':');
  /** Deny policies, kept apart at build: `@policy` evaluation never looks at the allows. */
  private readonly denies: Compiled[] = [];
  /** Per allow policy, the deny policies that may cover it (subject-independent, so computed once per build). */
  private readonly covering = new Map<Compiled, Compiled[]>();
  readonly definitions: readonly PolicyDefinition[];

  constructor(defs: PolicyDefinition[]) {
    this.definitions = defs;
    for (const def of defs) {
      const p = compile(def);
      this.byName.set(def.name, p);
      for (const g of p.paths) this.paths.add(g, p);
      for (const g of p.tags) this.tags.add(g, p);
      if (p.deny) this.denies.push(p);
    }
  }

  get size(): number {
    return this.byName.size;
  }

  get(name: string): PolicyDefinition | undefined {
    return this.byName.get(name)?.def;
  }

  decide(subject: SubjectContext, action: string, object: ObjectRef, now = new Date()): DecisionResult {
    const path = object.path ? normalizePath(object.path) : null;
    const tags = object.tags ?? [];
    const what = describeObject(path, tags);
    if (!ACTION_SET.has(action)) return { allowed: false, policies: [], reason: `unknown action "${action}"` };
    if (path === null && tags.length === 0) return { allowed: false, policies: [], reason: 'no object given' };

    const candidates: Compiled[] = [];
    if (path !== null) this.paths.collect(path, candidates);
    for (const t of tags) this.tags.collect(t, candidates);
    const seen = candidates.length > 1 ? new Set<Compiled>() : undefined;
    const matcher = matcherFor(subject);
    const allows: string[] = [];
    const denies: string[] = [];
    for (const p of candidates) {
      if (seen) {
        if (seen.has(p)) continue;
        seen.add(p);
      }
      if (!p.anyAction && !p.actions.has(action)) continue;
      if (!objectMatches(p, path, tags)) continue;
      if (!matcher.matchesAny(p.subjects)) continue;
      if (!conditionsHold(p.conditions, subject.claims, now)) continue;
      if (!objectConditionsHold(p.conditions, subject.claims, tags)) continue;
      (p.deny ? denies : allows).push(p.def.name);
    }
    return verdict(allows, denies, subject, action, what);
  }

  /**
   * A named allow policy passes for a subject when its subjects and conditions match, and no
   * matching deny policy covers it: shares an action (or either side has `*`) and has a path
   * (or object tag) glob that matches one of the allow policy's path (tag) globs taken as text,
   * or whose literal prefix is a prefix of that glob's literal prefix (a deny on `dataos://**`
   * covers an allow on `dataos://icebase:retail/**`, one on `dataos:domain:*` an allow on
   * `dataos:domain:retail`). A deny policy named in `@policy` never passes. Costs the named
   * policies and their covering denies, not a scan of every policy.
   */
  evaluateNamed(subject: SubjectContext, names: readonly string[], now = new Date()): NamedPolicyResult[] {
    const matcher = matcherFor(subject);
    // Without an object, object conditions cannot hold for an allow and are assumed to for a deny:
    // both ways fail closed.
    const applies = (p: Compiled) =>
      matcher.matchesAny(p.subjects) &&
      conditionsHold(p.conditions, subject.claims, now) &&
      (p.deny || !needsObject(p.conditions));
    return names.map((name) => {
      const p = this.byName.get(name);
      if (!p) return { name, allowed: false, reason: `no policy named "${name}"` };
      if (p.deny) return { name, allowed: false, reason: `"${name}" is a deny policy: it cannot grant access` };
      if (!applies(p)) return { name, allowed: false, reason: `policy "${name}" does not apply to ${subject.id}` };
      const covering = this.coveringDenies(p).filter(applies);
      if (covering.length) {
        return {
          name,
          allowed: false,
          reason: `denied by ${quoted(covering.map((d) => d.def.name).sort())} for ${subject.id}`,
        };
      }
      return { name, allowed: true, reason: `policy "${name}" applies to ${subject.id}` };
    });
  }

  private coveringDenies(allow: Compiled): Compiled[] {
    let list = this.covering.get(allow);
    if (!list) {
      list = this.denies.filter((d) => covers(d, allow));
      this.covering.set(allow, list);
    }
    return list;
  }
}

/** Some value of `allow` may also match `deny` (globs compared as text, as for paths and tags alike). */
const overlaps = (deny: Pattern[], allow: Pattern[]) =>
  allow.some((a) => deny.some((d) => d.test(a.source) || literalPrefix(a.source).startsWith(literalPrefix(d.source))));

function covers(deny: Compiled, allow: Compiled): boolean {
  const sharesAction = deny.anyAction || allow.anyAction || [...allow.actions].some((a) => deny.actions.has(a));
  if (!sharesAction) return false;
  return overlaps(deny.paths, allow.paths) || overlaps(deny.tags, allow.tags);
}

export function buildEngine(policies: PolicyDefinition[]): PolicyEngine {
  return new IndexedEngine(policies);
}

/** The same semantics by scanning every policy: the baseline of the bench and the oracle of the tests. */
export function buildLinearEngine(policies: PolicyDefinition[]): Pick<PolicyEngine, 'decide'> {
  const compiled = policies.map(compile);
  return {
    decide(subject, action, object, now = new Date()) {
      const path = object.path ? normalizePath(object.path) : null;
      const tags = object.tags ?? [];
      if (!ACTION_SET.has(action)) return { allowed: false, policies: [], reason: `unknown action "${action}"` };
      if (path === null && tags.length === 0) return { allowed: false, policies: [], reason: 'no object given' };
      const matcher = new SubjectMatcher(subject.tags);
      const allows: string[] = [];
      const denies: string[] = [];
      for (const p of compiled) {
        if (!p.anyAction && !p.actions.has(action)) continue;
        if (!objectMatches(p, path, tags)) continue;
        if (!matcher.matchesAny(p.subjects)) continue;
        if (!conditionsHold(p.conditions, subject.claims, now)) continue;
        if (!objectConditionsHold(p.conditions, subject.claims, tags)) continue;
        (p.deny ? denies : allows).push(p.def.name);
      }
      return verdict(allows, denies, subject, action, describeObject(path, tags));
    },
  };
}
