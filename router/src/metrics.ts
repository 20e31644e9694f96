import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Distinct operation names labelled before the rest are counted as `(other)`: clients choose names. */
const MAX_OPERATION_LABELS = 500;

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The router's Prometheus metrics, in a registry of its own (several routers may share a process). */
export class RouterMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'operation' | 'outcome'>;
  readonly errors: Counter<'operation' | 'code'>;
  readonly duration: Histogram<'operation'>;
  readonly subgraphFetches: Counter<'subgraph' | 'outcome'>;
  readonly subgraphDuration: Histogram<'subgraph'>;
  readonly subgraphDeduplicated: Counter<'subgraph'>;
  readonly decisions: Counter<'result'>;
  readonly heimdallErrors: Counter;
  readonly unauthorizedFields: Counter;
  readonly refusals: Counter<'code'>;
  readonly tokenRefusals: Counter<'reason'>;
  readonly executions: Counter<'executor'>;
  readonly fastPath: Counter;
  private readonly operationLabels = new Set<string>();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'router_requests_total',
      help: 'GraphQL requests, by operation name and outcome (success, partial: data and errors, failure: no data, unauthenticated: refused with 401 for an invalid token or Authorization header)',
      labelNames: ['operation', 'outcome'],
      registers,
    });
    this.errors = new Counter({
      name: 'router_errors_total',
      help: 'GraphQL errors in answers, by operation name and extensions.code',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'router_request_duration_seconds',
      help: 'Time to answer a GraphQL request, by operation name',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.subgraphFetches = new Counter({
      name: 'router_subgraph_fetches_total',
      help: 'Fetches from subgraphs, by subgraph and outcome (ok, errors, timeout, unavailable, invalid, http_error)',
      labelNames: ['subgraph', 'outcome'],
      registers,
    });
    this.subgraphDuration = new Histogram({
      name: 'router_subgraph_fetch_duration_seconds',
      help: 'Time of one fetch from a subgraph',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.subgraphDeduplicated = new Counter({
      name: 'router_subgraph_deduplicated_total',
      help: 'Query fetches that shared the answer of an identical fetch in flight instead of asking the subgraph',
      labelNames: ['subgraph'],
      registers,
    });
    this.decisions = new Counter({
      name: 'router_authz_decisions_total',
      help: 'Authorization lookups: hit (cached Heimdall answer), miss (Heimdall asked), anonymous (no token)',
      labelNames: ['result'],
      registers,
    });
    this.heimdallErrors = new Counter({
      name: 'router_heimdall_errors_total',
      help: 'Heimdall calls that failed (the protected fields were denied)',
      registers,
    });
    this.unauthorizedFields = new Counter({
      name: 'router_unauthorized_fields_total',
      help: 'Selections removed from operations because the caller may not see them',
      registers,
    });
    this.refusals = new Counter({
      name: 'router_refused_requests_total',
      help: 'Requests refused before GraphQL handling, by code (PAYLOAD_TOO_LARGE, PERSISTED_QUERY_NOT_IN_LIST, ...)',
      labelNames: ['code'],
      registers,
    });
    this.tokenRefusals = new Counter({
      name: 'router_unauthenticated_requests_total',
      help: 'Requests refused with 401 for their credentials, by reason (expired, invalid_signature, wrong_audience, malformed, unsupported_scheme, ...)',
      labelNames: ['reason'],
      registers,
    });
    this.executions = new Counter({
      name: 'router_executions_total',
      help: "Operations run, by executor: router (plans and shapers kept per document) or apollo-gateway (Apollo Gateway's: introspection, @interfaceObject and other rewrites, or everything with ROUTER_EXECUTOR=apollo)",
      labelNames: ['executor'],
      registers,
    });
    this.fastPath = new Counter({
      name: 'router_fast_path_requests_total',
      help: "Requests for a document Apollo Server accepted before, answered by the router's executor without Apollo Server's per-request pipeline",
      registers,
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'router_' });
  }

  /** A bounded label for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (this.operationLabels.has(name)) return name;
    if (this.operationLabels.size >= MAX_OPERATION_LABELS) return '(other)';
    this.operationLabels.add(name);
    return name;
  }
}
