import { GraphQLError } from 'graphql';
import { ErrorCode, serviceUnavailable } from '@dataos/errors';

export interface TransportOptions {
  /** Heimdall's /graphql. */
  url: string;
  timeoutMs: number;
}

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}

/**
 * One GraphQL call to Heimdall with the caller's token. Fails closed: when Heimdall cannot be
 * asked, the caller gets SERVICE_UNAVAILABLE, never an implicit allow.
 */
export async function callHeimdall<T>(
  options: TransportOptions,
  query: string,
  variables: Record<string, unknown>,
  headers: { token?: string | undefined; requestId?: string | undefined },
): Promise<T> {
  let answer: Answer<T>;
  try {
    const res = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(headers.token ? { authorization: `Bearer ${headers.token}` } : {}),
        ...(headers.requestId ? { 'x-request-id': headers.requestId } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    answer = (await res.json()) as Answer<T>;
  } catch (error) {
    throw serviceUnavailable('The authorization service (Heimdall) could not be reached.', {
      cause: (error as Error).message,
    });
  }
  const first = answer.errors?.[0];
  if (first) {
    const code = first.extensions?.code;
    // Token problems are the caller's; anything else is Heimdall's and is not leaked.
    if (code === ErrorCode.Unauthenticated || code === ErrorCode.Forbidden || code === ErrorCode.BadUserInput) {
      throw new GraphQLError(first.message, { extensions: { ...first.extensions, code } });
    }
    throw serviceUnavailable('The authorization service (Heimdall) failed to decide.', { cause: first.message });
  }
  if (!answer.data) throw serviceUnavailable('The authorization service (Heimdall) gave no answer.');
  return answer.data;
}
