import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { RouterContext } from './context.js';
import type { RouterMetrics } from './metrics.js';

/** Requests (with those refused for their token apart), errors by code and latency, by operation name. */
export function metricsPlugin(metrics: RouterMetrics): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(requestContext: GraphQLRequestContextWillSendResponse<RouterContext>) {
          const operation = metrics.operationLabel(
            requestContext.operation ? requestContext.operationName : '(invalid)',
          );
          const body = requestContext.response.body;
          const result = body.kind === 'single' ? body.singleResult : body.initialResult;
          const errors = result.errors ?? [];
          const refused = requestContext.contextValue.tokenRefusal;
          const outcome = refused
            ? 'unauthenticated'
            : errors.length === 0
              ? 'success'
              : result.data
                ? 'partial'
                : 'failure';
          metrics.requests.inc({ operation, outcome });
          if (refused) metrics.tokenRefusals.inc({ reason: refused });
          for (const error of errors) {
            const code = error.extensions?.code;
            metrics.errors.inc({ operation, code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR' });
          }
          metrics.duration.observe({ operation }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}
