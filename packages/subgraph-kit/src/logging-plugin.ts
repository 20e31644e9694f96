import type { ApolloServerPlugin } from '@apollo/server';
import type { BaseContext } from './context.js';

/** One log line per operation with its request id, name, duration and error codes. */
export function requestLogPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors, contextValue: ctx }) {
          ctx.logger.info(
            {
              requestId: ctx.requestId,
              operationName: operationName ?? null,
              subject: ctx.principal?.id ?? null,
              durationMs: Math.round((performance.now() - started) * 100) / 100,
              errors: errors?.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'),
            },
            'graphql request',
          );
        },
      };
    },
  };
}
