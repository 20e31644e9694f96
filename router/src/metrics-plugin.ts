import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { RouterContext } from './context.js';
import type { RouterMetrics } from './metrics.js';

/** One answered request in the metrics: its outcome, errors by code, latency (Apollo Server's path and the fast path alike). */
export function recordRequest(
  metrics: RouterMetrics,
  answer: {
    /** The operation's name; null for an anonymous one, undefined when no operation was resolved. */
    operationName: string | null | undefined;
    resolved: boolean;
    errors: readonly GraphQLFormattedError[] | undefined;
    hasData: boolean;
    tokenRefusal: string | undefined;
    started: number;
  },
): void {
  const operation = metrics.operationLabel(answer.resolved ? answer.operationName : '(invalid)');
  const errors = answer.errors ?? [];
  const refused = answer.tokenRefusal;
  const outcome = refused
    ? 'unauthenticated'
    : errors.length === 0
      ? 'success'
      : answer.hasData
        ? 'partial'
        : 'failure';
  metrics.requests.inc({ operation, outcome });
  if (refused) metrics.tokenRefusals.inc({ reason: refused });
  for (const error of errors) {
    const code = error.extensions?.code;
    metrics.errors.inc({ operation, code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
  }
  metrics.duration.observe({ operation }, (performance.now() - answer.started) / 1000);
}

/** Requests (with those refused for their token apart), errors by code and latency, by operation name. */
export function metricsPlugin(metrics: RouterMetrics): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(requestContext: GraphQLRequestContextWillSendResponse<RouterContext>) {
          const body = requestContext.response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          recordRequest(metrics, {
            operationName: requestContext.operationName,
            resolved: requestContext.operation !== undefined,
            errors: result.errors,
            hasData: Boolean(result.data),
            tokenRefusal: requestContext.contextValue.tokenRefusal,
            started,
          });
        },
      };
    },
  };
}
