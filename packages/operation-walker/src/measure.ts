import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type SelectionSetNode,
} from 'graphql';
import type { OperationDocument } from './document.js';

/** Arguments read as a list field's page size, in this order. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];
/** A connection (Relay style, or any object with a page size) hands its size to these lists. */
const CONNECTION_LISTS = new Set(['edges', 'nodes', 'items']);

/** The measures of one operation that the limits apply to. */
export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  /** Selections the operation expands to once every fragment spread is replaced by its fragment. */
  selections: number;
  /** The estimated cost, with list sizes from variables read as the default size. */
  cost: number;
  /** Some list size comes from a variable: the cost is estimated again with each request's variables. */
  costDependsOnVariables: boolean;
  /** Deepest introspection selection (`__schema` / `__type` at 1), and most list fields nested in one. */
  introspectionDepth: number;
  introspectionLists: number;
  /** Selections this measure visited: linear in the document, whatever the fragments expand to. */
  visited: number;
}

interface Measure {
  depth: number;
  aliases: number;
  selections: number;
  cost: number;
  /** Inside introspection: list fields nested. */
  lists: number;
  /** Of the introspection selections under this one. */
  introspectionDepth: number;
  introspectionLists: number;
}

const ZERO: Measure = Object.freeze({ depth: 0, aliases: 0, selections: 0, cost: 0, lists: 0, introspectionDepth: 0, introspectionLists: 0 });

const isIntrospection = (field: FieldNode) => field.name.value === '__schema' || field.name.value === '__type';
const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

/**
 * The cost model (documented in router/README.md): every field costs 1 plus the cost of its
 * selections; a field returning a list multiplies that by its `first`, `last` or `limit`
 * argument (the literal, the variable's value, or the argument's default), else by
 * `defaultListSize`. A non-list field with such an argument (a connection) passes its size to
 * its `edges` / `nodes` / `items` lists. `__typename` costs nothing; introspection costs
 * nothing either but counts toward aliases and root fields, and has its own depth and list
 * nesting bounds. Fragments count once per place they are spread, but each is measured once:
 * a chain of fragments that each spread the previous twice costs a walk of the document, not
 * of its 2^n expansion (their counts grow, and the limits refuse them).
 */
export function measureOperation(doc: OperationDocument, defaultListSize: number, variables?: Record<string, unknown>): OperationShape {
  const { operation } = doc;
  const memo = new Map<string, Measure>();
  let costDependsOnVariables = false;
  let visited = 0;

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
    const m = { ...ZERO };
    const add = (inner: Measure) => {
      m.depth = Math.max(m.depth, inner.depth);
      m.aliases += inner.aliases;
      m.selections += inner.selections;
      m.cost += inner.cost;
      m.lists = Math.max(m.lists, inner.lists);
      m.introspectionDepth = Math.max(m.introspectionDepth, inner.introspectionDepth);
      m.introspectionLists = Math.max(m.introspectionLists, inner.introspectionLists);
    };
    for (const step of doc.steps(selectionSet, parent)) {
      visited++;
      m.selections++;
      if (step.kind === 'fragment') {
        if (step.node.kind === Kind.INLINE_FRAGMENT) {
          add(measure(step.selectionSet, step.type, introspection, pageSize));
          continue;
        }
        // A fragment measures differently inside introspection and under a connection's size.
        const key = `${step.fragment!.name.value}\u0000${introspection ? 1 : 0}\u0000${pageSize ?? ''}`;
        let inner = memo.get(key);
        if (!inner) {
          memo.set(key, ZERO); // a cycle (refused by validation anyway) ends here
          inner = measure(step.selectionSet, step.type, introspection, pageSize);
          memo.set(key, inner);
        }
        add(inner);
        continue;
      }
      const { node } = step;
      if (node.alias) m.aliases++;
      if (step.name === '__typename') {
        m.depth = Math.max(m.depth, 1);
        continue;
      }
      const entering = !introspection && isIntrospection(node);
      const def = entering ? (step.name === '__schema' ? SchemaMetaFieldDef : TypeMetaFieldDef) : step.def;
      const named = def ? getNamedType(def.type) : undefined;
      const list = def ? isList(def.type) : false;
      const size = def && !introspection && !entering ? sizeArgument(node, def) : undefined;
      const inner =
        node.selectionSet && named && isCompositeType(named)
          ? measure(node.selectionSet, named, introspection || entering, list ? undefined : size)
          : ZERO;
      m.aliases += inner.aliases;
      m.selections += inner.selections;
      if (introspection || entering) {
        // Introspection is answered by the router from the schema: no cost, its own bounds.
        const levels = inner.lists + (list ? 1 : 0);
        if (entering) {
          m.depth = Math.max(m.depth, 1);
          m.introspectionDepth = Math.max(m.introspectionDepth, 1 + inner.depth);
          m.introspectionLists = Math.max(m.introspectionLists, levels);
        } else {
          m.depth = Math.max(m.depth, 1 + inner.depth);
          m.lists = Math.max(m.lists, levels);
        }
        continue;
      }
      m.depth = Math.max(m.depth, 1 + inner.depth);
      m.introspectionDepth = Math.max(m.introspectionDepth, inner.introspectionDepth);
      m.introspectionLists = Math.max(m.introspectionLists, inner.introspectionLists);
      let times = 1;
      if (list) times = size ?? (pageSize !== undefined && CONNECTION_LISTS.has(step.name) ? pageSize : defaultListSize);
      m.cost += (1 + inner.cost) * times;
    }
    return m;
  };

  const root = doc.root;
  if (!root) {
    return { depth: 0, aliases: 0, rootFields: 0, selections: 0, cost: 0, costDependsOnVariables: false, introspectionDepth: 0, introspectionLists: 0, visited };
  }
  const total = measure(operation.selectionSet, root, false);
  return {
    depth: total.depth,
    aliases: total.aliases,
    selections: total.selections,
    cost: total.cost,
    introspectionDepth: total.introspectionDepth,
    introspectionLists: total.introspectionLists,
    rootFields: countRootFields(doc, operation.selectionSet, root, new Set()),
    costDependsOnVariables,
    visited,
  };
}

function countRootFields(doc: OperationDocument, set: SelectionSetNode, root: GraphQLCompositeType, seen: Set<string>): number {
  let count = 0;
  for (const step of doc.steps(set, root)) {
    if (step.kind === 'field') {
      // `__schema` and `__type` count (each is a whole introspection); `__typename` does not.
      if (step.name !== '__typename') count++;
    } else if (!step.fragment) {
      count += countRootFields(doc, step.selectionSet, root, seen);
    } else if (!seen.has(step.fragment.name.value)) {
      seen.add(step.fragment.name.value);
      count += countRootFields(doc, step.selectionSet, root, seen);
    }
  }
  return count;
}
