import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { RouterErrorCode, requestError } from '../errors.js';

/** Arguments read as a list field's page size, in this order. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];

export interface OperationLimits {
  /** 0 turns a limit off. */
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxCost: number;
  defaultListSize: number;
  /** Deepest nesting inside `__schema` / `__type` (counting them as 1). */
  maxIntrospectionDepth?: number;
}

/**
 * List fields nested in one introspection selection (`types { fields { args } }` is 3, as
 * the standard introspection query): as Apollo Router, no more, since each level multiplies
 * the answer by the size of the schema.
 */
export const MAX_INTROSPECTION_LIST_DEPTH = 3;

/** The measures of one operation that the limits apply to. */
export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  /** The estimated cost, with list sizes from variables read as the default size. */
  cost: number;
  /** Some list size comes from a variable: the cost is estimated again with each request's variables. */
  costDependsOnVariables: boolean;
  /** Deepest introspection selection (`__schema` / `__type` at 1), and most list fields nested in one. */
  introspectionDepth: number;
  introspectionLists: number;
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
  /** Inside introspection: list fields nested. */
  lists: number;
  /** Of the introspection selections under this one. */
  introspectionDepth: number;
  introspectionLists: number;
}

const ZERO: Measure = Object.freeze({ depth: 0, aliases: 0, cost: 0, lists: 0, introspectionDepth: 0, introspectionLists: 0 });

const isIntrospection = (field: FieldNode) => field.name.value === '__schema' || field.name.value === '__type';

function fieldOf(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** A connection (Relay style, or any object with a page size) hands its size to these lists. */
const CONNECTION_LISTS = new Set(['edges', 'nodes', 'items']);

/**
 * The cost model (documented in router/README.md): every field costs 1 plus the cost of its
 * selections; a field returning a list multiplies that by its `first`, `last` or `limit`
 * argument (the literal, the variable's value, or the argument's default), else by
 * `defaultListSize`. A non-list field with such an argument (a connection) passes its size to
 * its `edges` / `nodes` / `items` lists. `__typename` costs nothing; introspection costs
 * nothing either but counts toward aliases and root fields, and has its own depth and list
 * nesting bounds. Fragments count once per place they are spread.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  defaultListSize: number,
  variables?: Record<string, unknown>,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  const memo = new Map<string, Measure>();
  let costDependsOnVariables = false;

  /** The size the client asked for (literal or variable), else the schema's default, else undefined. */
  const sizeArgument = (field: FieldNode, def: GraphQLField<unknown, unknown>): number | undefined => {
    // What the client sent comes first, whatever the order of the names.
    for (const name of SIZE_ARGUMENTS) {
      const arg = field.arguments?.find((a) => a.name.value === name);
      if (!arg) continue;
      if (arg.value.kind === Kind.INT) return Number(arg.value.value);
      if (arg.value.kind === Kind.VARIABLE) {
        costDependsOnVariables = true;
        const variable = arg.value.name.value;
        const value = variables?.[variable];
        if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
        const declared = operation.variableDefinitions?.find((v) => v.variable.name.value === variable);
        if (value === undefined && declared?.defaultValue?.kind === Kind.INT) return Number(declared.defaultValue.value);
        if (value === undefined) continue; // not given: another argument, or the schema's default, applies
      }
      return defaultListSize;
    }
    for (const name of SIZE_ARGUMENTS) {
      const declared = def.args.find((a) => a.name === name);
      if (declared && typeof declared.defaultValue === 'number') return declared.defaultValue;
    }
    return undefined;
  };

  const measure = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, introspection: boolean, pageSize?: number): Measure => {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    let lists = 0;
    let introspectionDepth = 0;
    let introspectionLists = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        const name = selection.name.value;
        if (name === '__typename') {
          depth = Math.max(depth, 1);
          continue;
        }
        const entering = !introspection && isIntrospection(selection);
        const def = entering ? (name === '__schema' ? SchemaMetaFieldDef : TypeMetaFieldDef) : fieldOf(parent, name);
        const named = def ? getNamedType(def.type) : undefined;
        const list = def ? isList(def.type) : false;
        const size = def && !introspection && !entering ? sizeArgument(selection, def) : undefined;
        const inner =
          selection.selectionSet && named && isCompositeType(named)
            ? measure(selection.selectionSet, named, introspection || entering, list ? undefined : size)
            : ZERO;
        aliases += inner.aliases;
        if (introspection || entering) {
          // Introspection is answered by the router from the schema: no cost, its own bounds.
          const levels = inner.lists + (list ? 1 : 0);
          if (entering) {
            depth = Math.max(depth, 1);
            introspectionDepth = Math.max(introspectionDepth, 1 + inner.depth);
            introspectionLists = Math.max(introspectionLists, levels);
          } else {
            depth = Math.max(depth, 1 + inner.depth);
            lists = Math.max(lists, levels);
          }
          continue;
        }
        depth = Math.max(depth, 1 + inner.depth);
        introspectionDepth = Math.max(introspectionDepth, inner.introspectionDepth);
        introspectionLists = Math.max(introspectionLists, inner.introspectionLists);
        let times = 1;
        if (list) times = size ?? (pageSize !== undefined && CONNECTION_LISTS.has(name) ? pageSize : defaultListSize);
        cost += (1 + inner.cost) * times;
        continue;
      }
      let inner: Measure | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) inner = measure(selection.selectionSet, type, introspection, pageSize);
      } else {
        const name = selection.name.value;
        // A fragment measures differently inside introspection and under a connection's size.
        const key = `${name}\u0000${introspection ? 1 : 0}\u0000${pageSize ?? ''}`;
        inner = memo.get(key);
        const fragment = fragments.get(name);
        if (!inner && fragment) {
          const type = schema.getType(fragment.typeCondition.name.value);
          if (type && isCompositeType(type)) {
            memo.set(key, ZERO); // a cycle (invalid anyway) ends here
            inner = measure(fragment.selectionSet, type, introspection, pageSize);
            memo.set(key, inner);
          }
        }
      }
      if (!inner) continue;
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      cost += inner.cost;
      lists = Math.max(lists, inner.lists);
      introspectionDepth = Math.max(introspectionDepth, inner.introspectionDepth);
      introspectionLists = Math.max(introspectionLists, inner.introspectionLists);
    }
    return { depth, aliases, cost, lists, introspectionDepth, introspectionLists };
  };

  const root = schema.getRootType(operation.operation);
  if (!root) {
    return { depth: 0, aliases: 0, rootFields: 0, cost: 0, costDependsOnVariables: false, introspectionDepth: 0, introspectionLists: 0 };
  }
  const total = measure(operation.selectionSet, root, false);
  return {
    depth: total.depth,
    aliases: total.aliases,
    cost: total.cost,
    introspectionDepth: total.introspectionDepth,
    introspectionLists: total.introspectionLists,
    rootFields: countRootFields(operation.selectionSet, fragments, new Set()),
    costDependsOnVariables,
  };
}

function countRootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      // `__schema` and `__type` count (each is a whole introspection); `__typename` does not.
      if (selection.name.value !== '__typename') count++;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(selection.selectionSet, fragments, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment && !seen.has(fragment.name.value)) {
        seen.add(fragment.name.value);
        count += countRootFields(fragment.selectionSet, fragments, seen);
      }
    }
  }
  return count;
}

/** The first limit the operation breaks, as a request error (no subgraph is called). */
export function checkLimits(shape: OperationShape, limits: OperationLimits, cost = shape.cost) {
  const over = (actual: number, limit: number) => limit > 0 && actual > limit;
  if (over(shape.depth, limits.maxDepth)) {
    return requestError(`The operation is ${shape.depth} levels deep; at most ${limits.maxDepth} are allowed.`, RouterErrorCode.MaxDepthExceeded, 400, { limit: limits.maxDepth, actual: shape.depth });
  }
  if (over(shape.aliases, limits.maxAliases)) {
    return requestError(`The operation uses ${shape.aliases} aliases; at most ${limits.maxAliases} are allowed.`, RouterErrorCode.MaxAliasesExceeded, 400, { limit: limits.maxAliases, actual: shape.aliases });
  }
  if (over(shape.rootFields, limits.maxRootFields)) {
    return requestError(`The operation selects ${shape.rootFields} root fields; at most ${limits.maxRootFields} are allowed.`, RouterErrorCode.MaxRootFieldsExceeded, 400, { limit: limits.maxRootFields, actual: shape.rootFields });
  }
  const maxIntrospectionDepth = limits.maxIntrospectionDepth ?? 0;
  if (over(shape.introspectionDepth, maxIntrospectionDepth)) {
    return requestError(
      `The operation's introspection is ${shape.introspectionDepth} levels deep; at most ${maxIntrospectionDepth} are allowed.`,
      RouterErrorCode.MaxIntrospectionDepthExceeded,
      400,
      { limit: maxIntrospectionDepth, actual: shape.introspectionDepth },
    );
  }
  if (over(shape.introspectionLists, MAX_INTROSPECTION_LIST_DEPTH)) {
    return requestError(
      `The operation's introspection nests ${shape.introspectionLists} list fields; at most ${MAX_INTROSPECTION_LIST_DEPTH} are allowed.`,
      RouterErrorCode.MaxIntrospectionDepthExceeded,
      400,
      { limit: MAX_INTROSPECTION_LIST_DEPTH, actual: shape.introspectionLists, lists: true },
    );
  }
  if (over(cost, limits.maxCost)) {
    return requestError(`The operation's estimated cost is ${cost}; at most ${limits.maxCost} is allowed.`, RouterErrorCode.MaxCostExceeded, 400, { limit: limits.maxCost, actual: cost });
  }
  return undefined;
}
