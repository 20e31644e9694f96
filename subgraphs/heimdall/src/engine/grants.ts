import { compilePattern, literalPrefix, PatternSet, type Pattern } from '@dataos/patterns';
import { conditionsHold, needsObject } from './engine.js';
import type { PolicyConditions, PolicyDefinition, SubjectContext } from './types.js';

export interface GrantPatterns {
  paths: string[];
  tags: string[];
}

/** A subject's grants for one action within a scope (see the grants contract in the README). */
export interface GrantSet {
  allow: GrantPatterns;
  deny: GrantPatterns;
  /** Objects matching these need a per-object decision: globs of the policies with object conditions. */
  needsDecision: GrantPatterns;
  /** When a time condition of a relevant policy next changes the answer. */
  validUntil: Date | null;
  policies: string[];
}

interface Prepared {
  def: PolicyDefinition;
  anyAction: boolean;
  subjects: Pattern[][];
  /** Normalized path globs with their literal prefixes, for the scope test. */
  paths: { source: string; prefix: string }[];
}

const prepared = new WeakMap<readonly PolicyDefinition[], Prepared[]>();

function prepare(defs: readonly PolicyDefinition[]): Prepared[] {
  let list = prepared.get(defs);
  if (!list) {
    list = defs.map((def) => ({
      def,
      anyAction: def.actions.includes('*'),
      subjects: def.subjects.map((set) => set.map((t) => compilePattern(t, 'tag'))),
      paths: def.objects.paths.map((p) => {
        const source = compilePattern(p, 'path').source;
        return { source, prefix: literalPrefix(source) };
      }),
    }));
    prepared.set(defs, list);
  }
  return list;
}

/**
 * Whether a path glob may match a name inside `scope`: every name a glob matches starts with its
 * literal prefix, so two globs whose prefixes disagree have no name in common. A superset test:
 * keeping a glob that turns out disjoint costs a pattern, never a wrong answer.
 */
const mayOverlap = (prefix: string, scopePrefix: string) =>
  prefix.startsWith(scopePrefix) || scopePrefix.startsWith(prefix);

const HOUR = 3_600_000;

/** The first moment after `now` at which `c` may start or stop holding. */
function nextChange(c: PolicyConditions | null | undefined, now: Date): number | null {
  if (!c) return null;
  const t = now.getTime();
  const times: number[] = [];
  if (c.notBefore && c.notBefore.getTime() > t) times.push(c.notBefore.getTime());
  if (c.notAfter && c.notAfter.getTime() > t) times.push(c.notAfter.getTime());
  if (c.hours) {
    const top = Math.floor(t / HOUR) * HOUR;
    for (let k = 1; k <= 24; k++) {
      const h = new Date(top + k * HOUR).getUTCHours();
      if (h === c.hours.from || h === c.hours.to) {
        times.push(top + k * HOUR);
        break;
      }
    }
  }
  return times.length ? Math.min(...times) : null;
}

/**
 * Globs made redundant by a broader one of the same set: a literal any wildcard glob matches, and
 * anything under `P/**` (or `P:**`) with a literal `P`. Exact either way: the union is unchanged.
 */
function compact(globs: Set<string>, kind: 'path' | 'tag'): string[] {
  const list = [...globs];
  const wild = list.filter((g) => !compilePattern(g, kind).literal);
  const everything = wild.filter((g) => /[/:]\*\*$/.test(g) && literalPrefix(g) === g.slice(0, -2));
  const wildSet = new PatternSet(wild, kind);
  return list.filter((g) => {
    if (compilePattern(g, kind).literal) return !wildSet.hasNormalized(g);
    return !everything.some((e) => e !== g && g.startsWith(e.slice(0, -2)));
  });
}

/**
 * Partial evaluation of the policies for a subject, an action and a scope: subjects, actions and
 * conditions are settled now (claims are the subject's, time is `now`), what remains depends
 * only on the object, as the union of the applying allow policies' globs and that of the deny
 * ones. An object is allowed iff an allow glob matches it and no deny glob does: exactly the
 * engine's rule, for every object within the scope, until `validUntil`.
 */
export function computeGrants(
  defs: readonly PolicyDefinition[],
  subject: SubjectContext,
  action: string,
  scope: string,
  now = new Date(),
): GrantSet {
  const tags = new Set(subject.tags);
  const memo = new Map<Pattern, boolean>();
  const has = (g: Pattern) => {
    if (g.literal) return tags.has(g.source);
    let hit = memo.get(g);
    if (hit === undefined) memo.set(g, (hit = subject.tags.some((t) => g.test(t))));
    return hit;
  };
  const scopePrefix = literalPrefix(compilePattern(scope, 'path').source);
  const sets = {
    allow: { paths: new Set<string>(), tags: new Set<string>() },
    deny: { paths: new Set<string>(), tags: new Set<string>() },
    decide: { paths: new Set<string>(), tags: new Set<string>() },
  };
  const names = { allow: [] as string[], deny: [] as string[], decide: [] as string[] };
  let validUntil: number | null = null;
  for (const p of prepare(defs)) {
    if (!p.anyAction && !p.def.actions.includes(action)) continue;
    if (!p.subjects.some((set) => set.every(has))) continue;
    const paths = p.paths.filter((g) => mayOverlap(g.prefix, scopePrefix));
    if (paths.length === 0 && p.def.objects.tags.length === 0) continue;
    const change = nextChange(p.def.conditions, now);
    if (change !== null && (validUntil === null || change < validUntil)) validUntil = change;
    if (!conditionsHold(p.def.conditions ?? null, subject.claims, now)) continue;
    // Conditions on the object (allow or deny alike): what they cover is decided object by object.
    const side = needsObject(p.def.conditions) ? 'decide' : p.def.effect === 'deny' ? 'deny' : 'allow';
    for (const g of paths) sets[side].paths.add(g.source);
    for (const t of p.def.objects.tags) sets[side].tags.add(t);
    names[side].push(p.def.name);
  }
  const allow = { paths: compact(sets.allow.paths, 'path'), tags: compact(sets.allow.tags, 'tag') };
  // Where nothing is allowed nothing can be denied either: the deny side is left out.
  const anyAllow = allow.paths.length > 0 || allow.tags.length > 0;
  return {
    allow,
    deny: anyAllow
      ? { paths: compact(sets.deny.paths, 'path'), tags: compact(sets.deny.tags, 'tag') }
      : { paths: [], tags: [] },
    needsDecision: { paths: compact(sets.decide.paths, 'path'), tags: compact(sets.decide.tags, 'tag') },
    validUntil: validUntil === null ? null : new Date(validUntil),
    policies: [...names.allow, ...(anyAllow ? names.deny : []), ...names.decide].sort(),
  };
}
