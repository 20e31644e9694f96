import { randomFillSync } from 'node:crypto';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Random bytes are drawn in blocks: one system call per 256 ids instead of one per id. */
const pool = Buffer.alloc(8 * 1024);
let offset = pool.length;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

const ZERO_ID = /^0+$/;

/**
 * W3C trace context: continue the client's trace, or start one. An invalid header (an all-zero
 * trace or parent id, which the spec forbids) starts a new trace. The span id here is the
 * router's request span; each subgraph fetch gets its own (`fetchTraceparent`).
 */
export function traceparentFor(incoming: string | undefined): string {
  if (
    incoming &&
    TRACEPARENT.test(incoming) &&
    !ZERO_ID.test(incoming.slice(3, 35)) &&
    !ZERO_ID.test(incoming.slice(36, 52))
  ) {
    return `${incoming.slice(0, 36)}${randomHex(8)}${incoming.slice(52)}`;
  }
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

/** The traceparent of one subgraph fetch: the request's trace and flags, a span id of its own. */
export function fetchTraceparent(traceparent: string): string {
  return `${traceparent.slice(0, 36)}${randomHex(8)}${traceparent.slice(52)}`;
}

/** W3C `tracestate`, passed on as sent when it is plausible (at most 512 printable characters). */
export function tracestateFor(incoming: string | undefined): string | undefined {
  return incoming && incoming.length <= 512 && /^[\x20-\x7e]+$/.test(incoming) ? incoming : undefined;
}
