import { isAbstractType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * A fetch's data rewrites, as query plans carry them (`@apollo/query-planner`'s form, which
 * Hive's plans are converted to): a path of field names and `... on Type` conditions, and at
 * its end either a value set (`ValueSetter`: an @interfaceObject's representation must say
 * `__typename: "Media"`, not the implementation's name) or a key renamed (`KeyRenamer`: a
 * required field fetched under an alias goes back to its own name; a context value becomes a
 * variable).
 */
export type DataRewrite =
  | { kind: 'ValueSetter'; path: string[]; setValueTo: unknown }
  | { kind: 'KeyRenamer'; path: string[]; renameKeyTo: string };

type Json = Record<string, unknown>;

const TYPE_CONDITION = '... on ';

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Whether `object` is of `typeCondition`: its `__typename`, or a subtype of it. An object
 * without `__typename` counts as matching (`unknownMatches`): a rewrite path's conditions are
 * written for objects the planner knows the type of.
 */
export function isOfType(schema: GraphQLSchema, object: Json, typeCondition: string, unknownMatches: boolean): boolean {
  const typename = object.__typename;
  if (typeof typename !== 'string' || !typename) return unknownMatches;
  if (typename === typeCondition) return true;
  const type = schema.getType(typename);
  const condition = schema.getType(typeCondition);
  if (!type || !condition || !isAbstractType(condition)) return false;
  return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(condition, type);
}

function setOwn(object: Json, key: string, value: unknown): void {
  // Defined, not assigned: a key named like an Object.prototype member stays data.
  Object.defineProperty(object, key, { configurable: true, enumerable: true, value, writable: true });
}

function applyAt(
  schema: GraphQLSchema,
  path: readonly string[],
  from: number,
  value: unknown,
  apply: (o: Json) => void,
) {
  if (Array.isArray(value)) {
    for (const item of value) applyAt(schema, path, from, item, apply);
    return;
  }
  if (!isObject(value)) return;
  if (from === path.length) {
    apply(value);
    return;
  }
  const step = path[from]!;
  if (step.startsWith(TYPE_CONDITION)) {
    if (isOfType(schema, value, step.slice(TYPE_CONDITION.length), true)) applyAt(schema, path, from + 1, value, apply);
  } else if (Object.hasOwn(value, step)) {
    applyAt(schema, path, from + 1, value[step], apply);
  }
}

/** Applies `rewrites` in order to `value` (a representation before it is sent, or what a subgraph answered). */
export function applyRewrites(schema: GraphQLSchema, rewrites: readonly unknown[] | undefined, value: unknown): void {
  if (!rewrites) return;
  for (const rewrite of rewrites as DataRewrite[]) {
    const last = rewrite.path[rewrite.path.length - 1];
    if (last === undefined || last.startsWith(TYPE_CONDITION)) continue; // no key to act on
    const parent = rewrite.path.slice(0, -1);
    if (rewrite.kind === 'ValueSetter') {
      applyAt(schema, parent, 0, value, (o) => setOwn(o, last, rewrite.setValueTo));
    } else if (rewrite.kind === 'KeyRenamer') {
      applyAt(schema, parent, 0, value, (o) => {
        if (!Object.hasOwn(o, last)) return;
        const moved = o[last];
        if (moved === undefined) return;
        setOwn(o, rewrite.renameKeyTo, moved);
        delete o[last];
      });
    }
  }
}
