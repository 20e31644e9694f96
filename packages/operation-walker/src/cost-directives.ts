import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** `@listSize` of one field: where its length comes from. */
export interface ListSize {
  /** The length assumed when no slicing argument gives one (instead of the default list size). */
  assumedSize?: number;
  /** The arguments that give the length (instead of `first`, `last`, `limit`); the largest counts. */
  slicingArguments?: readonly string[];
  /** The lists of a connection that the length applies to (instead of `edges`, `nodes`, `items`). */
  sizedFields?: ReadonlySet<string>;
  /** Exactly one slicing argument must be given (the directive's default: true). */
  requireOneSlicingArgument: boolean;
}

/**
 * The demand-control directives of a schema (`@cost`, `@listSize`: Apollo's cost spec, after
 * IBM's), read from its SDL: API schemas, which routers validate against, do not keep them.
 */
export interface CostDirectives {
  /** `@cost(weight:)` of object types, scalars and enums: fields returning them cost that. */
  types: ReadonlyMap<string, number>;
  /** `@cost(weight:)` of fields, by `Type.field`. */
  fields: ReadonlyMap<string, number>;
  /** `@cost(weight:)` of arguments, by `Type.field(argument:)`: added when the argument is given. */
  arguments: ReadonlyMap<string, number>;
  /** `@listSize`, by `Type.field`. */
  listSizes: ReadonlyMap<string, ListSize>;
}

export const NO_COST_DIRECTIVES: CostDirectives = Object.freeze({
  types: new Map(),
  fields: new Map(),
  arguments: new Map(),
  listSizes: new Map(),
});

export const costDirectivesAreEmpty = (c: CostDirectives) =>
  c.types.size === 0 && c.fields.size === 0 && c.arguments.size === 0 && c.listSizes.size === 0;

const COST_LINK = /\/cost\/v[\d.]+$/;
const FEDERATION_LINK = /\/federation\/v[\d.]+$/;

function stringArgument(directive: DirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((a) => a.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/** The local name `@link(import:)` gives a directive of the linked spec, if it imports it. */
function importedAs(link: DirectiveNode, directive: string): string | undefined {
  const imports = link.arguments?.find((a) => a.name.value === 'import')?.value;
  if (imports?.kind !== Kind.LIST) return undefined;
  for (const item of imports.values) {
    if (item.kind === Kind.STRING && item.value === `@${directive}`) return directive;
    if (item.kind !== Kind.OBJECT) continue;
    const field = (n: string) => {
      const v = item.fields.find((f) => f.name.value === n)?.value;
      return v?.kind === Kind.STRING ? v.value : undefined;
    };
    if (field('name') === `@${directive}`) return (field('as') ?? `@${directive}`).replace(/^@/, '');
  }
  return undefined;
}

/**
 * The names `@cost` and `@listSize` go by in this document. A supergraph links the cost spec
 * (`@cost` is its own name, so it needs no import; `@listSize` is `@cost__listSize` unless
 * imported); a subgraph gets them from the federation spec (`@federation__cost` unless
 * imported) or links the cost spec itself. A schema without links (IBM's spec, plain graphql-js)
 * names them as they are, if it defines them.
 */
export function costDirectiveNames(definitions: readonly DefinitionNode[]): {
  cost: Set<string>;
  listSize: Set<string>;
} {
  const cost = new Set<string>();
  const listSize = new Set<string>();
  for (const def of definitions) {
    if (def.kind !== Kind.SCHEMA_DEFINITION && def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of def.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = stringArgument(link, 'url') ?? '';
      const spec = COST_LINK.test(url) ? 'cost' : FEDERATION_LINK.test(url) ? 'federation' : undefined;
      if (!spec) continue;
      const prefix = stringArgument(link, 'as') ?? spec;
      cost.add(importedAs(link, 'cost') ?? (spec === 'cost' ? prefix : `${prefix}__cost`));
      listSize.add(importedAs(link, 'listSize') ?? `${prefix}__listSize`);
    }
  }
  if (cost.size === 0) {
    for (const def of definitions) {
      if (def.kind !== Kind.DIRECTIVE_DEFINITION) continue;
      if (def.name.value === 'cost') cost.add('cost');
      if (def.name.value === 'listSize') listSize.add('listSize');
    }
  }
  return { cost, listSize };
}

/** A weight: Apollo's spec has an `Int`, IBM's a `String` ("2.5"); negative weights count as 0. */
function weightOf(value: ConstValueNode | undefined): number | undefined {
  if (!value) return undefined;
  const n =
    value.kind === Kind.INT || value.kind === Kind.FLOAT || value.kind === Kind.STRING ? Number(value.value) : NaN;
  return Number.isFinite(n) ? Math.max(0, n) : undefined;
}

function stringsOf(value: ConstValueNode | undefined): string[] | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.STRING) return [value.value];
  if (value.kind !== Kind.LIST) return undefined;
  return value.values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}

function listSizeOf(directive: ConstDirectiveNode): ListSize {
  const arg = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
  const assumed = arg('assumedSize');
  const slicing = stringsOf(arg('slicingArguments'));
  const sized = stringsOf(arg('sizedFields'));
  const requireOne = arg('requireOneSlicingArgument');
  return {
    ...(assumed?.kind === Kind.INT ? { assumedSize: Math.max(0, Number(assumed.value)) } : {}),
    ...(slicing?.length ? { slicingArguments: slicing } : {}),
    ...(sized?.length ? { sizedFields: new Set(sized) } : {}),
    requireOneSlicingArgument: requireOne?.kind === Kind.BOOLEAN ? requireOne.value : true,
  };
}

/** The cost directives of a schema's SDL: a supergraph as composed, or a subgraph's own type definitions. */
export function costDirectivesOf(sdl: string | DocumentNode | readonly DefinitionNode[]): CostDirectives {
  const definitions =
    typeof sdl === 'string'
      ? parse(sdl).definitions
      : 'kind' in sdl
        ? (sdl as DocumentNode).definitions
        : (sdl as readonly DefinitionNode[]);
  const names = costDirectiveNames(definitions);
  if (names.cost.size === 0 && names.listSize.size === 0) return NO_COST_DIRECTIVES;
  const types = new Map<string, number>();
  const fields = new Map<string, number>();
  const args = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const weight = (directives: readonly ConstDirectiveNode[] | undefined) => {
    const d = directives?.find((x) => names.cost.has(x.name.value));
    return weightOf(d?.arguments?.find((a) => a.name.value === 'weight')?.value);
  };
  const set = <V>(map: Map<string, V>, key: string, value: V | undefined) => {
    if (value !== undefined) map.set(key, value);
  };
  for (const def of definitions) {
    switch (def.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        set(types, def.name.value, weight(def.directives));
        for (const field of def.fields ?? []) {
          const key = `${def.name.value}.${field.name.value}`;
          set(fields, key, weight(field.directives));
          const listSize = field.directives?.find((d) => names.listSize.has(d.name.value));
          if (listSize) listSizes.set(key, listSizeOf(listSize));
          for (const arg of field.arguments ?? []) set(args, `${key}(${arg.name.value}:)`, weight(arg.directives));
        }
        break;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        set(types, def.name.value, weight(def.directives));
        break;
      default:
        break;
    }
  }
  return { types, fields, arguments: args, listSizes };
}

/**
 * The cost directives of a schema built from SDL (a subgraph's, by `buildSubgraphSchema` or
 * `buildSchema`), read from the definitions it keeps; a schema built in code has none.
 */
export function costDirectivesOfSchema(schema: GraphQLSchema): CostDirectives {
  const definitions: DefinitionNode[] = [];
  const push = (node: {
    astNode?: DefinitionNode | null | undefined;
    extensionASTNodes?: readonly DefinitionNode[];
  }) => {
    if (node.astNode) definitions.push(node.astNode);
    if (node.extensionASTNodes) definitions.push(...node.extensionASTNodes);
  };
  push(schema);
  for (const directive of schema.getDirectives()) if (directive.astNode) definitions.push(directive.astNode);
  for (const type of Object.values(schema.getTypeMap())) push(type as Parameters<typeof push>[0]);
  return costDirectivesOf(definitions);
}
