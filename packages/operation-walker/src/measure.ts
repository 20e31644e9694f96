import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type SelectionSetNode,
} from 'graphql';
import { Branches, type Narrowed } from './branches.js';
import { NO_COST_DIRECTIVES, type CostDirectives } from './cost-directives.js';
import type { OperationDocument } from './document.js';
import { sliceSize, type SliceSize } from './slicing.js';

/** A connection (Relay style, or any object with a page size) hands its size to these lists. */
const CONNECTION_LISTS: ReadonlySet<string> = new Set(['edges', 'nodes', 'items']);

/** A field given fewer or more slicing arguments than its `@listSize(requireOneSlicingArgument: true)` allows. */
export interface SlicingViolation {
  /** `Type.field`. */
  field: string;
  slicingArguments: readonly string[];
  given: number;
}

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
  /** The first field that needs exactly one slicing argument and did not get it (for these variables). */
  slicingViolation?: SlicingViolation;
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
  /** What every object the selection set applies to costs. */
  cost: number;
  /** Under an abstract type: what fragments narrowed to some of its types add (see Branches). */
  narrowed?: ReadonlyMap<GraphQLCompositeType, number>;
  /** What the costliest type gets from them: an object is of one type, so only that one counts. */
  widest?: number;
  /** Inside introspection: list fields nested. */
  lists: number;
  /** Of the introspection selections under this one. */
  introspectionDepth: number;
  introspectionLists: number;
}

const ZERO: Measure = Object.freeze({
  depth: 0,
  aliases: 0,
  selections: 0,
  cost: 0,
  lists: 0,
  introspectionDepth: 0,
  introspectionLists: 0,
});

/** The cost of a selection set: its common part and its costliest branch. */
const costOf = (m: Measure) => m.cost + (m.widest ?? 0);

/** A connection's size, handed to its lists: `edges`/`nodes`/`items`, or its `@listSize(sizedFields:)`. */
interface Sized {
  size: number;
  lists: ReadonlySet<string>;
  /** Tells fragments measured under different sizes apart. */
  key: string;
}

const isIntrospection = (field: FieldNode) => field.name.value === '__schema' || field.name.value === '__type';
const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

/**
 * The cost model (documented in router/README.md): every field costs 1 (or its `@cost` weight,
 * else its type's) plus the cost of its selections, plus the weights of the arguments given; a
 * field returning a list multiplies that by its size: its slicing argument (`first`, `last`,
 * `limit`, or its `@listSize(slicingArguments:)`: the literal, the variable's value, or the
 * argument's default), else the size its connection hands down, else its
 * `@listSize(assumedSize:)`, else `defaultListSize`. A non-list field with a size (a connection)
 * passes it to its `edges` / `nodes` / `items` lists, or to its `@listSize(sizedFields:)`.
 * Under an interface or union, fragments narrowed to some of its types are branches: an object
 * matches one type, so the selection set costs its common part plus the costliest type's
 * branches (kept by type condition, so a fragment adds one entry however many types it covers).
 * `__typename` costs nothing; introspection costs nothing either but counts toward
 * aliases and root fields, and has its own depth and list nesting bounds. Fragments count once
 * per place they are spread, but each is measured once: a chain of fragments that each spread
 * the previous twice costs a walk of the document, not of its 2^n expansion (their counts grow,
 * and the limits refuse them). Depth, aliases and selections measure the document as written.
 */
export function measureOperation(
  doc: OperationDocument,
  defaultListSize: number,
  variables?: Record<string, unknown>,
  costs: CostDirectives = NO_COST_DIRECTIVES,
): OperationShape {
  const { operation, schema } = doc;
  const memo = new Map<string, Measure>();
  let costDependsOnVariables = false;
  let slicingViolation: SlicingViolation | undefined;
  let visited = 0;

  const branches = new Branches(schema);

  /** The weights of the arguments given (not null); an argument of a weighted scalar or enum costs that. */
  const argumentsCost = (field: FieldNode, def: GraphQLField<unknown, unknown>, coordinate: string): number => {
    if (!field.arguments?.length || (costs.arguments.size === 0 && costs.types.size === 0)) return 0;
    let total = 0;
    for (const arg of field.arguments) {
      if (arg.value.kind === Kind.NULL) continue;
      const declared = def.args.find((a) => a.name === arg.name.value);
      if (!declared) continue;
      total +=
        costs.arguments.get(`${coordinate}(${declared.name}:)`) ??
        costs.types.get(getNamedType(declared.type).name) ??
        0;
    }
    return total;
  };

  const measure = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    introspection: boolean,
    sized?: Sized,
  ): Measure => {
    const m = { ...ZERO };
    const narrowed: Narrowed = new Map();
    const add = (inner: Measure) => {
      m.depth = Math.max(m.depth, inner.depth);
      m.aliases += inner.aliases;
      m.selections += inner.selections;
      m.lists = Math.max(m.lists, inner.lists);
      m.introspectionDepth = Math.max(m.introspectionDepth, inner.introspectionDepth);
      m.introspectionLists = Math.max(m.introspectionLists, inner.introspectionLists);
    };
    for (const step of doc.steps(selectionSet, parent)) {
      visited++;
      m.selections++;
      if (step.kind === 'fragment') {
        let inner: Measure;
        if (step.node.kind === Kind.INLINE_FRAGMENT) {
          inner = measure(step.selectionSet, step.type, introspection, sized);
        } else {
          // A fragment measures differently inside introspection and under a connection's size.
          const key = `${step.fragment!.name.value}\u0000${introspection ? 1 : 0}\u0000${sized?.key ?? ''}`;
          let memoized = memo.get(key);
          if (!memoized) {
            memo.set(key, ZERO); // a cycle (refused by validation anyway) ends here
            memoized = measure(step.selectionSet, step.type, introspection, sized);
            memo.set(key, memoized);
          }
          inner = memoized;
        }
        add(inner);
        m.cost += branches.spread(narrowed, parent, step.type, inner);
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
      const priced = def && !introspection && !entering;
      const coordinate = `${parent.name}.${step.name}`;
      const listSize = priced ? costs.listSizes.get(coordinate) : undefined;
      let slice: SliceSize | undefined;
      if (priced) {
        slice = sliceSize(node, def, operation, variables, listSize);
        if (slice.dependsOnVariables) costDependsOnVariables = true;
        if (slice.violation && !slicingViolation) slicingViolation = { field: coordinate, ...slice.violation };
      }
      // A connection hands its size (the client's, else its assumed size) to its lists.
      const handed = list ? undefined : (slice?.size ?? listSize?.assumedSize);
      const sizedHere: Sized | undefined =
        handed === undefined
          ? undefined
          : {
              size: handed,
              lists: listSize?.sizedFields ?? CONNECTION_LISTS,
              key: `${handed}\u0001${listSize?.sizedFields ? coordinate : ''}`,
            };
      const inner =
        node.selectionSet && named && isCompositeType(named)
          ? measure(node.selectionSet, named, introspection || entering, sizedHere)
          : ZERO;
      m.aliases += inner.aliases;
      m.selections += inner.selections;
      if (!priced) {
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
      if (list) {
        times =
          slice?.size ??
          (sized?.lists.has(step.name) ? sized.size : undefined) ??
          listSize?.assumedSize ??
          defaultListSize;
      }
      const weight = costs.fields.get(coordinate) ?? costs.types.get(named!.name) ?? 1;
      m.cost += argumentsCost(node, def, coordinate) + (weight + costOf(inner)) * times;
    }
    if (narrowed.size === 0 || !isAbstractType(parent)) return m;
    return { ...m, narrowed, widest: branches.widest(narrowed, parent) };
  };

  const root = doc.root;
  if (!root) {
    return {
      depth: 0,
      aliases: 0,
      rootFields: 0,
      selections: 0,
      cost: 0,
      costDependsOnVariables: false,
      introspectionDepth: 0,
      introspectionLists: 0,
      visited,
    };
  }
  const total = measure(operation.selectionSet, root, false);
  return {
    depth: total.depth,
    aliases: total.aliases,
    selections: total.selections,
    cost: costOf(total),
    introspectionDepth: total.introspectionDepth,
    introspectionLists: total.introspectionLists,
    rootFields: countRootFields(doc, operation.selectionSet, root, new Set()),
    costDependsOnVariables,
    ...(slicingViolation ? { slicingViolation } : {}),
    visited,
  };
}

function countRootFields(
  doc: OperationDocument,
  set: SelectionSetNode,
  root: GraphQLCompositeType,
  seen: Set<string>,
): number {
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
