import { Kind, parse, type ConstDirectiveNode, type DocumentNode, type ValueNode } from 'graphql';
import { securityDirectiveKinds, type SecuritySpec } from '../supergraph/strip-security.js';

/**
 * What a schema element asks of the caller. Every clause must hold; a clause of scopes or
 * policies is an OR of AND groups, as in `@requiresScopes(scopes: [["a", "b"], ["c"]])`.
 */
export interface Requirement {
  authenticated: boolean;
  scopes: string[][][];
  policies: string[][][];
}

export const NO_REQUIREMENT: Requirement = Object.freeze({
  authenticated: false,
  scopes: [],
  policies: [],
}) as Requirement;

export const isEmptyRequirement = (r: Requirement) =>
  !r.authenticated && r.scopes.length === 0 && r.policies.length === 0;

/** Both requirements at once. */
export function combine(a: Requirement, b: Requirement): Requirement {
  if (isEmptyRequirement(a)) return b;
  if (isEmptyRequirement(b)) return a;
  return {
    authenticated: a.authenticated || b.authenticated,
    scopes: dedupe([...a.scopes, ...b.scopes]),
    policies: dedupe([...a.policies, ...b.policies]),
  };
}

function dedupe(clauses: string[][][]): string[][][] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const requirementKey = (r: Requirement) => JSON.stringify([r.authenticated, r.scopes, r.policies]);

/** The security directives of a supergraph, by the element that carries them. */
export interface AuthzIndex {
  /** Own directives of object types, interfaces, scalars and enums, by type name. */
  types: Map<string, Requirement>;
  /** Own directives of fields, by `Type.field`. */
  fields: Map<string, Requirement>;
}

export const EMPTY_INDEX: AuthzIndex = { types: new Map(), fields: new Map() };

/** An `[[String!]!]!` argument value, also accepting what GraphQL input coercion accepts (`"a"`, `["a"]`). */
function groupsOf(value: ValueNode | undefined): string[][] {
  if (!value) return [];
  const strings = (v: ValueNode): string[] =>
    v.kind === Kind.STRING ? [v.value] : v.kind === Kind.LIST ? v.values.flatMap(strings) : [];
  if (value.kind === Kind.STRING) return [[value.value]];
  if (value.kind !== Kind.LIST) return [];
  return value.values.map((group) => strings(group));
}

function requirementOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  kinds: Map<string, SecuritySpec>,
): Requirement | undefined {
  let result: Requirement | undefined;
  for (const directive of directives ?? []) {
    const kind = kinds.get(directive.name.value);
    if (!kind) continue;
    const arg = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
    const next: Requirement =
      kind === 'authenticated'
        ? { authenticated: true, scopes: [], policies: [] }
        : kind === 'requiresScopes'
          ? { authenticated: false, scopes: [groupsOf(arg('scopes'))], policies: [] }
          : { authenticated: false, scopes: [], policies: [groupsOf(arg('policies'))] };
    result = result ? combine(result, next) : next;
  }
  return result;
}

/**
 * Reads `@authenticated`, `@requiresScopes` and `@policy` (under whatever names the supergraph
 * links them) from the supergraph as composed.
 */
export function authzIndexFromSupergraph(sdl: string | DocumentNode): AuthzIndex {
  const document = typeof sdl === 'string' ? parse(sdl) : sdl;
  const kinds = securityDirectiveKinds(document);
  if (kinds.size === 0) return EMPTY_INDEX;
  const index: AuthzIndex = { types: new Map(), fields: new Map() };
  const add = (map: Map<string, Requirement>, key: string, r: Requirement | undefined) => {
    if (!r) return;
    const existing = map.get(key);
    map.set(key, existing ? combine(existing, r) : r);
  };
  for (const def of document.definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        add(index.types, def.name.value, requirementOf(def.directives, kinds));
        for (const field of def.fields ?? []) {
          add(index.fields, `${def.name.value}.${field.name.value}`, requirementOf(field.directives, kinds));
        }
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        add(index.types, def.name.value, requirementOf(def.directives, kinds));
        break;
      default:
        break;
    }
  }
  return index;
}

export const indexIsEmpty = (index: AuthzIndex) => index.types.size === 0 && index.fields.size === 0;
