import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FormattedExecutionResult } from 'graphql';
import { contextFromRequest, type RouterContext } from '../context.js';
import { RouterErrorCode, errorBody } from '../errors.js';
import { PayloadTooLargeError, readBody } from '../http/body.js';
import { send } from '../http/respond.js';
import type { TrustedDocuments } from '../protection/trusted-documents.js';
import type { SubscriptionRequest } from './prepare.js';

/** Which HTTP subscription protocol an Accept header asks for, if any. */
export type HttpTransport = 'sse' | 'multipart';

/**
 * `text/event-stream`: GraphQL over SSE (distinct connections mode). `multipart/mixed` with
 * `subscriptionSpec=1.0`: Apollo's multipart HTTP subscriptions. Anything else (JSON, `@defer`'s
 * `deferSpec`) stays with Apollo Server.
 */
export function httpTransportOf(accept: string | undefined): HttpTransport | undefined {
  if (!accept) return undefined;
  if (/(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept)) return 'sse';
  if (/multipart\/mixed[^,]*subscriptionSpec\s*=\s*"?1\.0"?/i.test(accept)) return 'multipart';
  return undefined;
}

/** Apollo Server's CSRF prevention: a request a browser can send without a preflight is refused. */
const SIMPLE_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
export function passesCsrfPrevention(req: IncomingMessage): boolean {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type && !SIMPLE_TYPES.has(type)) return true;
  return ['x-apollo-operation-name', 'apollo-require-preflight'].some((h) => {
    const v = req.headers[h];
    return typeof v === 'string' && v.length > 0;
  });
}

export interface ParsedHttpRequest {
  request: SubscriptionRequest;
  context: RouterContext;
  /** SSE `Last-Event-ID`: where a reconnecting client resumes (the `after` variable). */
  lastEventId?: string;
}

const EVENT_ID = /^[\x21-\x7e]{1,512}$/;

/**
 * The GraphQL request of an SSE or multipart call (POST JSON body, or GET query string), within
 * the body limit, CSRF-checked, trusted documents applied; or an answer already sent.
 */
export async function parseHttpRequest(
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
  options: { maxBodyBytes: number; forwardHeaders: readonly string[]; trusted?: TrustedDocuments },
): Promise<ParsedHttpRequest | undefined> {
  const refuse = (status: number, message: string, code: string) => {
    send(res, status, errorBody(message, code));
    return undefined;
  };
  if (req.method !== 'GET' && req.method !== 'POST')
    return refuse(405, 'Subscriptions are sent with POST (or GET).', RouterErrorCode.BadRequest);
  if (!passesCsrfPrevention(req))
    return refuse(
      400,
      "This request has been blocked as a potential Cross-Site Request Forgery (CSRF). Send 'Content-Type: application/json' or an 'apollo-require-preflight' header.",
      RouterErrorCode.BadRequest,
    );
  let body: Record<string, unknown>;
  if (req.method === 'POST') {
    let text: string;
    try {
      text = await readBody(req, options.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      res.setHeader('connection', 'close');
      return refuse(
        413,
        `The request body is larger than ${options.maxBodyBytes} bytes.`,
        RouterErrorCode.PayloadTooLarge,
      );
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return refuse(400, 'The request body is not a JSON object.', RouterErrorCode.BadRequest);
    }
  } else {
    const params = new URLSearchParams(search);
    body = { query: params.get('query') ?? undefined, operationName: params.get('operationName') ?? undefined };
    try {
      if (params.has('variables')) body.variables = JSON.parse(params.get('variables')!);
      if (params.has('extensions')) body.extensions = JSON.parse(params.get('extensions')!);
    } catch {
      return refuse(400, '`variables` and `extensions` must be JSON.', RouterErrorCode.BadRequest);
    }
  }
  if (options.trusted) {
    const resolved = options.trusted.resolve(body.query, body.extensions);
    if (!resolved.ok) return refuse(400, resolved.message, RouterErrorCode.PersistedQueryNotInList);
    if (resolved.query !== undefined) body.query = resolved.query;
  }
  const { query, variables, operationName } = body;
  if (typeof query !== 'string') return refuse(400, 'The request has no query (a string).', RouterErrorCode.BadRequest);
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
    return refuse(400, '`variables` must be an object.', RouterErrorCode.BadRequest);
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string')
    return refuse(400, '`operationName` must be a string.', RouterErrorCode.BadRequest);
  const lastEventId = req.headers['last-event-id'];
  return {
    request: {
      query,
      ...(variables ? { variables: variables as Record<string, unknown> } : {}),
      ...(operationName ? { operationName } : {}),
    },
    context: contextFromRequest(req, res, options.forwardHeaders),
    ...(typeof lastEventId === 'string' && EVENT_ID.test(lastEventId) ? { lastEventId } : {}),
  };
}

/** A refusal or single result, as a plain JSON answer (as for queries). */
export function sendSingle(res: ServerResponse, status: number, result: FormattedExecutionResult): void {
  send(res, status, JSON.stringify(result));
}

/**
 * Writes `chunk`, waiting for the socket to drain when its buffer is past the limit; false when
 * the client went away or stayed that far behind for `patienceMs`.
 */
export async function writeWithin(res: ServerResponse, chunk: string, maxBuffered: number, patienceMs = 10_000) {
  if (res.destroyed || res.writableEnded) return false;
  res.write(chunk);
  if (res.writableLength <= maxBuffered) return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    const timer = setTimeout(() => done(false), patienceMs);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
