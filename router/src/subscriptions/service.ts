import type { ApolloServer } from '@apollo/server';
import type { ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { RouterContext } from '../context.js';
import { bearerToken } from '../authz/decision-cache.js';
import { RouterErrorCode, formatRouterError, requestError } from '../errors.js';
import { SubscriptionCode, shuttingDown } from './ending.js';

const PUBLIC_CODES = new Set<string>(Object.values(SubscriptionCode));
import { LiveSubscription, type LiveEvent } from './live.js';
import type { SubscriptionMetrics } from './metrics.js';
import type { Caller, SubscriptionPreparer, SubscriptionRequest } from './prepare.js';
import type { SubscriptionRegistry } from './registry.js';
import type { SubscriptionSettings } from './settings.js';

/** What a transport gets for a request: a stream of events, or one answer (refusals, queries). */
export type Started =
  | { kind: 'stream'; events: AsyncIterableIterator<LiveEvent>; subscription: LiveSubscription }
  | { kind: 'single'; result: FormattedExecutionResult; status: number };

export interface SubscriptionServiceOptions {
  preparer: SubscriptionPreparer;
  registry: SubscriptionRegistry;
  settings: SubscriptionSettings;
  server: ApolloServer<RouterContext>;
  logger: Logger;
  maxPayloadBytes: number;
  metrics?: SubscriptionMetrics;
}

/** An error as clients receive it (the router's formatting; no HTTP details on a stream). */
export function formatError(error: GraphQLError | GraphQLFormattedError, log: (e: unknown) => void) {
  const formatted = 'toJSON' in error && typeof error.toJSON === 'function' ? error.toJSON() : error;
  // The subscriptions' own endings are meant for the caller; anything else as the router formats it.
  const own = PUBLIC_CODES.has(String(formatted.extensions?.code));
  const out = own
    ? (formatted as GraphQLFormattedError)
    : formatRouterError(formatted as GraphQLFormattedError, error, log);
  if (out.extensions && 'http' in out.extensions) {
    const { http: _http, ...extensions } = out.extensions;
    return { ...out, extensions };
  }
  return out;
}

/**
 * The transports' one entry: prepare (limits, authorization, plan), then either open a live
 * subscription within the limits or, for a query or mutation sent over a subscription transport,
 * run it through Apollo Server's pipeline as any other request.
 */
export class SubscriptionService {
  private stopped = false;

  constructor(private readonly options: SubscriptionServiceOptions) {}

  format(result: ExecutionResult | FormattedExecutionResult): FormattedExecutionResult {
    const log = (e: unknown) => this.options.logger.error({ err: e }, 'unexpected error');
    return {
      ...('data' in result ? { data: result.data } : {}),
      ...(result.errors?.length ? { errors: result.errors.map((e) => formatError(e, log)) } : {}),
      ...(result.extensions ? { extensions: result.extensions } : {}),
    } as FormattedExecutionResult;
  }

  /** `resumeAfter`: the last event id a reconnecting client saw (SSE `Last-Event-ID`), for the `after` variable. */
  async start(request: SubscriptionRequest, context: RouterContext, resumeAfter?: string): Promise<Started> {
    if (this.stopped) return this.single({ errors: [shuttingDown()] }, 503);
    const caller: Caller = context;
    const prepared = await this.options.preparer.prepare(request, caller);
    if (prepared.kind === 'refused') {
      for (const e of prepared.errors)
        this.options.metrics?.refused.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
      // A subscription refused at its root field is forbidden, not malformed.
      const forbidden = prepared.errors.every((e) => e.extensions?.code === RouterErrorCode.UnauthorizedFieldOrType);
      const status = prepared.errors.reduce(
        (s, e) => {
          const http = (e.extensions?.http as { status?: number } | undefined)?.status;
          return http && http > s ? http : s;
        },
        forbidden ? 403 : 400,
      );
      return this.single({ errors: prepared.errors }, status);
    }
    if (prepared.kind === 'operation') {
      const response = await this.options.server.executeOperation(
        {
          query: request.query,
          ...(request.variables ? { variables: request.variables } : {}),
          ...(request.operationName ? { operationName: request.operationName } : {}),
        },
        { contextValue: context },
      );
      if (response.body.kind !== 'single')
        return this.single(
          { errors: [requestError('@defer is not served over subscription transports.', RouterErrorCode.BadRequest)] },
          400,
        );
      return { kind: 'single', result: response.body.singleResult, status: response.http.status ?? 200 };
    }
    const refusal = this.options.registry.refusal(bearerToken(context.authorization));
    if (refusal) {
      this.options.metrics?.refused.inc({ code: String(refusal.extensions.code) });
      return this.single({ errors: [refusal] }, 429);
    }
    const subscription = new LiveSubscription(prepared.subscription, context, resumeAfter, {
      settings: this.options.settings,
      logger: this.options.logger,
      maxPayloadBytes: this.options.maxPayloadBytes,
      ...(this.options.metrics ? { metrics: this.options.metrics } : {}),
      onClose: (s) => this.options.registry.remove(s),
    });
    this.options.registry.add(subscription);
    return { kind: 'stream', events: subscription.open(), subscription };
  }

  private single(result: ExecutionResult, status: number): Started {
    return { kind: 'single', result: this.format(result), status };
  }

  /** Ends every open subscription with a retryable error; new ones are refused. */
  stop(): void {
    this.stopped = true;
    this.options.registry.endAll(shuttingDown);
  }
}
