import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENTS } from '@dataos/devstack';
import { ServiceTokenSource } from '../src/index.js';

/**
 * The router's own token from the real dev issuer (client_credentials), through a proxy that
 * counts what reaches the issuer: discovery documents and token requests.
 */
let proxy: http.Server;
let base: string;
const hits = { discovery: 0, token: 0 };

beforeAll(async () => {
  const issuer = new URL(process.env.OIDC_ISSUER ?? 'http://localhost:4400');
  proxy = http.createServer((req, res) => {
    if (req.url?.startsWith('/.well-known/')) hits.discovery++;
    if (req.url?.startsWith('/token')) hits.token++;
    const upstream = http.request(
      {
        host: issuer.hostname,
        port: issuer.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: issuer.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((r) => proxy.close(r)));

const credentials = (extra: Record<string, string> = {}) => ({
  clientId: DEV_CLIENTS.services,
  clientSecret: DEV_CLIENTS.servicesSecret,
  tokenUrl: `${base}/token`,
  ...extra,
});
const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; exp: number };

describe('ServiceTokenSource', () => {
  it('fetches the token once for many concurrent and later callers', async () => {
    hits.token = 0;
    const source = new ServiceTokenSource(credentials(), { timeoutMs: 2000, log: () => undefined });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => source.token()));
    expect(new Set(tokens).size).toBe(1);
    expect(claims(tokens[0]!).sub).toBe(DEV_CLIENTS.services);
    for (let i = 0; i < 50; i++) expect(await source.token()).toBe(tokens[0]);
    expect(hits.token).toBe(1);
  });

  it('refreshes in the background late in the lifetime, and waits for a new one only once the old is about to expire', async () => {
    hits.token = 0;
    let clock = Date.now();
    const source = new ServiceTokenSource(credentials(), { timeoutMs: 2000, log: () => undefined, now: () => clock });
    const first = await source.token();
    const lifetimeMs = claims(first).exp * 1000 - clock; // the dev issuer: one hour
    clock += lifetimeMs * 0.8; // past 75 %: the old token still serves, a new one is fetched meanwhile
    expect(await source.token()).toBe(first);
    await new Promise((r) => setTimeout(r, 300));
    expect(hits.token).toBe(2);
    const second = await source.token();
    expect(second).not.toBe(first);
    clock += lifetimeMs; // both long expired: this call waits for a fresh one
    const third = await source.token();
    expect(third).not.toBe(second);
    expect(hits.token).toBe(3);
  });

  it('forgets a token the resource server refused', async () => {
    hits.token = 0;
    const source = new ServiceTokenSource(credentials(), { timeoutMs: 2000, log: () => undefined });
    const first = await source.token();
    source.invalidate('some other token');
    expect(await source.token()).toBe(first);
    source.invalidate(first);
    expect(await source.token()).not.toBe(first);
    expect(hits.token).toBe(2);
  });

  it('finds the token endpoint through the issuer discovery, once', async () => {
    hits.discovery = 0;
    const source = new ServiceTokenSource(
      { clientId: DEV_CLIENTS.services, clientSecret: DEV_CLIENTS.servicesSecret, issuer: base },
      { timeoutMs: 2000, log: () => undefined },
    );
    const token = await source.token();
    source.invalidate(token);
    await source.token();
    expect(hits.discovery).toBe(1);
  });

  it('fails closed with SERVICE_UNAVAILABLE on a wrong secret, logging why without the secret', async () => {
    const logged: { details: Record<string, unknown>; message: string }[] = [];
    const source = new ServiceTokenSource(credentials({ clientSecret: 'not-the-secret' }), {
      timeoutMs: 2000,
      log: (details, message) => logged.push({ details, message }),
    });
    const error = await source.token().then(
      () => null,
      (e: unknown) => e as { message: string; extensions: { code: string } },
    );
    expect(error?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(error?.message).not.toContain(base);
    expect(logged).toEqual([
      {
        details: expect.objectContaining({
          clientId: DEV_CLIENTS.services,
          message: expect.stringMatching(/invalid_client/),
        }),
        message: 'the service token could not be obtained',
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain('not-the-secret');
  });

  it('after a failure, fails callers at once for a second instead of asking the issuer for each', async () => {
    hits.token = 0;
    let clock = Date.now();
    const source = new ServiceTokenSource(credentials({ clientSecret: 'not-the-secret' }), {
      timeoutMs: 2000,
      log: () => undefined,
      now: () => clock,
    });
    const results = [];
    for (let i = 0; i < 10; i++)
      results.push(
        await source.token().then(
          () => 'token',
          (e: { extensions: { code: string } }) => e.extensions.code,
        ),
      );
    expect(results).toEqual(Array(10).fill('SERVICE_UNAVAILABLE'));
    expect(hits.token).toBe(1);
    clock += 1500;
    await source.token().catch(() => undefined);
    expect(hits.token).toBe(2);
  });
});
