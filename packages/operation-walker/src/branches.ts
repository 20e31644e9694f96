import {
  isAbstractType,
  isObjectType,
  type GraphQLAbstractType,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Under an interface or union: what fragments narrowed to some of its types add, by type
 * condition (an object type, or an interface or union that only some of its types belong to).
 * Kept by condition rather than by concrete type, so that a thousand `... on Node` under a union
 * of a thousand types are one entry, resolved once (`widest`).
 */
export type Narrowed = Map<GraphQLCompositeType, number>;

/** A selection set's cost as fragments see it: what applies to every object, and what is narrowed. */
export interface Branched {
  cost: number;
  narrowed?: ReadonlyMap<GraphQLCompositeType, number>;
}

const add = (narrowed: Narrowed, type: GraphQLCompositeType, cost: number) =>
  narrowed.set(type, (narrowed.get(type) ?? 0) + cost);

/** The branch arithmetic of the cost estimate, for one schema (one per measure: its caches are small). */
export class Branches {
  private readonly covered = new Map<string, boolean>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** Whether every type `inner` may be is one that `outer` may be (then a fragment on `outer` applies to all of `inner`). */
  covers(outer: GraphQLAbstractType, inner: GraphQLAbstractType): boolean {
    if (outer === inner) return true;
    const key = `${outer.name}\u0000${inner.name}`;
    let answer = this.covered.get(key);
    if (answer === undefined) {
      answer = this.schema.getPossibleTypes(inner).every((t) => this.schema.isSubType(outer, t));
      this.covered.set(key, answer);
    }
    return answer;
  }

  private applies(condition: GraphQLCompositeType, type: GraphQLObjectType): boolean {
    return condition === type || (isAbstractType(condition) && this.schema.isSubType(condition, type));
  }

  /** What the narrowed fragments add to an object of `type`. */
  valueFor(narrowed: ReadonlyMap<GraphQLCompositeType, number>, type: GraphQLObjectType): number {
    let total = 0;
    for (const [condition, cost] of narrowed) if (this.applies(condition, type)) total += cost;
    return total;
  }

  /** The most that any one type of `parent` gets from the narrowed fragments: the costliest branch. */
  widest(narrowed: ReadonlyMap<GraphQLCompositeType, number>, parent: GraphQLAbstractType): number {
    const byType = new Map<GraphQLObjectType, number>();
    for (const [condition, cost] of narrowed) {
      const types = isObjectType(condition)
        ? [condition]
        : this.schema.getPossibleTypes(condition as GraphQLAbstractType);
      for (const type of types)
        if (this.schema.isSubType(parent, type)) byType.set(type, (byType.get(type) ?? 0) + cost);
    }
    let widest = 0;
    for (const cost of byType.values()) widest = Math.max(widest, cost);
    return widest;
  }

  /**
   * Adds a fragment on `on` (measured under `on` as `inner`) to a selection set on `parent`:
   * returns what it adds for every object there, and records in `narrowed` what it adds for some.
   */
  spread(narrowed: Narrowed, parent: GraphQLCompositeType, on: GraphQLCompositeType, inner: Branched): number {
    if (!isAbstractType(parent)) {
      // One type here: the fragment is on it or on an abstract type it belongs to.
      return inner.cost + (inner.narrowed ? this.valueFor(inner.narrowed, parent) : 0);
    }
    if (!isAbstractType(on)) {
      if (this.schema.isSubType(parent, on)) add(narrowed, on, inner.cost);
      return 0;
    }
    if (this.covers(on, parent)) {
      // On the parent itself, or on a type every object here is: common, with its own branches.
      for (const [condition, cost] of inner.narrowed ?? []) add(narrowed, condition, cost);
      return inner.cost;
    }
    add(narrowed, on, inner.cost);
    for (const [condition, cost] of inner.narrowed ?? []) {
      // A branch inside a branch applies where both do.
      if (!isAbstractType(condition) || this.covers(on, condition)) add(narrowed, condition, cost);
      else if (this.covers(condition, on)) add(narrowed, on, cost);
      else
        for (const type of this.schema.getPossibleTypes(on))
          if (this.applies(condition, type)) add(narrowed, type, cost);
    }
    return 0;
  }
}
