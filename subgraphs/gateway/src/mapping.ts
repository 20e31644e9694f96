import type {
  ClusterInput as ClusterInputGql,
  ClusterUpdateInput as ClusterUpdateInputGql,
  DataPolicy as DataPolicyGql,
  DataPolicyInput as DataPolicyInputGql,
  QueryPlan as QueryPlanGql,
  QueryRecord as QueryRecordGql,
} from './generated/resolvers.js';
import type { ClusterInput, ClusterUpdate, EngineKind } from './clusters.js';
import type { QueryDoc } from './history.js';
import type { KeyInfo } from './policies/keys.js';
import type {
  DataPolicyDoc,
  DataPolicyInput,
  DatePrecision,
  FilterOperator,
  HashAlgorithm,
  MaskKeyScope,
  MaskOperator,
  MaskSpec,
  RowFilter,
} from './policies/model.js';
import { explainMask } from './policies/explain.js';
import type { Classification } from './policies/resolve.js';
import type {
  ClassificationKind as ClassificationKindGql,
  MaskSelection as MaskSelectionGql,
  DatePrecision as DatePrecisionGql,
  FilterOperator as FilterOperatorGql,
  HashAlgorithm as HashAlgorithmGql,
  MaskKey as MaskKeyGql,
  MaskKeyScope as MaskKeyScopeGql,
  MaskOperator as MaskOperatorGql,
} from './generated/resolvers.js';
import type { Rewritten } from './sql/pipeline.js';

const lower = <T extends string>(v: string) => v.toLowerCase() as T;
const upper = <T extends string>(v: string) => v.toUpperCase() as T;

export function dataPolicyInput(input: DataPolicyInputGql): DataPolicyInput {
  return {
    name: input.name,
    description: input.description ?? null,
    type: lower(input.type),
    priority: input.priority,
    datasets: input.datasets ?? [],
    selector: {
      user: { match: lower<'any' | 'all'>(input.selector.user.match ?? 'ANY'), tags: input.selector.user.tags },
      column: input.selector.column
        ? {
            tags: input.selector.column.tags ?? [],
            names: input.selector.column.names ?? [],
            concepts: input.selector.column.concepts ?? [],
          }
        : null,
    },
    mask: input.mask
      ? {
          operator: lower<MaskOperator>(input.mask.operator),
          algorithm: input.mask.algorithm ? lower<HashAlgorithm>(input.mask.algorithm) : null,
          keyScope: input.mask.keyScope ? lower<MaskKeyScope>(input.mask.keyScope) : null,
          replacement: input.mask.replacement ?? null,
          keepFirst: input.mask.keepFirst ?? null,
          keepLast: input.mask.keepLast ?? null,
          buckets: input.mask.buckets ?? null,
          bucketSize: input.mask.bucketSize ?? null,
          precision: input.mask.precision ? lower<DatePrecision>(input.mask.precision) : null,
          pattern: input.mask.pattern ?? null,
        }
      : null,
    filters: (input.filters ?? []).map((f): RowFilter => ({
      column: f.column ?? null,
      operator: f.operator ? lower<FilterOperator>(f.operator) : null,
      value: f.value ?? null,
      valueFrom: f.valueFrom ?? null,
      predicate: f.predicate ?? null,
    })),
    enabled: input.enabled ?? true,
  };
}

const maskGql = (m: MaskSpec): NonNullable<DataPolicyGql['mask']> => ({
  operator: upper(m.operator),
  algorithm: m.algorithm ? upper<HashAlgorithmGql>(m.algorithm) : null,
  keyScope: m.operator === 'hash' ? upper<MaskKeyScopeGql>(m.keyScope ?? 'policy') : null,
  replacement: m.replacement ?? null,
  keepFirst: m.keepFirst ?? null,
  keepLast: m.keepLast ?? null,
  buckets: m.buckets ?? null,
  bucketSize: m.bucketSize ?? null,
  precision: m.precision ? upper<DatePrecisionGql>(m.precision) : null,
  pattern: m.pattern ?? null,
});

export const toDataPolicy = (doc: DataPolicyDoc): DataPolicyGql => ({
  name: doc._id,
  description: doc.description,
  type: upper(doc.type),
  priority: doc.priority,
  datasets: doc.datasets,
  selector: {
    user: { match: upper(doc.selector.user.match), tags: doc.selector.user.tags },
    column: doc.selector.column ? { ...doc.selector.column, concepts: doc.selector.column.concepts ?? [] } : null,
  },
  mask: doc.mask ? maskGql(doc.mask) : null,
  filters: doc.filters.map((f) => ({
    column: f.column ?? null,
    operator: f.operator ? upper<FilterOperatorGql>(f.operator) : null,
    value: f.value ?? null,
    valueFrom: f.valueFrom ?? null,
    predicate: f.predicate ?? null,
  })),
  enabled: doc.enabled,
  version: doc.version,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
  updatedBy: doc.updatedBy,
});

function sizeFields(size: ClusterInputGql['size']) {
  return size
    ? { replicas: size.replicas ?? 1, resources: { cpu: size.cpu ?? null, memory: size.memory ?? null } }
    : {};
}

export const clusterInput = (input: ClusterInputGql): ClusterInput => ({
  name: input.name,
  engine: lower<EngineKind>(input.engine),
  endpoint: input.endpoint ?? null,
  description: input.description ?? null,
  depots: input.depots ?? [],
  selector: input.selector ?? null,
  state: input.state ?? null,
  ...sizeFields(input.size),
});

export function clusterUpdate(input: ClusterUpdateInputGql): ClusterUpdate {
  const out: ClusterUpdate = { ...sizeFields(input.size) };
  if (input.engine) out.engine = lower<EngineKind>(input.engine);
  if (input.endpoint !== undefined) out.endpoint = input.endpoint;
  if (input.description !== undefined) out.description = input.description;
  if (input.depots) out.depots = input.depots;
  if (input.selector !== undefined) out.selector = input.selector;
  if (input.state) out.state = input.state;
  return out;
}

export const toMaskKey = (k: KeyInfo): MaskKeyGql => ({
  id: k.id,
  active: k.active,
  source: k.source === 'env' ? 'ENVIRONMENT' : 'STORE',
  createdAt: k.createdAt,
  createdBy: k.createdBy,
  retiredAt: k.retiredAt,
});

/** `manager`: the viewer may manage data policies, and so may see the rewritten SQL. */
export const toQueryRecord = (doc: QueryDoc, manager = false): QueryRecordGql => ({
  id: doc._id,
  cluster: doc.cluster,
  user: doc.subject,
  source: upper(doc.source),
  sql: doc.sql,
  rewrittenSql: manager ? doc.rewrittenSql : null,
  datasets: doc.datasets,
  policies: doc.policies,
  state: doc.state,
  error: doc.error,
  rows: doc.rows,
  offset: doc.offset,
  durationMs: doc.durationMs,
  startedAt: doc.startedAt,
  finishedAt: doc.finishedAt,
  routing: doc.routing ? { by: upper(doc.routing.by), reason: doc.routing.reason } : null,
});

const toClassification = (c: Classification) => ({
  kind: upper<ClassificationKindGql>(c.kind),
  value: c.value,
  label: c.label ?? null,
  distance: c.distance ?? null,
  propagated: c.propagated,
  source: c.source ?? null,
  path: c.path ?? [],
});

/** The rewritten SQL (masks, filters, `__gw` names; keys only as parameters) only for those who may manage data policies. */
export function toQueryPlan(sql: string, cluster: string, r: Rewritten, manager: boolean): QueryPlanGql {
  return {
    sql,
    cluster,
    rewrittenSql: manager ? r.engineSql : null,
    conceptsKnown: r.scans.every((s) => s.plan.columns.every((c) => c.conceptsKnown !== false)),
    datasets: r.analysis.datasets.map((d) => d.urn),
    policies: r.policies,
    scans: r.scans.map((s) => ({
      dataset: s.name.urn,
      aliases: [
        ...new Set(r.analysis.references.filter((ref) => ref.dataset.urn === s.name.urn).map((ref) => ref.alias)),
      ],
      columns: s.plan.columns.map((c) => ({
        name: c.name,
        type: c.type,
        tags: c.tags,
        mask: c.mask ? upper<MaskOperatorGql>(c.mask.spec.operator) : null,
        policy: c.mask?.policy ?? null,
        classifications: (
          c.classifications ?? c.tags.map((t) => ({ kind: 'tag' as const, value: t, propagated: false }))
        ).map(toClassification),
        reason: c.mask
          ? {
              policy: c.mask.policy,
              priority: c.mask.priority,
              selectedBy: upper<MaskSelectionGql>(c.mask.reason.selectedBy),
              matched: c.mask.reason.matched,
              classification: c.mask.reason.classification ? toClassification(c.mask.reason.classification) : null,
              subjectTags: c.mask.reason.subjectTags,
              explanation: explainMask(c)!,
            }
          : null,
      })),
      filters: s.plan.filters.map((f) => f.policy),
      exemptions: s.plan.exemptions.map((f) => f.policy),
      sql: manager ? s.template.sql : null,
    })),
  };
}
