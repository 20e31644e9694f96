import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import type { RouterContext } from './context.js';

/**
 * Subgraph fetches carry the caller's Authorization header, the request id and W3C trace
 * context; no other client header goes through unless configured.
 */
export class ForwardingDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<RouterContext>>[0],
    private readonly forwardHeaders: string[],
  ) {
    super(config);
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>): void {
    const headers = request.http?.headers;
    if (!headers || !('requestId' in context)) return;
    if (context.authorization) headers.set('authorization', context.authorization);
    headers.set('x-request-id', context.requestId);
    if (context.traceparent) headers.set('traceparent', context.traceparent);
    for (const name of this.forwardHeaders) {
      const value = context.clientHeaders[name];
      if (value) headers.set(name, value);
    }
  }

  /**
   * A subgraph that answers an HTTP error with a GraphQL body (401 for a refused token) has
   * its first error passed on as is, without the subgraph's URL and response that the
   * default error carries.
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | undefined;
    const first = body?.errors?.[0];
    if (first?.message) {
      return new GraphQLError(first.message, { extensions: { ...first.extensions } });
    }
    return super.errorFromResponse(response);
  }
}
