import {
  Kind,
  isAbstractType,
  isListType,
  isNonNullType,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { ExecutionTarget } from '../execution/executor.js';
import type { AuthzAnalysis } from './analyze.js';
import { booleanDefaults, type OperationDocument, type SelectionCondition } from '@dataos/operation-walker';

/** Response key of the `__typename` the router adds where it needs an object's type. */
export const TYPENAME_KEY = '__authz_typename';

/** A removed field: set to `null` in the answer (for objects of `types`, when given; not when `@skip`/`@include` leave it out). */
export interface RemovedField {
  key: string;
  nonNull: boolean;
  types?: ReadonlySet<string>;
  conditions?: readonly SelectionCondition[];
}

/** Where a removed selection was, for its error; absent from the answer when its conditions skip it. */
export interface Removal {
  /** Response path, `@` standing for every item of a list. */
  path: (string | number)[];
  /** The denied requirement that removed it (an index into the analysis's requirements), for its error. */
  requirement: number;
  conditions?: readonly SelectionCondition[];
}

/** Where in the answer removed fields must be put back as `null`. */
export interface PatchNode {
  /** Response keys at this level in the order the operation asks for them (answers keep that order). */
  keys: string[];
  removed: RemovedField[];
  children: { key: string; type: GraphQLOutputType; node: PatchNode; types?: ReadonlySet<string> }[];
  /** Set when the router added `__typename` at this level: read for type conditions, then deleted. */
  typenameKey?: string;
}

export interface FilteredOperation extends ExecutionTarget {
  /** The operation without the removed selections (fragments inlined), for the planner. */
  document: DocumentNode;
  operation: OperationDefinitionNode;
  patch: PatchNode;
  /** Each removed selection. */
  removals: Removal[];
  /** Boolean defaults of the operation's variables, for the conditions. */
  defaults: Record<string, boolean>;
}

const typenameField: FieldNode = Object.freeze({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: TYPENAME_KEY },
  name: { kind: Kind.NAME, value: '__typename' },
}) as FieldNode;

const emptyPatch = (): PatchNode => ({ keys: [], removed: [], children: [] });
const addKey = (patch: PatchNode, key: string) => {
  if (!patch.keys.includes(key)) patch.keys.push(key);
};
const patchIsEmpty = (p: PatchNode) => p.removed.length === 0 && p.children.length === 0;

/** The path segments a field adds: its response key, then `@` per list level. */
function pathSegments(key: string, type: GraphQLOutputType): string[] {
  const segments = [key];
  let t: GraphQLOutputType = type;
  for (;;) {
    if (isNonNullType(t)) t = t.ofType;
    else if (isListType(t)) {
      segments.push('@');
      t = t.ofType;
    } else break;
  }
  return segments;
}

/**
 * Removes the selections whose requirement is denied (`denied[i]` for requirement i) and says
 * where the answer needs `null`s. Fragment spreads are inlined so that every selection set has
 * one place in the answer; a selection set left empty keeps a `__typename`.
 */
export function filterOperation(
  doc: OperationDocument,
  analysis: AuthzAnalysis,
  denied: readonly boolean[],
): FilteredOperation {
  const { schema, operation, fragments } = doc;
  const keptFragments = new Set<string>();
  const removals: Removal[] = [];
  const seenRemovals = new Set<string>();
  const possible = new Map<string, ReadonlySet<string>>();

  const possibleTypes = (type: GraphQLCompositeType): ReadonlySet<string> => {
    let set = possible.get(type.name);
    if (!set) {
      set = new Set(isAbstractType(type) ? schema.getPossibleTypes(type).map((t) => t.name) : [type.name]);
      possible.set(type.name, set);
    }
    return set;
  };

  /** The runtime types a fragment on `type` applies to, or undefined when it applies to all of `parent`. */
  const narrow = (
    parent: GraphQLCompositeType,
    condition: ReadonlySet<string> | undefined,
    type: GraphQLCompositeType,
  ): ReadonlySet<string> | undefined => {
    const target = possibleTypes(type);
    const current = condition ?? possibleTypes(parent);
    const next = new Set([...current].filter((t) => target.has(t)));
    if (!condition && next.size === current.size) return undefined;
    return next;
  };

  const recordRemoval = (
    path: string[],
    patch: PatchNode,
    key: string,
    type: GraphQLOutputType,
    types: ReadonlySet<string> | undefined,
    conditions: readonly SelectionCondition[],
    requirement: number,
  ) => {
    addKey(patch, key);
    const conditional = conditions.length ? { conditions } : {};
    patch.removed.push({ key, nonNull: isNonNullType(type), ...(types ? { types } : {}), ...conditional });
    const full = [...path, key];
    const id = `${full.join('\u0000')}\u0001${conditions.length ? JSON.stringify(conditions) : ''}`;
    if (!seenRemovals.has(id)) {
      seenRemovals.add(id);
      removals.push({ path: full, requirement, ...conditional });
    }
  };
  const withCondition = (conditions: readonly SelectionCondition[], own: SelectionCondition | undefined) =>
    own ? [...conditions, own] : conditions;

  const keepFragmentsUsedIn = (node: SelectionSetNode) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (keptFragments.has(name)) return;
        keptFragments.add(name);
        const fragment = fragments.get(name);
        if (fragment) keepFragmentsUsedIn(fragment.selectionSet);
      },
    });
  };

  /** Every field a denied fragment would have given, as removed. */
  const removeAll = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: string[],
    patch: PatchNode,
    types: ReadonlySet<string> | undefined,
    conditions: readonly SelectionCondition[],
    requirement: number,
  ) => {
    for (const step of doc.steps(selectionSet, parent)) {
      if (step.kind === 'field') {
        if (step.def)
          recordRemoval(
            path,
            patch,
            step.key,
            step.def.type,
            types,
            withCondition(conditions, step.condition),
            requirement,
          );
        continue;
      }
      removeAll(
        step.selectionSet,
        step.type,
        path,
        patch,
        narrow(parent, types, step.type) ?? types,
        withCondition(conditions, step.condition),
        requirement,
      );
    }
  };

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: string[],
    patch: PatchNode,
    types: ReadonlySet<string> | undefined,
    conditions: readonly SelectionCondition[],
  ): SelectionNode[] => {
    const out: SelectionNode[] = [];
    for (const step of doc.steps(selectionSet, parent)) {
      if (step.kind === 'field') {
        const { node: selection, key, def } = step;
        addKey(patch, key);
        if (step.name.startsWith('__')) {
          if (selection.selectionSet) keepFragmentsUsedIn(selection.selectionSet);
          out.push(selection);
          continue;
        }
        const site = analysis.sites.get(selection);
        if (def && site !== undefined && denied[site]) {
          recordRemoval(path, patch, key, def.type, types, withCondition(conditions, step.condition), site);
          if (types) patch.typenameKey = TYPENAME_KEY;
          continue;
        }
        if (!def || !step.composite) {
          out.push(selection);
          continue;
        }
        const childPatch = emptyPatch();
        const selections = walk(
          selection.selectionSet!,
          step.composite,
          [...path, ...pathSegments(key, def.type)],
          childPatch,
          undefined,
          [],
        );
        if (selections.length === 0 || childPatch.typenameKey) {
          selections.push(typenameField);
          childPatch.typenameKey = TYPENAME_KEY;
        }
        if (!patchIsEmpty(childPatch) || childPatch.typenameKey) {
          patch.children.push({ key, type: def.type, node: childPatch, ...(types ? { types } : {}) });
          if (types) patch.typenameKey = TYPENAME_KEY;
        }
        out.push({ ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections } });
        continue;
      }
      const { typeName, type: found, node: selection } = step;
      const narrowed = narrow(parent, types, found) ?? types;
      const site = analysis.sites.get(selection);
      const innerConditions = withCondition(conditions, step.condition);
      if (site !== undefined && denied[site]) {
        removeAll(step.selectionSet, found, path, patch, narrowed, innerConditions, site);
        if (narrowed) patch.typenameKey = TYPENAME_KEY;
        continue;
      }
      const selections = walk(step.selectionSet, found, path, patch, narrowed, innerConditions);
      if (selections.length === 0) continue;
      out.push({
        kind: Kind.INLINE_FRAGMENT,
        ...(typeName ? { typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: typeName } } } : {}),
        ...(selection.directives?.length ? { directives: selection.directives } : {}),
        selectionSet: { kind: Kind.SELECTION_SET, selections },
      });
    }
    return out;
  };

  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`The schema has no ${operation.operation} type.`);
  const patch = emptyPatch();
  const selections = walk(operation.selectionSet, root, [], patch, undefined, []);
  if (selections.length === 0 || patch.typenameKey) {
    selections.push(typenameField);
    patch.typenameKey = TYPENAME_KEY;
  }
  const filtered: OperationDefinitionNode = { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections } };
  const definitions: (OperationDefinitionNode | FragmentDefinitionNode)[] = [filtered];
  for (const name of keptFragments) {
    const fragment = fragments.get(name);
    if (fragment) definitions.push(fragment);
  }
  const withoutUnusedVariables = pruneVariables(filtered, definitions);
  definitions[0] = withoutUnusedVariables;
  return {
    document: { kind: Kind.DOCUMENT, definitions },
    operation: withoutUnusedVariables,
    patch,
    removals,
    defaults: booleanDefaults(operation),
  };
}

/** Drops variable definitions that only removed selections used (a required one would fail). */
function pruneVariables(
  operation: OperationDefinitionNode,
  definitions: readonly (OperationDefinitionNode | FragmentDefinitionNode)[],
): OperationDefinitionNode {
  if (!operation.variableDefinitions?.length) return operation;
  const used = new Set<string>();
  const collect = {
    Variable(node: { name: { value: string } }) {
      used.add(node.name.value);
    },
    VariableDefinition() {
      return false; // a definition's own name is not a use
    },
  };
  for (const def of definitions) visit(def, collect);
  const kept = operation.variableDefinitions.filter((v) => used.has(v.variable.name.value));
  return kept.length === operation.variableDefinitions.length ? operation : { ...operation, variableDefinitions: kept };
}
