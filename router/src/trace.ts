import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** W3C trace context: continue the client's trace, or start one. */
export function traceparentFor(incoming: string | undefined): string {
  if (incoming && TRACEPARENT.test(incoming)) {
    const [version, traceId, , flags] = incoming.split('-');
    return `${version}-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
  }
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
