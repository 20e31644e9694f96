import {
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  typeFromAST,
  valueFromAST,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { OperationDocument, Step } from '@dataos/operation-walker';
import { RouterErrorCode } from '../errors.js';

/** `@skip(if:)` / `@include(if:)`: a constant, or the name of a variable. */
type Condition = boolean | string;

type CompiledSelection =
  | { kind: 'typename'; key: string; skip?: Condition; include?: Condition }
  | {
      kind: 'field';
      key: string;
      type: GraphQLOutputType;
      sub?: CompiledSet;
      /** A scalar or enum field that is not a list (`T` or `T!`): copied without the general walk when valid. */
      leaf?: GraphQLNamedType;
      nullable?: boolean;
      skip?: Condition;
      include?: Condition;
    }
  | {
      kind: 'fragment';
      /** Object types the condition matches (undefined: no type condition). */
      possible?: ReadonlySet<string>;
      /** Whether it applies to an object of unknown type (no `__typename`) under its static parent. */
      appliesToParent: boolean;
      parentName: string;
      sub: CompiledSet;
      skip?: Condition;
      include?: Condition;
    };

interface CompiledSet {
  selections: CompiledSelection[];
}

/**
 * An operation compiled once against the API schema, that gives the answer its shape from
 * what the subgraphs returned: what `@apollo/gateway`'s `computeResponse` does per request
 * with its own operation model, here with the work done ahead (types resolved, fragments and
 * conditions looked up once).
 */
export interface ResponseShaper {
  root: CompiledSet;
  rootName: string;
  /** Variables' default values, under the values sent (for `@skip`/`@include`). */
  defaults: Record<string, unknown>;
  usesConditions: boolean;
  objectTypes: ReadonlySet<string>;
  schema: GraphQLSchema;
}

const BUILT_IN = new Set(['Int', 'Float', 'String', 'Boolean', 'ID']);
const INTEGER = /^[+-]?\d+$/;

/** Thrown at compile time for what the router's executor leaves to the gateway (introspection, @defer). */
export class NotCompilable extends Error {}

/**
 * Compiles once per document: each selection set once per parent type (a fragment spread in many
 * places shares one compiled set), so the work is linear in the document, not in its expansion.
 */
export function compileShaper(doc: OperationDocument): ResponseShaper {
  const { schema, operation } = doc;
  const root = doc.root;
  if (!root) throw new NotCompilable(`no ${operation.operation} type`);
  let usesConditions = false;
  const possibleCache = new Map<string, ReadonlySet<string>>();
  const possibleOf = (type: GraphQLCompositeType) => {
    let set = possibleCache.get(type.name);
    if (!set) {
      set = new Set(isAbstractType(type) ? schema.getPossibleTypes(type).map((t) => t.name) : [type.name]);
      possibleCache.set(type.name, set);
    }
    return set;
  };
  /** Whether `sub` is `parent` or one of its possible types (federation's isSubtype(parent, sub)). */
  const isSubtype = (parent: GraphQLCompositeType, sub: GraphQLNamedType) => {
    if (parent === sub) return true;
    if (isAbstractType(parent) && (isObjectType(sub) || isInterfaceType(sub))) return schema.isSubType(parent, sub);
    return false;
  };

  const conditions = (step: Step) => {
    for (const d of step.node.directives ?? [])
      if (d.name.value === 'defer' || d.name.value === 'stream') throw new NotCompilable('@defer/@stream');
    const { skip, include } = step.condition ?? {};
    if (typeof skip === 'string' || typeof include === 'string') usesConditions = true;
    return { ...(skip !== undefined ? { skip } : {}), ...(include !== undefined ? { include } : {}) };
  };

  const compiledSets = new Map<SelectionSetNode, Map<string, CompiledSet>>();
  const compile = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): CompiledSet => {
    let byParent = compiledSets.get(selectionSet);
    if (!byParent) compiledSets.set(selectionSet, (byParent = new Map()));
    const cached = byParent.get(parent.name);
    if (cached) return cached;
    const set: CompiledSet = { selections: [] };
    byParent.set(parent.name, set);
    const { selections } = set;
    if (selectionSet.selections.length !== doc.steps(selectionSet, parent).length)
      throw new NotCompilable('unresolved selections');
    for (const step of doc.steps(selectionSet, parent)) {
      if (step.kind === 'field') {
        const { name, key } = step;
        if (name === '__typename') {
          selections.push({ kind: 'typename', key, ...conditions(step) });
          continue;
        }
        if (name.startsWith('__')) throw new NotCompilable('introspection');
        if (!isObjectType(parent) && !isInterfaceType(parent))
          throw new NotCompilable(`field ${name} on ${parent.name}`);
        if (!step.def) throw new NotCompilable(`unknown field ${parent.name}.${name}`);
        const sub = step.composite ? compile(step.node.selectionSet!, step.composite) : undefined;
        const type = step.def.type;
        const inner = isNonNullType(type) ? type.ofType : type;
        const leaf = isScalarType(inner) || isEnumType(inner) ? inner : undefined;
        selections.push({
          kind: 'field',
          key,
          type,
          ...(sub ? { sub } : {}),
          ...(leaf ? { leaf, nullable: inner === type } : {}),
          ...conditions(step),
        });
        continue;
      }
      const cond = step.typeName ? step.type : undefined;
      selections.push({
        kind: 'fragment',
        ...(cond ? { possible: possibleOf(cond) } : {}),
        appliesToParent: !cond || isSubtype(cond, parent),
        parentName: step.type.name,
        sub: compile(step.selectionSet, step.type),
        ...conditions(step),
      });
    }
    return set;
  };

  const compiled = compile(operation.selectionSet, root);
  const defaults: Record<string, unknown> = {};
  for (const def of operation.variableDefinitions ?? []) {
    if (!def.defaultValue) continue;
    const type = typeFromAST(schema, def.type);
    if (type && isInputType(type)) defaults[def.variable.name.value] = valueFromAST(def.defaultValue, type);
  }
  const objectTypes = new Set(
    Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t))
      .map((t) => t.name),
  );
  return { root: compiled, rootName: root.name, defaults, usesConditions, objectTypes, schema };
}

/** Returned up the walk when an object must become null because a non-null field of it is. */
const BUBBLE = Symbol('bubble');

/** Which subgraph gave the value at a path of the answer (for errors about a wrong-shaped value). */
export type Blame = (path: readonly (string | number)[], value: unknown) => string | undefined;

interface Run {
  shaper: ResponseShaper;
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  path: (string | number)[];
  blame?: Blame;
}

/**
 * A subgraph's value that cannot be what the schema says (a string for a list, a number for an
 * object): null there and an error, the rest of the answer kept.
 */
function wrongShape(run: Run, value: unknown, expected: string, parentName: string, type: GraphQLOutputType): Update {
  const serviceName = run.blame?.(run.path, value);
  const who = serviceName ? `Subgraph "${serviceName}"` : 'A subgraph';
  const found = value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
  run.errors.push(
    new GraphQLError(
      `${who} answered ${found} for ${describeLast(run.path, type, parentName)}, where ${expected} was expected.`,
      {
        path: [...run.path],
        extensions: { code: RouterErrorCode.SubgraphInvalidResponse, ...(serviceName ? { serviceName } : {}) },
      },
    ),
  );
  return { value: null, hasErrors: true };
}

function holds(condition: Condition, variables: Record<string, unknown>): boolean {
  if (typeof condition === 'boolean') return condition;
  const value = variables[condition];
  if (typeof value !== 'boolean') throw new Error(`Unexpected value ${String(value)} for variable $${condition}`);
  return value;
}

const skipped = (s: { skip?: Condition; include?: Condition }, variables: Record<string, unknown>) =>
  (s.skip !== undefined && holds(s.skip, variables)) || (s.include !== undefined && !holds(s.include, variables));

const own = (object: Record<string, unknown>, key: string) => (Object.hasOwn(object, key) ? object[key] : undefined);

function describeLast(path: readonly (string | number)[], type: GraphQLOutputType, parentName: string): string {
  const last = path[path.length - 1];
  return typeof last === 'string'
    ? `field ${parentName}.${last}`
    : `array element of type ${String(type)} at index ${last}`;
}

function validLeaf(value: unknown, type: GraphQLNamedType): boolean {
  if (isScalarType(type) && !BUILT_IN.has(type.name)) return true;
  if (typeof value === 'boolean') return type.name === 'Boolean';
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (type.name === 'Int' || type.name === 'ID') return INTEGER.test(String(value));
    return type.name === 'Float';
  }
  if (typeof value === 'string') {
    if (isEnumType(type)) return type.getValue(value) !== undefined;
    return type.name !== 'Boolean' && type.name !== 'Int' && type.name !== 'Float';
  }
  return false;
}

function applySet(
  run: Run,
  input: Record<string, unknown>,
  set: CompiledSet,
  output: Record<string, unknown>,
  parentName: string,
): typeof BUBBLE | undefined {
  const { variables } = run;
  for (const selection of set.selections) {
    if ((selection.skip !== undefined || selection.include !== undefined) && skipped(selection, variables)) continue;
    if (selection.kind === 'typename') {
      if (output[selection.key] !== undefined) continue;
      let value = own(input, selection.key) ?? null;
      if (value === null && selection.key !== '__typename') value = (input.__typename as unknown) ?? null;
      const name = typeof value === 'string' && run.shaper.schema.getType(value) ? value : parentName;
      if (!run.shaper.objectTypes.has(name)) return BUBBLE;
      output[selection.key] = name;
      continue;
    }
    if (selection.kind === 'field') {
      if (selection.leaf) {
        // The common case of updateValue, without its walk: a valid value (or null where allowed) is copied as is.
        if (output[selection.key] !== undefined) continue;
        const value = own(input, selection.key) ?? null;
        if (value === null ? selection.nullable : validLeaf(value, selection.leaf)) {
          output[selection.key] = value;
          continue;
        }
      }
      run.path.push(selection.key);
      const result = updateValue(
        run,
        output[selection.key],
        selection.type,
        own(input, selection.key) ?? null,
        selection.sub,
        parentName,
      );
      output[selection.key] = result.value;
      run.path.pop();
      if (result.invalid) return BUBBLE;
      continue;
    }
    const typename = input.__typename;
    if (typename !== undefined && typeof typename !== 'string')
      throw new Error(`Got unexpected value for __typename: ${String(typename)}`);
    const applies = !selection.possible
      ? true
      : typename
        ? selection.possible.has(typename)
        : selection.appliesToParent;
    if (!applies) continue;
    if (applySet(run, input, selection.sub, output, selection.possible ? selection.parentName : parentName) === BUBBLE)
      return BUBBLE;
  }
  return undefined;
}

interface Update {
  value: unknown;
  invalid?: boolean;
  hasErrors?: boolean;
}

function updateValue(
  run: Run,
  outputValue: unknown,
  type: GraphQLOutputType,
  inputValue: unknown,
  sub: CompiledSet | undefined,
  parentName: string,
): Update {
  if (outputValue === null || (outputValue !== undefined && !sub)) return { value: outputValue };
  if (isNonNullType(type)) {
    const inner = updateValue(run, outputValue, type.ofType, inputValue, sub, parentName);
    if (inner.value === null) {
      if (!inner.hasErrors) {
        run.errors.push(
          new GraphQLError(`Cannot return null for non-nullable ${describeLast(run.path, type.ofType, parentName)}.`, {
            path: [...run.path],
            extensions: { code: 'INVALID_GRAPHQL' },
          }),
        );
      }
      return { value: null, invalid: true, hasErrors: true };
    }
    return { value: inner.value };
  }
  if (inputValue === null) return { value: null };
  if (isListType(type)) {
    if (!Array.isArray(inputValue))
      return wrongShape(run, inputValue, `a list of ${String(type.ofType)}`, parentName, type);
    const existing = Array.isArray(outputValue) ? outputValue : undefined;
    if (existing && existing.length !== inputValue.length) throw new Error('list lengths differ');
    const items = new Array<unknown>(inputValue.length);
    let nullify = false;
    let hasErrors = false;
    for (let i = 0; i < inputValue.length; i++) {
      run.path.push(i);
      const item = updateValue(run, existing?.[i], type.ofType, inputValue[i] ?? null, sub, parentName);
      run.path.pop();
      if (item.invalid) nullify = true;
      if (item.hasErrors) hasErrors = true;
      items[i] = item.value;
    }
    return { value: nullify ? null : items, hasErrors };
  }
  if (isCompositeType(type)) {
    if (!sub) throw new Error(`Invalid empty selection set for composite type ${type.name}`);
    if (typeof inputValue !== 'object' || Array.isArray(inputValue))
      return wrongShape(run, inputValue, `an object of type ${type.name}`, parentName, type);
    const input = inputValue as Record<string, unknown>;
    const typename = input.__typename;
    if (typename !== undefined && typeof typename !== 'string')
      throw new Error(`Invalid non-string value for __typename at ${run.path.join('.')}`);
    let objectName = type.name;
    if (typename) {
      const found = run.shaper.schema.getType(typename);
      if (!found || !isCompositeType(found)) {
        run.errors.push(
          new GraphQLError(`Invalid __typename found for object at ${describeLast(run.path, type, parentName)}.`, {
            path: [...run.path],
            extensions: { code: 'INVALID_GRAPHQL' },
          }),
        );
        return { value: null, hasErrors: true };
      }
      objectName = found.name;
    }
    const output =
      (outputValue as Record<string, unknown> | undefined) ?? (Object.create(null) as Record<string, unknown>);
    const bubbled = applySet(run, input, sub, output, objectName) === BUBBLE;
    return { value: bubbled ? null : output, hasErrors: bubbled };
  }
  const named = type as GraphQLNamedType;
  if (validLeaf(inputValue, named)) return { value: inputValue };
  run.errors.push(
    new GraphQLError(`Invalid value found for ${describeLast(run.path, type, parentName)}.`, {
      path: [...run.path],
      extensions: { code: 'INVALID_GRAPHQL' },
    }),
  );
  return { value: null, hasErrors: true };
}

/**
 * The answer for `input` (what the fetches gathered): only the fields asked for, under their
 * aliases, `@skip`/`@include` applied, null propagated for missing non-null fields; plus the
 * problems found on the way (as `@apollo/gateway` reports them).
 */
export function shapeResponse(
  shaper: ResponseShaper,
  input: Record<string, unknown>,
  variables: Record<string, unknown> | undefined,
  blame?: Blame,
): { data: Record<string, unknown> | null; errors: GraphQLError[] } {
  const run: Run = {
    shaper,
    variables: shaper.usesConditions ? { ...shaper.defaults, ...variables } : (variables ?? {}),
    errors: [],
    path: [],
    ...(blame ? { blame } : {}),
  };
  const data = Object.create(null) as Record<string, unknown>;
  const bubbled = applySet(run, input, shaper.root, data, shaper.rootName) === BUBBLE;
  return { data: bubbled ? null : data, errors: run.errors };
}
