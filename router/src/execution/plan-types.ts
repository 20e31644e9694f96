/**
 * The query plans `@apollo/gateway`'s planner builds (`@apollo/query-planner`'s QueryPlan),
 * as much of them as the router's executor reads.
 */
export interface QueryPlan {
  kind: 'QueryPlan';
  node?: PlanNode | { kind: 'Subscription' };
}

export type PlanNode =
  | { kind: 'Sequence'; nodes: PlanNode[] }
  | { kind: 'Parallel'; nodes: PlanNode[] }
  | { kind: 'Flatten'; path: (string | number)[]; node: PlanNode }
  | { kind: 'Condition'; condition: string; ifClause?: PlanNode; elseClause?: PlanNode }
  | { kind: 'Defer' }
  | FetchNode;

export interface FetchNode {
  kind: 'Fetch';
  serviceName: string;
  variableUsages?: string[];
  requires?: RequiresSelection[];
  operation: string;
  operationName: string | undefined;
  operationKind: string;
  /** `DataRewrite`s (src/execution/rewrites.ts): on each representation before it is sent, */
  inputRewrites?: unknown[];
  /** on what the subgraph answered before it is merged, */
  outputRewrites?: unknown[];
  /** and, for `@fromContext`, from values above each entity to the fetch's variables. */
  contextRewrites?: unknown[];
}

export type RequiresSelection =
  | { kind: 'Field'; name: string; alias?: string; selections?: RequiresSelection[] }
  | { kind: 'InlineFragment'; typeCondition?: string; selections: RequiresSelection[] };

/** Whether the router's executor runs this plan (else Apollo Gateway's own executor does). */
export function isPlainPlan(plan: QueryPlan): boolean {
  const plain = (node: PlanNode | undefined): boolean => {
    if (!node) return true;
    switch (node.kind) {
      case 'Sequence':
      case 'Parallel':
        return node.nodes.every(plain);
      case 'Flatten':
        return plain(node.node);
      case 'Condition':
        return plain(node.ifClause) && plain(node.elseClause);
      case 'Fetch':
        return true; // rewrites included (src/execution/rewrites.ts, context.ts)
      default:
        return false;
    }
  };
  const root = plan.node;
  return !root || (root.kind !== 'Subscription' && plain(root));
}
