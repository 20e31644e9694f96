import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type SelectionSetNode,
} from 'graphql';
import type { FetchNode, PlanNode, QueryPlan, RequiresSelection } from '../execution/plan-types.js';

/**
 * What the supergraph's `join__` directives say that an `@apollo/query-planner` plan can be
 * checked against: which keys each subgraph resolves an entity by, and which fields @require
 * fields with arguments (which that planner merges into one selection, losing all but one
 * argument).
 */
export interface SupergraphFacts {
  /** subgraph name → type → the selections of the keys it resolves (`resolvable` not false). */
  resolvableKeys: Map<string, Map<string, SelectionSetNode[]>>;
  /** `subgraph:Type.field` of fields whose @requires selects a field with arguments. */
  requiresWithArguments: Set<string>;
  /** Whether any field takes an argument `@fromContext`. */
  hasContexts: boolean;
}

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((a) => a.name.value === name)?.value;
}
const stringOf = (value: ConstValueNode | undefined) => (value?.kind === Kind.STRING ? value.value : undefined);

export function supergraphFacts(supergraphSdl: string): SupergraphFacts {
  const document: DocumentNode = parse(supergraphSdl);
  const graphs = new Map<string, string>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.ENUM_TYPE_DEFINITION || def.name.value !== 'join__Graph') continue;
    for (const value of def.values ?? []) {
      const join = value.directives?.find((d) => d.name.value === 'join__graph');
      const name = join && stringOf(argument(join, 'name'));
      if (name) graphs.set(value.name.value, name);
    }
  }
  const graphOf = (directive: ConstDirectiveNode) => {
    const graph = argument(directive, 'graph');
    return graph?.kind === Kind.ENUM ? graphs.get(graph.value) : undefined;
  };
  const resolvableKeys = new Map<string, Map<string, SelectionSetNode[]>>();
  const requiresWithArguments = new Set<string>();
  let hasContexts = false;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const type = def.name.value;
    for (const directive of def.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const graph = graphOf(directive);
      const key = stringOf(argument(directive, 'key'));
      const resolvable = argument(directive, 'resolvable');
      if (!graph || !key || (resolvable?.kind === Kind.BOOLEAN && !resolvable.value)) continue;
      let byType = resolvableKeys.get(graph);
      if (!byType) resolvableKeys.set(graph, (byType = new Map()));
      const keys = byType.get(type) ?? [];
      keys.push((parse(`{ ${key} }`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet);
      byType.set(type, keys);
    }
    for (const field of def.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'join__field') continue;
        if (argument(directive, 'contextArguments')) hasContexts = true;
        const requires = stringOf(argument(directive, 'requires'));
        const graph = graphOf(directive);
        if (graph && requires?.includes('(')) requiresWithArguments.add(`${graph}:${type}.${field.name.value}`);
      }
    }
  }
  return { resolvableKeys, requiresWithArguments, hasContexts };
}

/** Whether `key`'s fields are all in `selections` (by name, nested selections too). */
function covers(selections: readonly RequiresSelection[], key: SelectionSetNode): boolean {
  return key.selections.every((k) => {
    if (k.kind !== Kind.FIELD) return false;
    const found = selections.find((s) => s.kind === 'Field' && (s.alias ?? s.name) === k.name.value);
    if (!found || found.kind !== 'Field') return false;
    return !k.selectionSet || (!!found.selections && covers(found.selections, k.selectionSet));
  });
}

/** `Type.field` pairs an entity fetch's operation selects directly under `... on Type`. */
function entityFields(operation: string): [string, string][] {
  const out: [string, string][] = [];
  const doc = parse(operation);
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const root of def.selectionSet.selections) {
      if (root.kind !== Kind.FIELD || root.name.value !== '_entities') continue;
      for (const fragment of root.selectionSet?.selections ?? []) {
        if (fragment.kind !== Kind.INLINE_FRAGMENT || !fragment.typeCondition) continue;
        for (const field of fragment.selectionSet.selections)
          if (field.kind === Kind.FIELD) out.push([fragment.typeCondition.name.value, field.name.value]);
      }
    }
  }
  return out;
}

function fetches(node: PlanNode | undefined, out: FetchNode[] = []): FetchNode[] {
  if (!node) return out;
  switch (node.kind) {
    case 'Fetch':
      out.push(node);
      break;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) fetches(child, out);
      break;
    case 'Flatten':
      fetches(node.node, out);
      break;
    case 'Condition':
      fetches(node.ifClause, out);
      fetches(node.elseClause, out);
      break;
  }
  return out;
}

/**
 * Why an `@apollo/query-planner` plan is known to answer wrongly, empty if it is not: an entity
 * fetch whose representations carry no key the subgraph resolves (several keys, some not
 * resolvable), or a fetch of a field that @requires a field with arguments.
 */
export function apolloPlanDoubts(plan: QueryPlan, facts: SupergraphFacts): string[] {
  const doubts: string[] = [];
  const root = plan.node;
  if (!root || root.kind === 'Subscription') return doubts;
  for (const fetch of fetches(root)) {
    if (!fetch.requires) continue;
    const keysByType = facts.resolvableKeys.get(fetch.serviceName);
    for (const selection of fetch.requires) {
      if (selection.kind !== 'InlineFragment' || !selection.typeCondition) continue;
      const keys = keysByType?.get(selection.typeCondition);
      if (keys?.length && !keys.some((key) => covers(selection.selections, key)))
        doubts.push(`${fetch.serviceName} cannot resolve ${selection.typeCondition} by the key the plan sends`);
    }
    if (facts.requiresWithArguments.size === 0) continue;
    for (const [type, field] of entityFields(fetch.operation)) {
      if (facts.requiresWithArguments.has(`${fetch.serviceName}:${type}.${field}`))
        doubts.push(`${type}.${field} requires a field with arguments`);
    }
  }
  return doubts;
}

/** Whether a plan passes `@fromContext` values (which Hive's planner does not plan). */
export function hasContextRewrites(plan: QueryPlan): boolean {
  const root = plan.node;
  return !!root && root.kind !== 'Subscription' && fetches(root).some((f) => !!f.contextRewrites?.length);
}
