import { GraphQLError } from 'graphql';
import { ErrorCode, serviceUnavailable } from '@dataos/errors';

/**
 * The end user's token when a service (the router) asks Heimdall on its behalf, its own token
 * being the bearer: a header, so the user's token never sits in GraphQL variables.
 */
export const SUBJECT_TOKEN_HEADER = 'x-dataos-subject-token';

/** Where transport failures are logged: they name internal addresses, so they stay out of client errors. */
export type TransportLog = (details: Record<string, unknown>, message: string) => void;

export interface TransportOptions {
  /** Heimdall's /graphql. */
  url: string;
  timeoutMs: number;
  log: TransportLog;
  /** This service's own credential for Heimdall (`x-service-authorization`), when it has one. */
  serviceHeaders?: () => Promise<Record<string, string>>;
}

interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string; field?: string } }[];
}

/** Default log: one JSON line on stderr, like the services' pino lines. */
export const stderrLog: TransportLog = (details, message) =>
  process.stderr.write(
    `${JSON.stringify({ level: 40, time: Date.now(), name: 'heimdall-client', ...details, msg: message })}\n`,
  );

const describe = (error: unknown) => {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  return { error: e?.name ?? 'Error', message: e?.message, cause: e?.cause?.code ?? e?.cause?.message };
};

/**
 * One GraphQL call to Heimdall with the caller's token (a router: its own, and its caller's as
 * the subject token). Fails closed: when Heimdall cannot be asked, the caller gets
 * SERVICE_UNAVAILABLE, never an implicit allow. The error says nothing of Heimdall's address or
 * its internal failure: that goes to the log, with the request id.
 */
export async function callHeimdall<T>(
  options: TransportOptions,
  query: string,
  variables: Record<string, unknown>,
  headers: { token?: string | undefined; requestId?: string | undefined; subjectToken?: string | undefined },
): Promise<T> {
  let answer: Answer<T>;
  // Outside the try: a token the issuer will not give is SERVICE_UNAVAILABLE saying so, not "unreachable".
  const service = options.serviceHeaders ? await options.serviceHeaders() : undefined;
  try {
    const res = await fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...service,
        ...(headers.token ? { authorization: `Bearer ${headers.token}` } : {}),
        ...(headers.requestId ? { 'x-request-id': headers.requestId } : {}),
        ...(headers.subjectToken !== undefined ? { [SUBJECT_TOKEN_HEADER]: headers.subjectToken } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    answer = (await res.json()) as Answer<T>;
  } catch (error) {
    options.log(
      { ...describe(error), url: options.url, requestId: headers.requestId },
      'Heimdall could not be reached',
    );
    throw serviceUnavailable('The authorization service (Heimdall) could not be reached.');
  }
  const first = answer.errors?.[0];
  if (first) {
    const code = first.extensions?.code;
    // Token problems and bad checks are the caller's; anything else is Heimdall's and is not leaked.
    if (code === ErrorCode.Unauthenticated || code === ErrorCode.Forbidden || code === ErrorCode.BadUserInput) {
      throw new GraphQLError(first.message, { extensions: { ...first.extensions, code } });
    }
    options.log(
      { code, message: first.message, url: options.url, requestId: headers.requestId },
      'Heimdall failed to decide',
    );
    throw serviceUnavailable('The authorization service (Heimdall) failed to decide.');
  }
  if (!answer.data) throw serviceUnavailable('The authorization service (Heimdall) gave no answer.');
  return answer.data;
}
