import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from './context.js';

/**
 * The end user's token when the router asks on their behalf. A header, not an argument: a token
 * in GraphQL variables ends up wherever operations are logged or traced, and the bearer token
 * stays the caller's own (the router's), as with Envoy's ext_authz.
 */
export const SUBJECT_TOKEN_HEADER = 'x-dataos-subject-token';

/**
 * Per-request state the kit's context does not carry: the subject token header (read before any
 * resolver runs) and the end of the request, when the decision log's summary entry is written.
 */
export function requestStatePlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request, contextValue }) {
      const subjectToken = request.http?.headers.get(SUBJECT_TOKEN_HEADER);
      if (subjectToken !== undefined) contextValue.subjectToken = subjectToken.trim();
      return {
        async willSendResponse({ contextValue: ctx }) {
          ctx.requestLog.finish();
        },
      };
    },
  };
}
