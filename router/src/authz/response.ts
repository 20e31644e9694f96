import { isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
import { isSkipped } from '@dataos/operation-walker';
import type { PatchNode } from './filter.js';

type Json = Record<string, unknown>;

/** Returned when a value must become null; its parent decides whether null may stand there. */
const NULLIFY = Symbol('nullify');

const applies = (types: ReadonlySet<string> | undefined, typename: unknown) =>
  !types || (typeof typename === 'string' && types.has(typename));

/** The object with its keys in the order the operation asked for them. */
function inOrder(object: Json, keys: readonly string[]): Json {
  const ordered: Json = {};
  for (const key of keys) if (key in object) ordered[key] = object[key];
  for (const key of Object.keys(object)) if (!(key in ordered)) ordered[key] = object[key];
  return ordered;
}

/**
 * Puts `null` where fields were removed: the object (re-ordered as asked), or NULLIFY when it
 * must itself become null (a non-null field was removed).
 */
interface Run {
  variables: Record<string, unknown>;
  defaults: Record<string, boolean>;
}

function patchObject(object: Json, patch: PatchNode, run: Run): Json | typeof NULLIFY {
  const typename = patch.typenameKey ? object[patch.typenameKey] : undefined;
  if (patch.typenameKey) delete object[patch.typenameKey];
  let bubble = false;
  let added = false;
  for (const removed of patch.removed) {
    if (!applies(removed.types, typename)) continue;
    if (removed.conditions && isSkipped(removed.conditions, run.variables, run.defaults)) continue;
    object[removed.key] = null;
    added = true;
    if (removed.nonNull) bubble = true;
  }
  for (const child of patch.children) {
    if (!applies(child.types, typename) || !(child.key in object)) continue;
    const next = patchValue(object[child.key], child.type, child.node, run);
    if (next === NULLIFY) {
      object[child.key] = null;
      if (isNonNullType(child.type)) bubble = true;
    } else {
      object[child.key] = next;
    }
  }
  if (bubble) return NULLIFY;
  return added ? inOrder(object, patch.keys) : object;
}

/** Walks a value of GraphQL type `type`: the patched value, or NULLIFY when it must become null. */
function patchValue(value: unknown, type: GraphQLOutputType, patch: PatchNode, run: Run): unknown {
  if (value === null || value === undefined) return value;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return value;
    const itemType = inner.ofType as GraphQLOutputType;
    for (let i = 0; i < value.length; i++) {
      const next = patchValue(value[i], itemType, patch, run);
      if (next === NULLIFY) {
        if (isNonNullType(itemType)) return NULLIFY;
        value[i] = null;
      } else {
        value[i] = next;
      }
    }
    return value;
  }
  if (typeof value !== 'object') return value;
  return patchObject(value as Json, patch, run);
}

/**
 * Gives the answer the shape of the operation as asked: `null` at each removed field (in the
 * order asked; not where `@skip`/`@include` leave it out), null propagated from a removed non-null field to its nearest nullable parent
 * (the whole `data` when none), and the router's own `__typename`s removed.
 */
export function patchResponse(
  data: Json | null | undefined,
  patch: PatchNode,
  variables: Record<string, unknown> = {},
  defaults: Record<string, boolean> = {},
): Json | null | undefined {
  if (!data) return data;
  const next = patchObject(data, patch, { variables, defaults });
  return next === NULLIFY ? null : next;
}
