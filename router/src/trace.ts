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

/** W3C trace context: continue the client's trace (a new span id), or start one. */
export function traceparentFor(incoming: string | undefined): string {
  if (incoming && TRACEPARENT.test(incoming)) {
    return `${incoming.slice(0, 36)}${randomHex(8)}${incoming.slice(52)}`;
  }
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}
