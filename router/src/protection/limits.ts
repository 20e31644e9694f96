import {
  Kind,
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
}

/** The measures of one operation that the limits apply to. */
export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  /** The estimated cost, with list sizes from variables read as the default size. */
  cost: number;
  /** Some list size comes from a variable: the cost is estimated again with each request's variables. */
  costDependsOnVariables: boolean;
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

const isIntrospection = (field: FieldNode) => field.name.value === '__schema' || field.name.value === '__type';

function fieldOf(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * The cost model (documented in router/README.md): every field costs 1 plus the cost of its
 * selections; a field returning a list multiplies that by its `first`, `last` or `limit`
 * argument (the literal, the variable's value, or the argument's default), else by
 * `defaultListSize`. `__typename` costs nothing; introspection (`__schema`, `__type`) is not
 * counted by any limit. Fragments count once per place they are spread.
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

  const listSize = (field: FieldNode, def: GraphQLField<unknown, unknown>): number => {
    for (const name of SIZE_ARGUMENTS) {
      const arg = field.arguments?.find((a) => a.name.value === name);
      if (arg) {
        if (arg.value.kind === Kind.INT) return Number(arg.value.value);
        if (arg.value.kind === Kind.VARIABLE) {
          costDependsOnVariables = true;
          const variable = arg.value.name.value;
          const value = variables?.[variable];
          if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
          const declared = operation.variableDefinitions?.find((v) => v.variable.name.value === variable);
          if (value === undefined && declared?.defaultValue?.kind === Kind.INT) return Number(declared.defaultValue.value);
        }
        return defaultListSize;
      }
      const declared = def.args.find((a) => a.name === name);
      if (declared && typeof declared.defaultValue === 'number') return declared.defaultValue;
    }
    return defaultListSize;
  };

  const measure = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): Measure => {
    let depth = 0;
    let aliases = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (isIntrospection(selection)) continue;
        if (selection.alias) aliases++;
        if (selection.name.value === '__typename') {
          depth = Math.max(depth, 1);
          continue;
        }
        const def = fieldOf(parent, selection.name.value);
        const named = def ? getNamedType(def.type) : undefined;
        const inner =
          selection.selectionSet && named && isCompositeType(named)
            ? measure(selection.selectionSet, named)
            : { depth: 0, aliases: 0, cost: 0 };
        depth = Math.max(depth, 1 + inner.depth);
        aliases += inner.aliases;
        cost += (1 + inner.cost) * (def && isList(def.type) ? listSize(selection, def) : 1);
        continue;
      }
      let inner: Measure | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) inner = measure(selection.selectionSet, type);
      } else {
        const name = selection.name.value;
        inner = memo.get(name);
        const fragment = fragments.get(name);
        if (!inner && fragment) {
          const type = schema.getType(fragment.typeCondition.name.value);
          if (type && isCompositeType(type)) {
            memo.set(name, { depth: 0, aliases: 0, cost: 0 }); // a cycle (invalid anyway) ends here
            inner = measure(fragment.selectionSet, type);
            memo.set(name, inner);
          }
        }
      }
      if (!inner) continue;
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      cost += inner.cost;
    }
    return { depth, aliases, cost };
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, aliases: 0, rootFields: 0, cost: 0, costDependsOnVariables: false };
  const total = measure(operation.selectionSet, root);
  return {
    ...total,
    rootFields: countRootFields(operation.selectionSet, fragments, new Set()),
    costDependsOnVariables,
  };
}

function countRootFields(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!selection.name.value.startsWith('__')) count++;
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
  if (over(cost, limits.maxCost)) {
    return requestError(`The operation's estimated cost is ${cost}; at most ${limits.maxCost} is allowed.`, RouterErrorCode.MaxCostExceeded, 400, { limit: limits.maxCost, actual: cost });
  }
  return undefined;
}
