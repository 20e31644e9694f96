import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DATA_DIR } from '../paths.js';
import { loadOrCreateKeys, rotateKeys } from './keys.js';
import { createProvider, type IssuerSettings } from './provider.js';

export interface RunningIssuer {
  issuer: string;
  /** Generates a new signing key and serves it; `keep` older keys stay in the JWKS. */
  rotate(keep?: number): Promise<void>;
  stop(): Promise<void>;
}

const isLoopback = (address: string | undefined) =>
  !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));

/**
 * Serves the dev issuer. The provider sits behind a swappable handler so that a key rotation
 * (POST /dev/rotate-keys, loopback only) takes effect without a restart.
 */
export async function startIssuer(options: {
  port: number;
  host?: string;
  keyFile?: string;
  audience?: string;
  /** The issuer URL as others reach it (`iss`); defaults to http://localhost:<port>. */
  publicUrl?: string;
  /** Access-token lifetime in seconds (3600): the console's e2e tests use a short one to see renewals. */
  accessTokenTtl?: number;
}): Promise<RunningIssuer> {
  const host = options.host ?? '127.0.0.1';
  const keyFile = options.keyFile ?? `${DATA_DIR}/oidc/jwks.json`;
  // Listen first: with port 0 the issuer URL is known only once the port is. Until the
  // provider exists, requests (health probes) get 503.
  let handler: ((req: http.IncomingMessage, res: http.ServerResponse) => unknown) | undefined;
  let issuer = '';
  const rotate = async (keep = 1) => {
    handler = createProvider(settings(await rotateKeys(keyFile, keep))).callback();
  };
  const server = http.createServer((req, res) => {
    if (!handler) {
      res.writeHead(503).end();
      return;
    }
    if (req.method === 'POST' && req.url?.startsWith('/dev/rotate-keys')) {
      // Unauthenticated by design, so only from this machine.
      if (!isLoopback(req.socket.remoteAddress)) {
        res.writeHead(403).end();
        return;
      }
      const keep = Number(new URL(req.url, issuer).searchParams.get('keep') ?? 1);
      rotate(Number.isInteger(keep) && keep >= 0 ? keep : 1).then(
        () => res.writeHead(204).end(),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
      return;
    }
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, resolve);
  });
  issuer = options.publicUrl?.replace(/\/+$/, '') ?? `http://localhost:${(server.address() as AddressInfo).port}`;
  const settings = (keys: IssuerSettings['keys']): IssuerSettings => ({
    issuer,
    keys,
    ...(options.audience ? { audience: options.audience } : {}),
    ...(options.accessTokenTtl ? { accessTokenTtl: options.accessTokenTtl } : {}),
  });
  handler = createProvider(settings(await loadOrCreateKeys(keyFile))).callback();

  return {
    issuer,
    rotate,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
