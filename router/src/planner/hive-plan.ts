import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { FetchNode, PlanNode, QueryPlan, RequiresSelection } from '../execution/plan-types.js';
import type { DataRewrite } from '../execution/rewrites.js';

/** A Hive plan the router's executor cannot run as it is: the operation goes to Apollo's planner. */
export class UnsupportedHivePlan extends Error {}

/**
 * Hive's query plan (`@graphql-hive/router-query-planner`'s `QueryPlan`), as far as it is read
 * here. Its types are not imported: the package is native and loaded only when used.
 */
type HivePathSegment = { Field: string } | { TypeCondition: string[] } | '@';
type HiveRewritePath = ({ TypenameEquals: string[] } | { Key: string })[];
type HiveRewrite =
  | { ValueSetter: { path: HiveRewritePath; setValueTo: string } }
  | { KeyRenamer: { path: HiveRewritePath; renameKeyTo: string } }
  | { kind: 'ValueSetter'; path: HiveRewritePath; setValueTo: string };
type HiveRequires =
  | { kind: 'Field'; name: string; alias?: string; selections?: HiveRequires[] }
  | { kind: 'InlineFragment'; typeCondition: string; selections: HiveRequires[]; skipIf?: string; includeIf?: string }
  | { kind: 'FragmentSpread'; value: string };
interface HiveFetch {
  kind: 'Fetch';
  serviceName: string;
  variableUsages?: string[];
  operationKind?: string;
  operationName?: string;
  operation: string;
  requires?: HiveRequires[];
  inputRewrites?: HiveRewrite[];
  outputRewrites?: HiveRewrite[];
}
interface HiveBatchFetch {
  kind: 'BatchFetch';
  serviceName: string;
  variableUsages?: string[];
  operationKind?: string;
  operationName?: string;
  operation: string;
  entityBatch: {
    aliases: {
      alias: string;
      representationsVariableName: string;
      paths: HivePathSegment[][];
      requires: HiveRequires[];
      inputRewrites?: HiveRewrite[];
      outputRewrites?: HiveRewrite[];
    }[];
  };
}
type HiveNode =
  | HiveFetch
  | HiveBatchFetch
  | { kind: 'Sequence'; nodes: HiveNode[] }
  | { kind: 'Parallel'; nodes: HiveNode[] }
  | { kind: 'Flatten'; path: HivePathSegment[]; node: HiveNode }
  | { kind: 'Condition'; condition: string; ifClause?: HiveNode; elseClause?: HiveNode }
  | { kind: 'Subscription' | 'Defer' };
export interface HiveQueryPlan {
  kind: 'QueryPlan';
  node?: HiveNode;
}

/** Most rewrites one Hive rewrite may stand for (a path with several type names multiplies them). */
const MAX_REWRITE_PATHS = 64;

function rewritePaths(path: HiveRewritePath): string[][] {
  let paths: string[][] = [[]];
  for (const segment of path) {
    if ('Key' in segment) paths = paths.map((p) => [...p, segment.Key]);
    else paths = paths.flatMap((p) => segment.TypenameEquals.map((name) => [...p, `... on ${name}`]));
    if (paths.length > MAX_REWRITE_PATHS) throw new UnsupportedHivePlan('a rewrite path with too many type names');
  }
  return paths;
}

function convertRewrites(rewrites: HiveRewrite[] | undefined): DataRewrite[] {
  const out: DataRewrite[] = [];
  for (const rewrite of rewrites ?? []) {
    if ('ValueSetter' in rewrite) {
      for (const path of rewritePaths(rewrite.ValueSetter.path))
        out.push({ kind: 'ValueSetter', path, setValueTo: rewrite.ValueSetter.setValueTo });
    } else if ('KeyRenamer' in rewrite) {
      for (const path of rewritePaths(rewrite.KeyRenamer.path))
        out.push({ kind: 'KeyRenamer', path, renameKeyTo: rewrite.KeyRenamer.renameKeyTo });
    } else if (rewrite.kind === 'ValueSetter') {
      for (const path of rewritePaths(rewrite.path))
        out.push({ kind: 'ValueSetter', path, setValueTo: rewrite.setValueTo });
    } else {
      throw new UnsupportedHivePlan('an unknown rewrite');
    }
  }
  return out;
}

/**
 * Hive's `requires`, in the executor's form. Hive reads a required field fetched under an alias
 * (`name` the key in the answer, `alias` the key the subgraph expects); the executor reads and
 * writes one key, so the alias becomes a KeyRenamer on the representation, children first so
 * that each path names keys as they are before the renames above it.
 */
function convertRequires(selections: HiveRequires[], prefix: string[], renames: DataRewrite[]): RequiresSelection[] {
  return selections.map((selection): RequiresSelection => {
    switch (selection.kind) {
      case 'Field': {
        const children = selection.selections
          ? convertRequires(selection.selections, [...prefix, selection.name], renames)
          : undefined;
        if (selection.alias && selection.alias !== selection.name)
          renames.push({ kind: 'KeyRenamer', path: [...prefix, selection.name], renameKeyTo: selection.alias });
        return { kind: 'Field', name: selection.name, ...(children ? { selections: children } : {}) };
      }
      case 'InlineFragment':
        if (selection.skipIf || selection.includeIf) throw new UnsupportedHivePlan('a conditional requires');
        return {
          kind: 'InlineFragment',
          typeCondition: selection.typeCondition,
          selections: convertRequires(selection.selections, [...prefix, `... on ${selection.typeCondition}`], renames),
        };
      default:
        throw new UnsupportedHivePlan('a fragment spread in requires');
    }
  });
}

function convertFetch(fetch: HiveFetch): FetchNode {
  const renames: DataRewrite[] = [];
  const requires = fetch.requires ? convertRequires(fetch.requires, [], renames) : undefined;
  const inputRewrites = [...renames, ...convertRewrites(fetch.inputRewrites)];
  const outputRewrites = convertRewrites(fetch.outputRewrites);
  return {
    kind: 'Fetch',
    serviceName: fetch.serviceName,
    variableUsages: fetch.variableUsages ?? [],
    operation: fetch.operation,
    operationName: fetch.operationName,
    operationKind: fetch.operationKind ?? 'query',
    ...(requires ? { requires } : {}),
    ...(inputRewrites.length ? { inputRewrites } : {}),
    ...(outputRewrites.length ? { outputRewrites } : {}),
  };
}

/**
 * A flatten path: type conditions are dropped, which is sound only where an entity fetch's
 * `requires` type conditions filter the objects again (the executor sends no representation
 * for an object of another type).
 */
function convertPath(path: HivePathSegment[], node: HiveNode): string[] {
  const out: string[] = [];
  let typed = false;
  for (const segment of path) {
    if (segment === '@') out.push('@');
    else if ('Field' in segment) out.push(segment.Field);
    else typed = true;
  }
  if (typed && !(node.kind === 'Fetch' && node.requires?.every((r) => r.kind === 'InlineFragment')))
    throw new UnsupportedHivePlan('a type condition in a flatten path above something else than an entity fetch');
  return out;
}

/** The variables a selection set uses, through the fragments it spreads. */
function usedNames(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>) {
  const variables = new Set<string>();
  const spread = new Set<string>();
  const pending: SelectionSetNode[] = [selectionSet];
  while (pending.length) {
    visit(pending.pop()!, {
      Variable: (node) => void variables.add(node.name.value),
      FragmentSpread: (node) => {
        const name = node.name.value;
        const fragment = fragments.get(name);
        if (!spread.has(name) && fragment) {
          spread.add(name);
          pending.push(fragment.selectionSet);
        }
      },
    });
  }
  return { variables, spread };
}

/**
 * A batch of entity fetches to one subgraph (one request, an aliased `_entities` per batch
 * entry) as one ordinary entity fetch per entry and path, in parallel: the executor's fetch path,
 * merging and error placement apply unchanged, at the price of more requests.
 */
function convertBatch(batch: HiveBatchFetch): PlanNode {
  const document = parse(batch.operation);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (!operation) throw new UnsupportedHivePlan('a batch fetch without an operation');
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const nodes: PlanNode[] = [];
  for (const entry of batch.entityBatch.aliases) {
    const field = operation.selectionSet.selections.find(
      (s) => s.kind === Kind.FIELD && (s.alias?.value ?? s.name.value) === entry.alias,
    );
    if (!field || field.kind !== Kind.FIELD)
      throw new UnsupportedHivePlan(`a batch entry ${entry.alias} not in its operation`);
    const single = { ...field, alias: undefined };
    const { variables, spread } = usedNames({ kind: Kind.SELECTION_SET, selections: [single] }, fragments);
    const renamed = (name: string) => (name === entry.representationsVariableName ? 'representations' : name);
    const definitions: DefinitionNode[] = [
      {
        ...operation,
        name: undefined,
        variableDefinitions: (operation.variableDefinitions ?? []).filter((v) => variables.has(v.variable.name.value)),
        selectionSet: { kind: Kind.SELECTION_SET, selections: [single] },
      },
      ...[...spread].map((name) => fragments.get(name)!),
    ];
    const text = print(
      visit(
        { kind: Kind.DOCUMENT, definitions },
        { Variable: (node) => ({ ...node, name: { ...node.name, value: renamed(node.name.value) } }) },
      ),
    );
    const fetch = convertFetch({
      kind: 'Fetch',
      serviceName: batch.serviceName,
      variableUsages: [...variables].filter((v) => v !== entry.representationsVariableName),
      operation: text,
      operationKind: batch.operationKind ?? 'query',
      requires: entry.requires,
      ...(entry.inputRewrites ? { inputRewrites: entry.inputRewrites } : {}),
      ...(entry.outputRewrites ? { outputRewrites: entry.outputRewrites } : {}),
    });
    const asFetch: HiveFetch = {
      kind: 'Fetch',
      serviceName: batch.serviceName,
      operation: text,
      requires: entry.requires,
    };
    for (const path of entry.paths) nodes.push({ kind: 'Flatten', path: convertPath(path, asFetch), node: fetch });
  }
  return nodes.length === 1 ? nodes[0]! : { kind: 'Parallel', nodes };
}

function convertNode(node: HiveNode): PlanNode {
  switch (node.kind) {
    case 'Fetch':
      return convertFetch(node);
    case 'BatchFetch':
      return convertBatch(node);
    case 'Sequence':
    case 'Parallel':
      return { kind: node.kind, nodes: node.nodes.map(convertNode) };
    case 'Flatten':
      return { kind: 'Flatten', path: convertPath(node.path, node.node), node: convertNode(node.node) };
    case 'Condition':
      return {
        kind: 'Condition',
        condition: node.condition,
        ...(node.ifClause ? { ifClause: convertNode(node.ifClause) } : {}),
        ...(node.elseClause ? { elseClause: convertNode(node.elseClause) } : {}),
      };
    default:
      throw new UnsupportedHivePlan(`a ${node.kind} node`);
  }
}

/** Hive's plan in the router executor's plan types, or UnsupportedHivePlan. */
export function fromHivePlan(plan: HiveQueryPlan): QueryPlan {
  return plan.node ? { kind: 'QueryPlan', node: convertNode(plan.node) } : { kind: 'QueryPlan' };
}
