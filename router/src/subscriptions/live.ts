import { Kind, type ExecutionResult, type FormattedExecutionResult, type GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { jwtExpiryMs, bearerToken } from '../authz/decision-cache.js';
import { deniedKey, type CallerAuthorization } from '../authz/evaluate.js';
import type { RouterContext } from '../context.js';
import {
  CloseCodes,
  accessRevoked,
  backlog,
  ending,
  slowConsumer,
  subgraphGone,
  tokenExpired,
  tokenRefused,
} from './ending.js';
import type { PreparedSubscription } from './prepare.js';
import { EventQueue } from './queue.js';
import { eventCursor, resolveEvent } from './resolve-event.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { SubscriptionSettings } from './settings.js';
import { subscribeUpstream, type UpstreamEnd } from './upstream.js';

/** An event for a transport: the result, and its id when the operation selects the root field's `cursor`. */
export interface LiveEvent {
  result: ExecutionResult;
  id?: string;
}

export interface LiveDeps {
  settings: SubscriptionSettings;
  metrics?: SubscriptionMetrics;
  logger: Logger;
  maxPayloadBytes: number;
  onClose(subscription: LiveSubscription): void;
}

/** Longest setTimeout Node takes (about 24.8 days); a later expiry is re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Resumptions in a row after the subgraph's connection dropped, and the wait before each. */
const RESUME_ATTEMPTS = 3;
const RESUME_DELAY_MS = 250;

interface SubgraphSource {
  url?: string;
  headersFor?(context: Partial<RouterContext>): Record<string, string>;
  /** The router's own credential for the subgraph (X-Service-Authorization), fetched per connection. */
  serviceHeaders?(): Promise<Record<string, string> | undefined>;
}

/**
 * One running subscription: the subgraph's subscription for the primary fetch, each event
 * resolved in order through the router's executor into a bounded queue the transport reads.
 * Ends with an error when the token expires (timer from `exp`), when a re-check finds access
 * revoked, when the client does not keep up, or when the subgraph's side ends.
 */
export class LiveSubscription {
  readonly queue: EventQueue<LiveEvent>;
  readonly token: string | undefined;
  private upstream: { dispose(): void } | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Events received and not yet queued (resolving their other fields). */
  private resolving = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  private lastCursor: string | undefined;
  private resumes = 0;
  private done = false;
  /** The variable the root field's `after` argument is bound to, when it is one: resumptions set it. */
  private readonly afterVariable: string | undefined;

  constructor(
    readonly prepared: PreparedSubscription,
    readonly context: RouterContext,
    resumeAfter: string | undefined,
    private readonly deps: LiveDeps,
  ) {
    this.token = bearerToken(context.authorization);
    this.queue = new EventQueue<LiveEvent>(deps.settings.bufferEvents, () => this.close());
    const root = prepared.base.operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    const after = root?.kind === Kind.FIELD ? root.arguments?.find((a) => a.name.value === 'after')?.value : undefined;
    this.afterVariable = after?.kind === Kind.VARIABLE ? after.name.value : undefined;
    this.lastCursor = resumeAfter;
  }

  /** Opens the subgraph's side and the timers; the queue is what the transport iterates. */
  open(): AsyncIterableIterator<LiveEvent> {
    this.armExpiry();
    if (this.done) return this.queue;
    // A reconnecting client's last event id fills the `after` variable when it does not set one.
    const { variables } = this.prepared;
    const resume =
      this.afterVariable && this.lastCursor && variables[this.afterVariable] == null
        ? { ...variables, [this.afterVariable]: this.lastCursor }
        : variables;
    this.subscribe(resume);
    return this.queue;
  }

  private armExpiry() {
    const exp = this.token ? jwtExpiryMs(this.token) : undefined;
    if (exp === undefined) return;
    const wait = exp - Date.now();
    if (wait <= 0) return this.end(tokenExpired());
    this.expiryTimer = setTimeout(() => this.armExpiry(), Math.min(wait, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }

  private subscribe(variables: Record<string, unknown>) {
    const { primary } = this.prepared.compiled;
    const source = this.prepared.internals.serviceMap?.[primary.serviceName]?.dataSource as SubgraphSource | undefined;
    if (!source?.url) {
      this.end(subgraphGone(primary.serviceName, 'the subgraph is not in the supergraph any more', this.lastCursor));
      return;
    }
    const headers = source.headersFor?.(this.context) ?? {};
    const { 'content-type': _type, accept: _accept, ...callerParams } = headers;
    // Read when the connection opens (graphql-ws awaits it), so a resumption sends a fresh token.
    const connectionParams = source.serviceHeaders
      ? async () => ({ ...callerParams, ...(await source.serviceHeaders!()) })
      : callerParams;
    const fetchVariables: Record<string, unknown> = {};
    for (const name of primary.variableUsages ?? [])
      if (variables[name] !== undefined) fetchVariables[name] = variables[name];
    this.upstream = subscribeUpstream({
      url: source.url,
      query: primary.operation,
      variables: fetchVariables,
      ...(primary.operationName ? { operationName: primary.operationName } : {}),
      connectionParams,
      maxPayloadBytes: this.deps.maxPayloadBytes,
      connectTimeoutMs: this.deps.settings.upstreamTimeoutMs,
      onEvent: (event) => this.receive(event),
      onEnd: (end) => this.upstreamEnded(end),
    });
  }

  private receive(event: FormattedExecutionResult) {
    if (this.done) return;
    this.resumes = 0;
    // Events waiting for their other fields count against the buffer too.
    if (this.resolving + this.queue.size >= this.deps.settings.bufferEvents) {
      // Whose fault: the client's (events resolved, not read) or the other subgraphs' (still resolving).
      const bound = this.deps.settings.bufferEvents;
      this.end(this.queue.size >= this.resolving ? slowConsumer(bound) : backlog(bound));
      return;
    }
    this.resolving++;
    const id = eventCursor(event, this.prepared.compiled.rootKey);
    if (id) this.lastCursor = id;
    // Events are resolved as they come (their fetches overlap, identical ones in flight shared)
    // and delivered in the order they came.
    const resolved = resolveEvent(this.prepared, this.context, event);
    resolved.catch(() => undefined); // handled below, in order
    this.chain = this.chain
      .then(async () => {
        const result = await resolved;
        if (this.done) return;
        if (this.queue.push(id ? { result, id } : { result }))
          this.deps.metrics?.events.inc({ subgraph: this.prepared.compiled.primary.serviceName });
        else this.end(slowConsumer(this.deps.settings.bufferEvents));
      })
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, 'a subscription event could not be resolved');
        this.end(ending('An event could not be resolved.', 'INTERNAL_SERVER_ERROR'));
      })
      .finally(() => this.resolving--);
  }

  private upstreamEnded(end: UpstreamEnd) {
    if (this.done) return;
    const service = this.prepared.compiled.primary.serviceName;
    if (end.kind === 'complete') {
      void this.chain.then(() => this.queue.end());
      return;
    }
    if (end.kind === 'errors') {
      const error = end.errors[0];
      const code = error?.extensions?.code;
      this.end(
        ending(
          error?.message ?? `Subgraph "${service}" refused the subscription.`,
          String(code ?? 'DOWNSTREAM_SERVICE_ERROR'),
          {
            ...error?.extensions,
            serviceName: service,
            ...(code === 'UNAUTHENTICATED' ? { closeCode: CloseCodes.Unauthorized } : {}),
          },
        ),
      );
      return;
    }
    if (end.code === CloseCodes.Forbidden) {
      // The subgraph refused the router itself (SERVICE_IDENTITY): an operator's fix, not a retry.
      this.end(
        ending(`Subgraph "${service}" does not take this router for a trusted caller.`, 'UNTRUSTED_CALLER', {
          serviceName: service,
        }),
      );
      return;
    }
    if (end.code === CloseCodes.Unauthorized) {
      this.end(tokenRefused(end.reason || 'The subgraph refused the token.', 'subgraph_unauthorized'));
      return;
    }
    // The subgraph went away (restart, network): resume after the last event when the
    // operation lets the router say where (`after: $variable`), else end with a retryable error.
    if (this.afterVariable && this.lastCursor && this.resumes < RESUME_ATTEMPTS) {
      this.resumes++;
      const variables = { ...this.prepared.variables, [this.afterVariable]: this.lastCursor };
      const timer = setTimeout(() => {
        if (!this.done) this.subscribe(variables);
      }, RESUME_DELAY_MS * this.resumes);
      timer.unref();
      return;
    }
    this.end(
      subgraphGone(service, `connection closed, ${end.code}${end.reason ? ` ${end.reason}` : ''}`, this.lastCursor),
    );
  }

  /**
   * A fresh answer of Heimdall (no cache) for this subscription's token: ends it when the token is
   * not valid any more (signed out, expired) or something it may see was allowed and is not now.
   */
  recheck(caller: CallerAuthorization): void {
    if (this.done || caller.unavailable) return; // Heimdall out of reach: the next re-check decides
    if (caller.invalidToken) return this.end(tokenRefused(caller.invalidToken.message, caller.invalidToken.reason));
    const { analysis } = this.prepared.base.authz!;
    if (analysis.sites.size === 0) return;
    const now = deniedKey(analysis.requirements, caller);
    const before = this.prepared.deniedKey;
    const newlyDenied: number[] = [];
    for (let i = 0; i < analysis.requirements.length; i++)
      if (now?.[i] === '1' && before?.[i] !== '1') newlyDenied.push(i);
    if (newlyDenied.length === 0) return;
    const paths = new Set<string>();
    for (const [site, index] of analysis.sites) {
      if (!newlyDenied.includes(index)) continue;
      paths.add(site.kind === Kind.FIELD ? (site.alias?.value ?? site.name.value) : 'a fragment');
    }
    this.end(accessRevoked([...paths]));
  }

  /** Policy names to ask Heimdall about on a re-check. */
  get policyNames(): readonly string[] {
    return this.prepared.base.authz?.analysis.policyNames ?? [];
  }

  /** Ends now: the client gets `error` (none: a quiet completion) and nothing more. */
  end(error?: GraphQLError): void {
    if (this.done) return;
    this.done = true;
    this.upstream?.dispose();
    if (error) this.deps.metrics?.ended.inc({ code: String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR') });
    if (error) this.queue.fail(error);
    else this.queue.end();
    this.close();
  }

  private close() {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (!this.done) {
      this.done = true;
      this.upstream?.dispose();
    }
    this.deps.onClose(this);
  }
}
