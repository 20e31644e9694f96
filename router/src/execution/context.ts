import type { GraphQLSchema } from 'graphql';
import { isOfType, type DataRewrite } from './rewrites.js';

type Json = Record<string, unknown>;
type Path = readonly (string | number)[];

/** Most distinct sets of context values one fetch is split into (one subgraph request each). */
export const MAX_CONTEXT_GROUPS = 100;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

interface Located {
  entity: Json;
  /** The objects above it, nearest last. */
  ancestors: Json[];
  /** Where it is in the answer (list indexes included), for errors about it. */
  at: (string | number)[];
}

/** Each object at `path` of `root`, in the order the executor flattens them. */
function withAncestors(root: unknown, path: Path): Located[] {
  const out: Located[] = [];
  const walk = (value: unknown, from: number, ancestors: Json[], at: (string | number)[]) => {
    if (value === null || value === undefined) return;
    if (from === path.length) {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, from, ancestors, [...at, i]));
      else if (isObject(value)) out.push({ entity: value, ancestors, at });
      return;
    }
    const step = path[from]!;
    if (step === '@') {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, from + 1, ancestors, [...at, i]));
      return;
    }
    if (!isObject(value)) return;
    walk(
      Object.hasOwn(value, step) ? value[step as string] : undefined,
      from + 1,
      [...ancestors, value],
      [...at, step],
    );
  };
  walk(root, 0, [], []);
  return out;
}

/** The value a context rewrite's path reaches from `entity`: `..` goes up one object, `... on T` checks the type. */
function contextValue(schema: GraphQLSchema, entity: Json, ancestors: Json[], path: readonly string[]): unknown {
  let current: unknown = entity;
  let up = ancestors.length;
  for (const step of path) {
    if (step === '..') {
      up--;
      current = up >= 0 ? ancestors[up] : undefined;
    } else if (step.startsWith('... on ')) {
      if (!isObject(current) || !isOfType(schema, current, step.slice(7), false)) return undefined;
    } else {
      if (!isObject(current) || !Object.hasOwn(current, step)) return undefined;
      current = current[step];
    }
    if (current === undefined) return undefined;
  }
  return current;
}

export interface ContextGroup {
  /** The variables (`contextualArgument_…`) these entities share. */
  variables: Json;
  entities: Json[];
  /** Where each entity is in the answer. */
  paths: (string | number)[][];
}

/**
 * Splits a fetch's entities by the values of their contextual arguments (`@fromContext`): each
 * entity takes, for each variable, the first of the fetch's context rewrites that reaches a
 * value from where it sits in the answer. Entities that agree go in one fetch. More than
 * MAX_CONTEXT_GROUPS distinct sets is an error, not that many requests.
 */
export function groupByContext(
  schema: GraphQLSchema,
  rewrites: readonly unknown[],
  fullResult: unknown,
  path: Path,
): ContextGroup[] {
  const renames = (rewrites as DataRewrite[]).filter((r) => r.kind === 'KeyRenamer');
  const groups = new Map<string, ContextGroup>();
  for (const { entity, ancestors, at } of withAncestors(fullResult, path)) {
    const variables = Object.create(null) as Json;
    for (const rewrite of renames) {
      if (rewrite.renameKeyTo in variables) continue;
      const value = contextValue(schema, entity, ancestors, rewrite.path);
      if (value !== undefined) variables[rewrite.renameKeyTo] = value;
    }
    const key = JSON.stringify(Object.entries(variables).sort(([a], [b]) => (a < b ? -1 : 1)));
    let group = groups.get(key);
    if (!group) {
      if (groups.size >= MAX_CONTEXT_GROUPS)
        throw new Error(`More than ${MAX_CONTEXT_GROUPS} distinct contexts for one fetch.`);
      group = { variables, entities: [], paths: [] };
      groups.set(key, group);
    }
    group.entities.push(entity);
    group.paths.push(at);
  }
  return [...groups.values()];
}
