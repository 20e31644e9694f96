import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PreparedOperation } from './operations.js';
import { traceparentFor, tracestateFor } from './trace.js';

/** Per-request state of the router. */
export interface RouterContext {
  requestId: string;
  authorization?: string;
  /** The request's trace context: each subgraph fetch gets a span id of its own under it. */
  traceparent?: string;
  tracestate?: string;
  clientHeaders: Record<string, string | undefined>;
  /** What the router knows of this request's operation (limits, authorization analysis). */
  prepared?: PreparedOperation;
  /** Set when the request was refused for its credentials (401): the reason word, for metrics. */
  tokenRefusal?: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The request's id (the client's when it is a plain token, else a new one, echoed in the
 * response), its trace context, its Authorization header and the client headers to forward.
 */
export function contextFromRequest(
  req: IncomingMessage,
  res: ServerResponse,
  forwardHeaders: readonly string[],
): RouterContext {
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  res.setHeader('x-request-id', requestId);
  const incoming = req.headers.traceparent;
  const tracestate = tracestateFor(
    Array.isArray(req.headers.tracestate) ? req.headers.tracestate.join(',') : req.headers.tracestate,
  );
  const clientHeaders: Record<string, string | undefined> = {};
  for (const name of forwardHeaders) {
    const value = req.headers[name];
    clientHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    requestId,
    traceparent: traceparentFor(typeof incoming === 'string' ? incoming : undefined),
    ...(tracestate ? { tracestate } : {}),
    clientHeaders,
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  };
}
