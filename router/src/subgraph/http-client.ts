import { Pool, type Dispatcher } from 'undici';

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

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * POSTs JSON to one subgraph over kept-alive connections: an undici Pool (no pipelining),
 * driven through its dispatch API, so a fetch is one request written and the answer's chunks
 * gathered, with no stream or WHATWG layer in between. Measured on this machine, a small POST
 * costs about 25 µs of the router's CPU this way against 40 µs with node:http and its agent.
 * Each call has its own deadline, covering the wait for a connection, sending, waiting and reading.
 */
export class SubgraphHttpClient {
  private readonly pool: Pool;
  private readonly path: string;

  /** Largest answer read (0: no limit): a subgraph cannot make the router buffer without end. */
  private readonly maxResponseBytes: number;

  constructor(url: string, options: { maxSockets: number; maxResponseBytes?: number }) {
    const parsed = new URL(url);
    this.maxResponseBytes = options.maxResponseBytes ?? 0;
    this.path = `${parsed.pathname}${parsed.search}`;
    this.pool = new Pool(parsed.origin, {
      connections: options.maxSockets || null,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      // The router's own deadline (below) bounds each fetch; undici's would only race it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  post(body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      const max = this.maxResponseBytes;
      let controller: Dispatcher.DispatchController | undefined;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      let status = 0;
      let contentType: string | undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        controller?.abort(error);
        reject(error);
      };
      if (timeoutMs > 0) timer = setTimeout(() => fail(new SubgraphTimeoutError(timeoutMs)), timeoutMs);
      this.pool.dispatch(
        { path: this.path, method: 'POST', headers, body },
        {
          onRequestStart(started) {
            controller = started;
            if (settled) started.abort(new Error('the fetch was given up before it started'));
          },
          onResponseStart(_, statusCode, responseHeaders) {
            status = statusCode;
            contentType = header(responseHeaders['content-type']);
            const declared = Number(header(responseHeaders['content-length']));
            if (max > 0 && declared > max) fail(new SubgraphResponseTooLargeError(max));
          },
          onResponseData(_, chunk) {
            if (settled) return;
            size += chunk.length;
            if (max > 0 && size > max) fail(new SubgraphResponseTooLargeError(max));
            else chunks.push(chunk);
          },
          onResponseEnd() {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({
              status,
              contentType,
              body: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
            });
          },
          onResponseError(_, error) {
            fail(error);
          },
        },
      );
    });
  }

  close(): void {
    void this.pool.destroy().catch(() => undefined);
  }
}
