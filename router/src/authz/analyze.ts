import {
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  type FieldNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';
import type { OperationDocument } from '@dataos/operation-walker';
import {
  NO_REQUIREMENT,
  combine,
  isEmptyRequirement,
  requirementKey,
  type AuthzIndex,
  type Requirement,
} from './requirements.js';

/** A selection that can be removed: a field, or a fragment on a type with its own requirement. */
export type Site = FieldNode | InlineFragmentNode | FragmentSpreadNode;

/** Which selections of one operation carry requirements; computed once per document. */
export interface AuthzAnalysis {
  /** Distinct requirements met in the operation. */
  requirements: Requirement[];
  /** Each protected selection and the index of its requirement. */
  sites: Map<Site, number>;
  /** Every `@policy` name the operation can need: what Heimdall is asked about. */
  policyNames: string[];
}

export const NOTHING_TO_AUTHORIZE: AuthzAnalysis = Object.freeze({
  requirements: [],
  sites: new Map(),
  policyNames: [],
}) as AuthzAnalysis;

/**
 * The effective requirements of a schema's types and fields. An abstract type asks for its own
 * requirement and those of all its possible types; a field of an interface asks for its own and
 * those of the same field on every implementation (an answer may come from any of them).
 */
export class SchemaRequirements {
  private readonly typeCache = new Map<string, Requirement>();
  private readonly fieldCache = new Map<string, Requirement>();

  constructor(
    readonly schema: GraphQLSchema,
    readonly index: AuthzIndex,
  ) {}

  get empty(): boolean {
    return this.index.types.size === 0 && this.index.fields.size === 0;
  }

  ofType(type: GraphQLNamedType): Requirement {
    let cached = this.typeCache.get(type.name);
    if (cached) return cached;
    cached = this.index.types.get(type.name) ?? NO_REQUIREMENT;
    if (isAbstractType(type)) {
      for (const possible of this.schema.getPossibleTypes(type)) {
        cached = combine(cached, this.index.types.get(possible.name) ?? NO_REQUIREMENT);
      }
    }
    this.typeCache.set(type.name, cached);
    return cached;
  }

  /** A field selected on `parent`, including what its return type asks for. */
  ofField(parent: GraphQLCompositeType, fieldName: string): Requirement {
    const key = `${parent.name}.${fieldName}`;
    let cached = this.fieldCache.get(key);
    if (cached) return cached;
    cached = this.index.fields.get(key) ?? NO_REQUIREMENT;
    if (isInterfaceType(parent)) {
      for (const impl of this.schema.getPossibleTypes(parent)) {
        cached = combine(cached, this.index.fields.get(`${impl.name}.${fieldName}`) ?? NO_REQUIREMENT);
      }
    }
    const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[fieldName] : undefined;
    if (def) cached = combine(cached, this.ofType(getNamedType(def.type)));
    this.fieldCache.set(key, cached);
    return cached;
  }
}

const schemaRequirements = new WeakMap<GraphQLSchema, WeakMap<AuthzIndex, SchemaRequirements>>();

/** One memo per (schema, index): reused by every operation on that schema. */
export function requirementsFor(schema: GraphQLSchema, index: AuthzIndex): SchemaRequirements {
  let byIndex = schemaRequirements.get(schema);
  if (!byIndex) schemaRequirements.set(schema, (byIndex = new WeakMap()));
  let result = byIndex.get(index);
  if (!result) byIndex.set(index, (result = new SchemaRequirements(schema, index)));
  return result;
}

/**
 * Finds the protected selections of `operation`: fields whose definition or return type
 * carries a requirement, and fragments whose type condition does, through fragment spreads
 * and inline fragments. `__typename` and introspection are never protected.
 */
export function analyzeOperation(requirements: SchemaRequirements, doc: OperationDocument): AuthzAnalysis {
  if (requirements.empty) return NOTHING_TO_AUTHORIZE;
  const root = doc.root;
  if (!root) return NOTHING_TO_AUTHORIZE;
  const distinct = new Map<string, number>();
  const list: Requirement[] = [];
  const sites = new Map<Site, number>();
  const policyNames = new Set<string>();
  const visitedFragments = new Set<string>();

  const mark = (site: Site, requirement: Requirement) => {
    if (isEmptyRequirement(requirement)) return;
    const key = requirementKey(requirement);
    let index = distinct.get(key);
    if (index === undefined) {
      index = list.length;
      list.push(requirement);
      distinct.set(key, index);
      for (const clause of requirement.policies)
        for (const group of clause) for (const name of group) policyNames.add(name);
    }
    sites.set(site, index);
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType) => {
    for (const step of doc.steps(selectionSet, parent)) {
      if (step.kind === 'field') {
        if (!step.def) continue; // __typename, introspection
        mark(step.node, requirements.ofField(parent, step.name));
        if (step.composite) walk(step.node.selectionSet!, step.composite);
        continue;
      }
      if (step.type !== parent) mark(step.node, requirements.ofType(step.type));
      if (step.fragment) {
        // Requirements of a fragment's selections do not depend on where it is spread.
        if (visitedFragments.has(step.fragment.name.value)) continue;
        visitedFragments.add(step.fragment.name.value);
      }
      walk(step.selectionSet, step.type);
    }
  };
  walk(doc.operation.selectionSet, root);
  if (sites.size === 0) return NOTHING_TO_AUTHORIZE;
  return { requirements: list, sites, policyNames: [...policyNames].sort() };
}
