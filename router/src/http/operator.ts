import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody } from '../errors.js';
import { send } from './respond.js';

/**
 * What operators see and callers do not: `/metrics` (operation names of every client, subgraph
 * latencies) and `/health` with its detail (subgraph names and URLs, why one is down). The main
 * port answers `/health` with its status alone; the detail and `/metrics` are served on the
 * admin port (ADMIN_PORT, on ADMIN_HOST: loopback by default, for a Prometheus sidecar or a
 * scrape through a network policy), or on the main port to a caller with METRICS_TOKEN.
 */
export interface OperatorEndpoints {
  /** `live`: `/health?live`, the process alone (liveness); otherwise readiness, subgraphs included. */
  health(res: ServerResponse, detail: boolean, live: boolean): Promise<void>;
  metrics(res: ServerResponse): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether the request presents the operator token (compared in constant time). */
export function presentsOperatorToken(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return false;
  const header = req.headers.authorization;
  const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

/** `/health?live` (as Apollo Router and Kubernetes liveness probes ask it). */
const asksLiveness = (req: IncomingMessage): boolean =>
  new URLSearchParams((req.url ?? '').split('?')[1] ?? '').has('live');

/** Answers `/health` and `/metrics` on the main port; false when the path is neither. */
export function serveOperatorPaths(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  endpoints: OperatorEndpoints,
  token: string | undefined,
  fail: (e: unknown) => void,
): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (path === '/health') {
    endpoints.health(res, presentsOperatorToken(req, token), asksLiveness(req)).catch(fail);
    return true;
  }
  if (path === '/metrics') {
    if (presentsOperatorToken(req, token)) endpoints.metrics(res).catch(fail);
    else if (req.headers.authorization && token)
      send(res, 401, errorBody('The operator token is not valid.', 'UNAUTHENTICATED'));
    else
      send(
        res,
        404,
        errorBody(
          'Nothing at /metrics on this port; operators read it on the admin port (ADMIN_PORT) or with METRICS_TOKEN.',
          'NOT_FOUND',
        ),
      );
    return true;
  }
  return false;
}

/** The admin port: `/metrics` and `/health` with detail, nothing else. */
export async function startAdminServer(
  port: number,
  host: string,
  endpoints: OperatorEndpoints,
  fail: (e: unknown) => void,
) {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      send(res, 405, errorBody('Only GET is served here.', 'METHOD_NOT_ALLOWED'));
    else if (path === '/metrics') endpoints.metrics(res).catch(fail);
    else if (path === '/health') endpoints.health(res, true, asksLiveness(req)).catch(fail);
    else send(res, 404, errorBody(`Nothing at ${path}; the admin port serves /metrics and /health.`, 'NOT_FOUND'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
