import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { configFromEnv, perSubgraph } from '../src/config.js';
import { parseByteSize } from '../src/http/body.js';
import { TrustedDocuments } from '../src/protection/trusted-documents.js';
import { traceparentFor } from '../src/trace.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('configFromEnv', () => {
  it('has defaults for every setting', () => {
    const config = configFromEnv({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      supergraphPath: 'schema/supergraph.graphql',
      introspection: true,
      forwardHeaders: [],
      subgraphTimeoutMs: 10_000,
      heimdallUrl: 'http://localhost:4001/graphql',
      heimdallTimeoutMs: 2000,
      authz: { rejectUnauthorized: false, decisionTtlMs: 30_000, decisionCacheSize: 10_000 },
      limits: {
        maxDepth: 15,
        maxAliases: 30,
        maxRootFields: 20,
        maxCost: 10_000,
        defaultListSize: 10,
        maxBodySize: '1mb',
      },
      apq: true,
      executor: 'auto',
      workers: 0,
    });
    expect(config.trustedDocumentsPath).toBeUndefined();
  });

  it('reads per-subgraph URLs and timeouts, and every other setting', () => {
    const config = configFromEnv({
      SUBGRAPH_METIS_URL: 'http://metis:4002/graphql',
      SUBGRAPH_TIMEOUT_MS: '3000',
      SUBGRAPH_METIS_TIMEOUT_MS: '500',
      SUBGRAPH_MY_SVC_TIMEOUT_MS: '700',
      NODE_ENV: 'production',
      AUTHZ_REJECT_UNAUTHORIZED: 'true',
      AUTHZ_DECISION_TTL_MS: '5000',
      MAX_DEPTH: '7',
      MAX_COST: '0',
      TRUSTED_DOCUMENTS: '/etc/trusted.json',
      ROUTER_WORKERS: '4',
      FORWARD_HEADERS: 'X-Tenant, x-locale',
      APQ: 'false',
      ROUTER_EXECUTOR: 'apollo',
    });
    expect(config.subgraphUrls).toEqual({ metis: 'http://metis:4002/graphql' });
    expect(config.subgraphTimeoutMs).toBe(3000);
    expect(perSubgraph(config.subgraphTimeouts, 'metis')).toBe(500);
    expect(perSubgraph(config.subgraphTimeouts, 'my-svc')).toBe(700);
    expect(perSubgraph(config.subgraphTimeouts, 'odin')).toBeUndefined();
    expect(config.introspection).toBe(false);
    expect(config.authz).toMatchObject({ rejectUnauthorized: true, decisionTtlMs: 5000 });
    expect(config.limits).toMatchObject({ maxDepth: 7, maxCost: 0 });
    expect(config.trustedDocumentsPath).toBe('/etc/trusted.json');
    expect(config.workers).toBe(4);
    expect(config.forwardHeaders).toEqual(['x-tenant', 'x-locale']);
    expect(config.apq).toBe(false);
    expect(config.executor).toBe('apollo');
  });

  it('refuses a ROUTER_EXECUTOR it does not know, naming the choices', () => {
    expect(() => configFromEnv({ ROUTER_EXECUTOR: 'fast' })).toThrow(
      'ROUTER_EXECUTOR must be one of auto, router, apollo, got "fast"',
    );
  });

  it("reads the router's own OIDC client for Heimdall, all or nothing, naming what is missing", () => {
    expect(configFromEnv({}).heimdallCredentials).toBeUndefined();
    expect(
      configFromEnv({
        ROUTER_CLIENT_ID: 'router',
        ROUTER_CLIENT_SECRET: 's3cret',
        OIDC_ISSUER: 'https://login.example.com/realm',
      }).heimdallCredentials,
    ).toEqual({
      clientId: 'router',
      clientSecret: 's3cret',
      issuer: 'https://login.example.com/realm',
    });
    expect(
      configFromEnv({
        ROUTER_CLIENT_ID: 'router',
        ROUTER_CLIENT_SECRET: 's3cret',
        ROUTER_TOKEN_URL: 'https://login.example.com/token',
        ROUTER_TOKEN_RESOURCE: 'urn:dataos:supergraph',
        ROUTER_TOKEN_SCOPE: 'api://dataos/.default',
      }).heimdallCredentials,
    ).toEqual({
      clientId: 'router',
      clientSecret: 's3cret',
      tokenUrl: 'https://login.example.com/token',
      resource: 'urn:dataos:supergraph',
      scope: 'api://dataos/.default',
    });
    expect(() => configFromEnv({ ROUTER_CLIENT_ID: 'router', OIDC_ISSUER: 'http://x' })).toThrow(
      /ROUTER_CLIENT_SECRET is not/,
    );
    expect(() => configFromEnv({ ROUTER_CLIENT_SECRET: 's3cret' })).toThrow(/ROUTER_CLIENT_ID is not/);
    expect(() => configFromEnv({ ROUTER_CLIENT_ID: 'router', ROUTER_CLIENT_SECRET: 's3cret' })).toThrow(
      /neither ROUTER_TOKEN_URL nor OIDC_ISSUER/,
    );
    expect(() =>
      configFromEnv({ ROUTER_CLIENT_ID: 'router', ROUTER_CLIENT_SECRET: 's3cret', ROUTER_TOKEN_URL: 'login/token' }),
    ).toThrow(/ROUTER_TOKEN_URL must be/);
    expect(() =>
      configFromEnv({ ROUTER_CLIENT_ID: 'router', ROUTER_CLIENT_SECRET: 's3cret', OIDC_ISSUER: 'ftp://x' }),
    ).toThrow(/OIDC_ISSUER must be/);
  });

  it('refuses a setting that is not a number', () => {
    expect(() => configFromEnv({ MAX_DEPTH: 'deep' })).toThrow(/MAX_DEPTH/);
  });
});

describe('TrustedDocuments', () => {
  const query = 'query A { a }';
  const docs = TrustedDocuments.parse(JSON.stringify({ [sha256(query)]: query }));

  it('accepts listed queries, by text or by hash alone', () => {
    expect(docs.resolve(query, undefined)).toEqual({ ok: true, query: undefined });
    expect(docs.resolve(undefined, { persistedQuery: { version: 1, sha256Hash: sha256(query) } })).toEqual({
      ok: true,
      query,
    });
  });

  it('refuses anything else', () => {
    expect(docs.resolve('query B { b }', undefined).ok).toBe(false);
    expect(docs.resolve(undefined, { persistedQuery: { version: 1, sha256Hash: sha256('x') } }).ok).toBe(false);
  });

  it("reads Apollo's persisted query manifest too, and checks every hash", () => {
    const manifest = {
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256(query), name: 'A', type: 'query', body: query }],
    };
    expect(TrustedDocuments.parse(JSON.stringify(manifest)).size).toBe(1);
    expect(() => TrustedDocuments.parse(JSON.stringify({ [sha256('x')]: query }))).toThrow(/does not match/);
  });
});

describe('small helpers', () => {
  it('parses byte sizes', () => {
    expect(parseByteSize('1mb')).toBe(1_048_576);
    expect(parseByteSize('512kb')).toBe(524_288);
    expect(parseByteSize('100')).toBe(100);
    expect(() => parseByteSize('lots')).toThrow();
  });

  it('continues a W3C trace with a new span, or starts one', () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const next = traceparentFor(incoming);
    expect(next).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    expect(next).not.toBe(incoming);
    const fresh = new Set(Array.from({ length: 1000 }, () => traceparentFor(undefined)));
    expect(fresh.size).toBe(1000);
    for (const t of fresh) expect(t).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
