import { badUserInput } from '@dataos/errors';
import { patternMatches, patternProblem } from '@dataos/patterns';
import type { ClusterDoc } from './clusters.js';
import type { Subject } from './policies/subject.js';

/**
 * A Minerva cluster's selector, as DataOS defines it: which queries that name no cluster it takes.
 * Each list is globs of the DataOS pattern language (`:` separates levels); an empty list places
 * no condition. Among the clusters whose selector matches, the lowest `priority` wins.
 */
export interface ClusterSelector {
  /** Subject id globs (`users:id:alice`, `users:id:*`). */
  users: string[];
  /** Subject tag globs (`roles:id:data-dev`): one of the caller's tags must match one. */
  tags: string[];
  /** Query source globs: `query` (runQuery) or `preview` (Dataset.preview). */
  sources: string[];
  /** 1-100, lower wins. */
  priority: number;
}

export interface SelectorInput {
  users?: string[] | null;
  tags?: string[] | null;
  sources?: string[] | null;
  priority?: number | null;
}

/** How a query found its cluster; kept in the query's history. */
export interface Routing {
  by: 'named' | 'selector' | 'default';
  /** One sentence: which selector matched and what, or why the default. */
  reason: string;
}

const MAX_GLOBS = 50;
const MAX_GLOB = 256;

/** A checked selector, or BAD_USER_INPUT naming the field (`input.selector.users[1]`). */
export function validateSelector(input: SelectorInput, field = 'input.selector'): ClusterSelector {
  const globs = (key: 'users' | 'tags' | 'sources', namespaced: boolean): string[] => {
    const list = input[key] ?? [];
    if (!Array.isArray(list) || list.length > MAX_GLOBS)
      throw badUserInput(`${key} holds at most ${MAX_GLOBS} globs.`, { field: `${field}.${key}` });
    list.forEach((g, i) => {
      const at = `${field}.${key}[${i}]`;
      if (typeof g !== 'string' || g.length === 0 || g.length > MAX_GLOB)
        throw badUserInput(`A glob is 1 to ${MAX_GLOB} characters.`, { field: at });
      const problem = patternProblem(g, 'tag');
      if (problem) throw badUserInput(problem, { field: at });
      // a lone `*` is one level: it could match no subject id or tag (`users:id:x` has three)
      if (namespaced && !/^[^:*?[{]+:/.test(g))
        throw badUserInput(
          `"${g}" must start with a namespace, e.g. ${key === 'users' ? 'users:id:*' : 'roles:id:*'}.`,
          {
            field: at,
          },
        );
    });
    return [...new Set(list)];
  };
  const priority = input.priority;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1 || priority > 100)
    throw badUserInput('priority must be an integer from 1 to 100 (the lower number wins).', {
      field: `${field}.priority`,
    });
  return { users: globs('users', true), tags: globs('tags', true), sources: globs('sources', false), priority };
}

/** What matched each list of a selector, or null when one list matches nothing. */
function selectorMatch(selector: ClusterSelector, subject: Subject, source: string): string[] | null {
  const why: string[] = [];
  const first = (globs: string[], values: readonly string[]) =>
    globs.find((g) => values.some((v) => patternMatches(g, 'tag', v)));
  for (const [key, values] of [
    ['users', [subject.id]],
    ['tags', subject.tags],
    ['sources', [source]],
  ] as const) {
    const globs = selector[key];
    if (globs.length === 0) continue;
    const hit = first(globs, values);
    if (hit === undefined) return null;
    why.push(`${key} "${hit}"`);
  }
  return why;
}

/**
 * The cluster for a query that names none: among the clusters that can run queries (RUNNING or
 * DEGRADED) whose selector matches the caller and the source, the lowest priority number, then
 * the name; none: the default cluster.
 */
export function routeQuery(
  clusters: readonly ClusterDoc[],
  subject: Subject,
  source: string,
  defaultCluster: string,
): { cluster: string; routing: Routing } {
  const candidates = clusters
    .filter((c) => c.selector && (c.state === 'RUNNING' || c.state === 'DEGRADED'))
    .map((c) => ({ c, why: selectorMatch(c.selector!, subject, source) }))
    .filter((m) => m.why !== null)
    .sort((a, b) => a.c.selector!.priority - b.c.selector!.priority || a.c._id.localeCompare(b.c._id));
  const best = candidates[0];
  if (!best)
    return {
      cluster: defaultCluster,
      routing: { by: 'default', reason: `No cluster's selector matched: the default cluster "${defaultCluster}".` },
    };
  const matched = best.why!.length ? best.why!.join(', ') : 'an empty selector (every query)';
  const others = candidates.length - 1;
  return {
    cluster: best.c._id,
    routing: {
      by: 'selector',
      reason:
        `The selector of "${best.c._id}" (priority ${best.c.selector!.priority}) matched: ${matched}` +
        (others ? `; ${others} other matching cluster(s) had a higher number or a later name.` : '.'),
    },
  };
}
