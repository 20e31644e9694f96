import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
}

export class SubgraphTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'SubgraphTimeoutError';
  }
}

export class SubgraphResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`answer larger than ${limitBytes} bytes`);
    this.name = 'SubgraphResponseTooLargeError';
  }
}

/**
 * POSTs JSON to one subgraph over kept-alive connections (node:http with a keep-alive agent:
 * no connection set-up per fetch, no WHATWG stream layers). Each call has its own deadline.
 */
export class SubgraphHttpClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly base: http.RequestOptions;

  /** Largest answer read (0: no limit): a subgraph cannot make the router buffer without end. */
  private readonly maxResponseBytes: number;

  constructor(url: string, options: { maxSockets: number; maxResponseBytes?: number }) {
    this.url = new URL(url);
    this.maxResponseBytes = options.maxResponseBytes ?? 0;
    const secure = this.url.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = new (secure ? https.Agent : http.Agent)({
      keepAlive: true,
      keepAliveMsecs: 30_000,
      maxSockets: options.maxSockets || Infinity,
      maxFreeSockets: Math.max(16, Math.min(options.maxSockets || 256, 1024)),
      scheduling: 'lifo',
    });
    this.base = {
      protocol: this.url.protocol,
      hostname: this.url.hostname.replace(/^\[|\]$/g, ''),
      port: this.url.port || (secure ? 443 : 80),
      path: `${this.url.pathname}${this.url.search}`,
      method: 'POST',
      agent: this.agent,
    };
  }

  post(body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      // The deadline covers the whole exchange: connecting, sending, waiting and reading. A
      // timer that destroys the request: an AbortSignal per fetch measured ~30 µs dearer.
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(timedOut ? new SubgraphTimeoutError(timeoutMs) : error);
      };
      const req = this.transport.request(
        { ...this.base, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const max = this.maxResponseBytes;
          const declared = Number(res.headers['content-length']);
          if (max > 0 && declared > max) {
            req.destroy();
            fail(new SubgraphResponseTooLargeError(max));
            return;
          }
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (max > 0 && size > max) {
              req.destroy();
              fail(new SubgraphResponseTooLargeError(max));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              contentType: res.headers['content-type'],
              body: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', fail);
          res.on('aborted', () => fail(new Error('the connection closed before the answer was complete')));
        },
      );
      req.on('error', fail);
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          req.destroy(new SubgraphTimeoutError(timeoutMs));
        }, timeoutMs);
      }
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
