import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, parse, type GraphQLFormattedError } from 'graphql';
import type { RouterContext } from './context.js';
import { RouterErrorCode } from './errors.js';
import { Lru } from '@dataos/cache';
import { fetchTraceparent } from './trace.js';
import { SERVICE_AUTHORIZATION_HEADER } from '@dataos/service-identity';
import type { RouterMetrics } from './metrics.js';
import {
  SubgraphHttpClient,
  SubgraphResponseTooLargeError,
  SubgraphTimeoutError,
  type HttpAnswer,
} from './subgraph/http-client.js';

type SubgraphResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

export interface SubgraphSourceOptions {
  name: string;
  url: string;
  timeoutMs: number;
  maxSockets: number;
  /** Largest answer read (SUBGRAPH_MAX_RESPONSE_BYTES; 0: no limit). */
  maxResponseBytes?: number;
  /** Client headers passed on besides Authorization (lower-case). */
  forwardHeaders: string[];
  /** Share one fetch between identical query fetches in flight (same body, token and forwarded headers). */
  deduplicate?: boolean;
  metrics?: RouterMetrics;
  /** The router's own credential for this subgraph (X-Service-Authorization), when it has an identity. */
  serviceHeaders?: () => Promise<Record<string, string>>;
}

/** Response keys of the root fields of a subgraph operation, by query text (the set is bounded by the plan cache). */
const rootKeysCache = new Lru<string, string[]>(5000);

function rootKeysOf(query: string): string[] {
  let keys = rootKeysCache.get(query);
  if (keys) return keys;
  try {
    const operation = parse(query, { noLocation: true }).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    keys =
      operation?.kind === Kind.OPERATION_DEFINITION
        ? operation.selectionSet.selections.flatMap((s) =>
            s.kind === Kind.FIELD ? [s.alias?.value ?? s.name.value] : [],
          )
        : [];
  } catch {
    keys = [];
  }
  rootKeysCache.set(query, keys);
  return keys;
}

/**
 * How Apollo Gateway reaches one subgraph. Each fetch carries the caller's Authorization header,
 * the request id and W3C trace context, and no other client header unless configured; it runs
 * over kept-alive connections and gives up after the subgraph's timeout. A subgraph that is
 * down, slow or answers garbage yields errors at the paths its fetch was to fill (Apollo Gateway
 * answers the rest), never an exception.
 */
export class ForwardingDataSource implements GraphQLDataSource<RouterContext> {
  readonly name: string;
  readonly url: string;
  private readonly client: SubgraphHttpClient;
  private readonly inFlight = new Map<string, Promise<HttpAnswer>>();
  /** This subgraph's metric children, looked up once instead of by labels on every fetch. */
  private meterCache?: {
    duration: { observe(value: number): void };
    fetches: (outcome: string) => { inc(): void };
  };

  private meters() {
    const metrics = this.options.metrics;
    if (!metrics) return undefined;
    if (!this.meterCache) {
      const subgraph = this.name;
      const byOutcome = new Map<string, { inc(): void }>();
      this.meterCache = {
        duration: metrics.subgraphDuration.labels({ subgraph }),
        fetches: (outcome) => {
          let child = byOutcome.get(outcome);
          if (!child) byOutcome.set(outcome, (child = metrics.subgraphFetches.labels({ subgraph, outcome })));
          return child;
        },
      };
    }
    return this.meterCache;
  }

  constructor(private readonly options: SubgraphSourceOptions) {
    this.name = options.name;
    this.url = options.url;
    this.client = new SubgraphHttpClient(options.url, {
      maxSockets: options.maxSockets,
      maxResponseBytes: options.maxResponseBytes ?? 0,
    });
  }

  headersFor(context: Partial<RouterContext> | undefined): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (!context || typeof context.requestId !== 'string') return headers;
    if (context.authorization) headers.authorization = context.authorization;
    headers['x-request-id'] = context.requestId;
    if (context.traceparent) headers.traceparent = fetchTraceparent(context.traceparent);
    if (context.tracestate) headers.tracestate = context.tracestate;
    for (const name of this.options.forwardHeaders) {
      // Only the router speaks for itself: a client's service credential is never passed on.
      if (name === SERVICE_AUTHORIZATION_HEADER) continue;
      const value = context.clientHeaders?.[name];
      if (value) headers[name] = value;
    }
    return headers;
  }

  async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<SubgraphResponse> {
    const { request } = options;
    const context = options.context as Partial<RouterContext> | undefined;
    const query = request.query ?? '';
    const body = JSON.stringify({
      query,
      ...(request.operationName ? { operationName: request.operationName } : {}),
      ...(request.variables ? { variables: request.variables } : {}),
    });
    const started = performance.now();
    const observe = (outcome: string) => {
      const metrics = this.meters();
      if (!metrics) return;
      metrics.fetches(outcome).inc();
      metrics.duration.observe((performance.now() - started) / 1000);
    };
    const failed = (message: string, code: string, outcome: string, extra: Record<string, unknown> = {}) => {
      observe(outcome);
      return { errors: this.errorsAtFetchPaths(query, request.variables, message, code, extra) };
    };

    let answer;
    try {
      answer = await this.send(query, body, context, await this.serviceHeaders());
    } catch (error) {
      if (error instanceof SubgraphResponseTooLargeError) {
        return failed(
          `Subgraph "${this.name}" answered more than ${error.limitBytes} bytes.`,
          RouterErrorCode.SubgraphResponseTooLarge,
          'invalid',
          { limitBytes: error.limitBytes },
        );
      }
      if (error instanceof SubgraphTimeoutError) {
        return failed(
          `Subgraph "${this.name}" did not answer within ${error.timeoutMs} ms.`,
          RouterErrorCode.SubgraphTimeout,
          'timeout',
        );
      }
      return failed(
        `Subgraph "${this.name}" could not be reached.`,
        RouterErrorCode.SubgraphUnavailable,
        'unavailable',
        {
          reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
        },
      );
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    const isObject = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
    const response = isObject ? (parsed as SubgraphResponse) : undefined;
    const hasGraphQLShape = response !== undefined && ('data' in response || Array.isArray(response.errors));

    if (answer.status < 200 || answer.status >= 300) {
      // A subgraph refusing with a GraphQL body (401 for a refused token): its errors, as it said them.
      if (hasGraphQLShape && response.errors?.length) {
        observe('http_error');
        return { errors: this.withFetchPaths(query, request.variables, response.errors) };
      }
      return failed(
        `Subgraph "${this.name}" answered HTTP ${answer.status}.`,
        RouterErrorCode.SubgraphHttpError,
        'http_error',
        {
          status: answer.status,
        },
      );
    }
    if (!hasGraphQLShape) {
      return failed(
        `Subgraph "${this.name}" answered something that is not a GraphQL response.`,
        RouterErrorCode.SubgraphInvalidResponse,
        'invalid',
      );
    }
    observe(response.errors?.length ? 'errors' : 'ok');
    return response;
  }

  /**
   * One HTTP exchange, or a share of one: a query fetch identical to one in flight (same body,
   * same Authorization and forwarded headers) waits for that one's answer instead of asking
   * again; each request parses the answer for itself. Mutations are always sent.
   */
  private send(
    query: string,
    body: string,
    context: Partial<RouterContext> | undefined,
    service: Record<string, string> | undefined,
  ): Promise<HttpAnswer> {
    // The router's own credential last: a client's header of the same name is never passed on.
    const headers = { ...this.headersFor(context), ...service };
    if (!this.options.deduplicate || /^\s*(mutation|subscription)\b/.test(query)) {
      return this.client.post(body, headers, this.options.timeoutMs);
    }
    let key = `${headers.authorization ?? ''}\u0000${body}`;
    for (const name of this.options.forwardHeaders) key += `\u0000${headers[name] ?? ''}`;
    const pending = this.inFlight.get(key);
    if (pending) {
      this.options.metrics?.subgraphDeduplicated.inc({ subgraph: this.name });
      return pending;
    }
    const sent = this.client.post(body, headers, this.options.timeoutMs);
    this.inFlight.set(key, sent);
    const forget = () => this.inFlight.delete(key);
    sent.then(forget, forget);
    return sent;
  }

  /**
   * Errors for a fetch that gave nothing: one per root field of a root fetch, or one for the
   * entities of an entity fetch (Apollo Gateway prefixes the path of the fetch, `@` for lists).
   */
  private errorsAtFetchPaths(
    query: string,
    variables: Record<string, unknown> | undefined,
    message: string,
    code: string,
    extra: Record<string, unknown>,
  ): GraphQLFormattedError[] {
    const extensions = { ...extra, code };
    if (variables && 'representations' in variables) return [{ message, path: [], extensions }];
    const keys = rootKeysOf(query);
    return keys.length ? keys.map((key) => ({ message, path: [key], extensions })) : [{ message, extensions }];
  }

  /** Errors of a refused fetch, placed at its root fields when they have no path. */
  private withFetchPaths(
    query: string,
    variables: Record<string, unknown> | undefined,
    errors: readonly GraphQLFormattedError[],
  ): GraphQLFormattedError[] {
    if (errors.every((e) => e.path)) return [...errors];
    const entities = variables !== undefined && 'representations' in variables;
    const keys = entities ? [] : rootKeysOf(query);
    if (entities) return errors.map((e) => (e.path ? e : { ...e, path: [] }));
    return errors.flatMap((error) => {
      const clean = { message: error.message, ...(error.extensions ? { extensions: error.extensions } : {}) };
      return error.path || keys.length === 0 ? [error] : keys.map((key) => ({ ...clean, path: [key] }));
    });
  }

  /**
   * The router's credential for this subgraph, also for its subscriptions' connection_init. A
   * token the issuer will not give fails the fetch like an unreachable subgraph, never unsigned.
   */
  serviceHeaders(): Promise<Record<string, string> | undefined> {
    return this.options.serviceHeaders ? this.options.serviceHeaders() : Promise.resolve(undefined);
  }

  close(): void {
    this.client.close();
  }
}
