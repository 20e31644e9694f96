import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { slowConsumer } from './ending.js';
import type { HttpTransport, ParsedHttpRequest } from './http-request.js';
import { sendSingle, writeWithin } from './http-request.js';
import type { LiveEvent } from './live.js';
import type { SubscriptionService } from './service.js';
import type { SubscriptionSettings } from './settings.js';

/** How one HTTP protocol frames a stream. */
interface Framing {
  headers: Record<string, string>;
  open: string;
  event(result: FormattedExecutionResult, id: string | undefined): string;
  /** The stream ends with an error (token expired, access revoked, slow client, subgraph gone). */
  error(errors: GraphQLFormattedError[]): string;
  complete: string;
  heartbeat: string;
}

/** GraphQL over SSE, distinct connections mode: `next` events (with the cursor as `id`), then `complete`. */
const SSE: Framing = {
  headers: {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  },
  open: ':\n\n',
  event: (result, id) => `event: next\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(result)}\n\n`,
  error: (errors) => `event: next\ndata: ${JSON.stringify({ errors })}\n\n`,
  complete: 'event: complete\ndata:\n\n',
  heartbeat: ':\n\n',
};

/** Apollo's multipart HTTP subscriptions: `{payload}` parts, `{}` heartbeats, `{payload: null, errors}` to end on an error. */
const PART = '\r\ncontent-type: application/json; charset=utf-8\r\n\r\n';
const MULTIPART: Framing = {
  headers: {
    'content-type': 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"',
    'cache-control': 'no-cache',
  },
  open: '\r\n--graphql',
  event: (result) => `${PART}${JSON.stringify({ payload: result })}\r\n--graphql`,
  error: (errors) => `${PART}${JSON.stringify({ payload: null, errors })}\r\n--graphql`,
  complete: '--\r\n',
  heartbeat: `${PART}{}\r\n--graphql`,
};

const FRAMINGS: Record<HttpTransport, Framing> = { sse: SSE, multipart: MULTIPART };

/**
 * Serves one subscription over an HTTP response (SSE or multipart). A refusal is a plain JSON
 * answer with its status, as for queries; a query or mutation sent this way is one event. The
 * client's pace is the socket's: while it is past the buffer limit the router stops reading
 * events, the subscription's bounded queue fills, and the subscription ends (slow consumer).
 */
export async function serveHttpStream(
  req: IncomingMessage,
  res: ServerResponse,
  transport: HttpTransport,
  parsed: ParsedHttpRequest,
  service: SubscriptionService,
  settings: SubscriptionSettings,
): Promise<void> {
  const framing = FRAMINGS[transport];
  const started = await service.start(parsed.request, parsed.context, parsed.lastEventId);
  if (started.kind === 'single' && started.result.data === undefined) {
    sendSingle(res, started.status, started.result);
    return;
  }
  res.writeHead(200, framing.headers);
  res.write(framing.open);
  if (started.kind === 'single') {
    res.end(framing.event(started.result, undefined) + framing.complete);
    return;
  }
  const { events, subscription } = started;
  const heartbeat = setInterval(() => {
    if (res.writableLength < settings.bufferBytes) res.write(framing.heartbeat);
  }, settings.heartbeatMs);
  const gone = () => void events.return?.();
  res.once('close', gone);
  // The client may have gone while the subscription was prepared: 'close' came already.
  if (res.destroyed) gone();
  try {
    for (;;) {
      let next: IteratorResult<LiveEvent>;
      try {
        next = await events.next();
      } catch (error) {
        const formatted = service.format({ errors: [error as never] }).errors ?? [];
        await writeWithin(res, framing.error([...formatted]) + framing.complete, settings.bufferBytes, 1000);
        break;
      }
      if (next.done) {
        res.write(framing.complete);
        break;
      }
      const ok = await writeWithin(
        res,
        framing.event(service.format(next.value.result), next.value.id),
        settings.bufferBytes,
      );
      if (!ok) {
        subscription.end(slowConsumer(settings.bufferEvents));
        res.destroy();
        return;
      }
    }
  } finally {
    clearInterval(heartbeat);
    res.off('close', gone);
  }
  res.end();
}
