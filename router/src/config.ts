import type { ServiceCredentials } from '@dataos/heimdall-client';
import { serviceIdentityFromEnv, type ServiceCallerOptions } from '@dataos/service-identity';
import { limitsFromEnv, type OperationLimits } from '@dataos/operation-walker';
import { EXECUTOR_SETTINGS, type ExecutorSetting } from './apollo/engine.js';
import { PLANNER_SETTINGS, type PlannerSetting } from './planner/choose.js';
import type { HealthProbe } from './health.js';
import { subscriptionSettingsFromEnv, type SubscriptionSettings } from './subscriptions/settings.js';

/** Router settings, all from the environment (see router/README.md). */
export interface RouterConfig {
  port: number;
  host: string;
  supergraphPath: string;
  /** Subgraph URL overrides: SUBGRAPH_<NAME>_URL, e.g. SUBGRAPH_METIS_URL (keys: lower-case names). */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  /** Client headers forwarded to subgraphs besides Authorization (lower-case names). */
  forwardHeaders: string[];
  corsOrigins: string[];
  /** Per subgraph fetch timeout (SUBGRAPH_TIMEOUT_MS). */
  subgraphTimeoutMs: number;
  /** Per-subgraph overrides: SUBGRAPH_<NAME>_TIMEOUT_MS (keys: lower-case names). */
  subgraphTimeouts: Record<string, number>;
  /** Most open connections per subgraph (SUBGRAPH_MAX_SOCKETS); idle ones are kept alive. */
  subgraphMaxSockets: number;
  /** Largest subgraph answer read, in bytes (SUBGRAPH_MAX_RESPONSE_BYTES; 0: no limit). */
  subgraphMaxResponseBytes: number;
  /** Identical query fetches in flight share one (SUBGRAPH_DEDUPLICATION, on). */
  subgraphDeduplication: boolean;
  /** Heimdall's /graphql (HEIMDALL_URL) and its per call timeout (HEIMDALL_TIMEOUT_MS). */
  heimdallUrl: string;
  heimdallTimeoutMs: number;
  /**
   * The router's own OIDC client (ROUTER_CLIENT_ID, ROUTER_CLIENT_SECRET; token endpoint from
   * ROUTER_TOKEN_URL or OIDC_ISSUER's discovery; ROUTER_TOKEN_RESOURCE, ROUTER_TOKEN_SCOPE): it
   * asks Heimdall as itself, the caller's token as the subject. Unset: `@policy` always denies.
   */
  heimdallCredentials?: ServiceCredentials;
  /**
   * The router's identity on every hop (X-Service-Authorization, audience `dataos-svc:<subgraph>`):
   * SERVICE_CLIENT_ID / SERVICE_CLIENT_SECRET, or with SERVICE_IDENTITY=required and those unset,
   * ROUTER_CLIENT_ID / ROUTER_CLIENT_SECRET. Unset: subgraphs get the user's token alone.
   */
  serviceIdentity?: ServiceCallerOptions;
  authz: {
    /** Refuse the whole operation instead of removing unauthorized fields (AUTHZ_REJECT_UNAUTHORIZED). */
    rejectUnauthorized: boolean;
    /** How long a Heimdall answer is reused for the same token, at most until it expires (AUTHZ_DECISION_TTL_MS). */
    decisionTtlMs: number;
    /** Tokens whose answers are kept (AUTHZ_DECISION_CACHE_SIZE), and their estimated memory (AUTHZ_DECISION_CACHE_MIB). */
    decisionCacheSize: number;
    decisionCacheMiB: number;
    /**
     * After a policy change, when the router forgets its decisions again (AUTHZ_POLICY_SETTLE_MS,
     * comma-separated ms, default 2000,5000; empty: never): Heimdall replicas reload on their own poll.
     */
    policySettleMs: number[];
  };
  /** The operation limits (the same settings at every subgraph: packages/operation-walker). */
  limits: OperationLimits & {
    /** Request body limit, as the `bytes` package reads it (MAX_BODY_SIZE). */
    maxBodySize: string;
  };
  /** Analyses of operations kept (OPERATION_CACHE_SIZE), and their estimated memory (OPERATION_CACHE_MIB). */
  operationCacheSize: number;
  operationCacheMiB: number;
  /** Approximate memory of Apollo Gateway's query plan cache (QUERY_PLAN_CACHE_MIB). */
  queryPlanCacheMiB: number;
  /** Automatic persisted queries (APQ, on) and how many queries they remember (APQ_CACHE_SIZE). */
  apq: boolean;
  apqCacheSize: number;
  /** Most memory the remembered queries take (APQ_CACHE_MIB). */
  apqCacheMiB: number;
  /** A JSON manifest `{ "<sha256>": "<query>" }`: only these operations run (TRUSTED_DOCUMENTS). */
  trustedDocumentsPath?: string;
  /** The admin port for /metrics and /health with detail (ADMIN_PORT; unset: none) and its address (ADMIN_HOST). */
  adminPort?: number;
  adminHost: string;
  /** A caller presenting it as a bearer token reads /metrics and /health's detail on the main port (METRICS_TOKEN). */
  metricsToken?: string;
  /** How /health asks a subgraph whether it is up (SUBGRAPH_HEALTH_PROBE: auto, health, graphql). */
  subgraphHealthProbe: HealthProbe;
  /** How long one readiness answer serves every /health caller (HEALTH_CACHE_MS). */
  healthCacheMs: number;
  /** Which executor runs operations (ROUTER_EXECUTOR: auto, router, apollo; see src/apollo/engine.ts). */
  executor: ExecutorSetting;
  /** Which query planner plans for the router's executor (ROUTER_PLANNER: auto, hive, apollo; see src/planner/choose.ts). */
  planner: PlannerSetting;
  /** Worker processes (ROUTER_WORKERS); 0 or 1 runs in this process. Read by main.ts only. */
  workers: number;
  /** Subscription limits and timers (SUBSCRIPTIONS_*, SUBSCRIPTION_*; see src/subscriptions/settings.ts). */
  subscriptions: SubscriptionSettings;
}

const HEALTH_PROBES: readonly HealthProbe[] = ['auto', 'health', 'graphql'];
const healthProbe = (value: string | undefined): HealthProbe => {
  if (value === undefined || value === '') return 'auto';
  if (!(HEALTH_PROBES as readonly string[]).includes(value))
    throw new Error(`SUBGRAPH_HEALTH_PROBE must be one of ${HEALTH_PROBES.join(', ')}, got "${value}"`);
  return value as HealthProbe;
};

const executorSetting = (value: string | undefined): ExecutorSetting => {
  if (value === undefined || value === '') return 'auto';
  if (!(EXECUTOR_SETTINGS as readonly string[]).includes(value))
    throw new Error(`ROUTER_EXECUTOR must be one of ${EXECUTOR_SETTINGS.join(', ')}, got "${value}"`);
  return value as ExecutorSetting;
};

const plannerSetting = (value: string | undefined): PlannerSetting => {
  if (value === undefined || value === '') return 'auto';
  if (!(PLANNER_SETTINGS as readonly string[]).includes(value))
    throw new Error(`ROUTER_PLANNER must be one of ${PLANNER_SETTINGS.join(', ')}, got "${value}"`);
  return value as PlannerSetting;
};

const int = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
  return n;
};

/** A guessable operator token would open /metrics to anyone: at least 16 characters. */
const operatorToken = (value: string): string => {
  if (value.trim().length < 16) throw new Error('METRICS_TOKEN must be at least 16 characters long');
  return value.trim();
};

const httpUrl = (value: string, name: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  return value;
};

/** The router's client_credentials, all or nothing: half a configuration fails the start, naming what is missing. */
function heimdallCredentials(env: NodeJS.ProcessEnv): ServiceCredentials | undefined {
  const clientId = env.ROUTER_CLIENT_ID?.trim();
  const clientSecret = env.ROUTER_CLIENT_SECRET?.trim();
  if (!clientId && !clientSecret) return undefined;
  if (!clientId)
    throw new Error(
      "ROUTER_CLIENT_SECRET is set but ROUTER_CLIENT_ID is not: set both (the router's own OIDC client) or neither",
    );
  if (!clientSecret)
    throw new Error(
      "ROUTER_CLIENT_ID is set but ROUTER_CLIENT_SECRET is not: set both (the router's own OIDC client) or neither",
    );
  const tokenUrl = env.ROUTER_TOKEN_URL?.trim();
  const issuer = env.OIDC_ISSUER?.trim();
  if (!tokenUrl && !issuer) {
    throw new Error(
      'ROUTER_CLIENT_ID is set but neither ROUTER_TOKEN_URL nor OIDC_ISSUER says where the router gets its token',
    );
  }
  return {
    clientId,
    clientSecret,
    ...(tokenUrl ? { tokenUrl: httpUrl(tokenUrl, 'ROUTER_TOKEN_URL') } : { issuer: httpUrl(issuer!, 'OIDC_ISSUER') }),
    ...(env.ROUTER_TOKEN_RESOURCE?.trim() ? { resource: env.ROUTER_TOKEN_RESOURCE.trim() } : {}),
    ...(env.ROUTER_TOKEN_SCOPE?.trim() ? { scope: env.ROUTER_TOKEN_SCOPE.trim() } : {}),
  };
}

/** The router's client for hops to subgraphs (see RouterConfig.serviceIdentity). */
function serviceIdentity(env: NodeJS.ProcessEnv): ServiceCallerOptions | undefined {
  const settings = serviceIdentityFromEnv(env, { callerOnly: true });
  const own =
    settings.credentials ??
    (settings.mode === 'required' && env.ROUTER_CLIENT_ID?.trim() && env.ROUTER_CLIENT_SECRET?.trim()
      ? { clientId: env.ROUTER_CLIENT_ID.trim(), clientSecret: env.ROUTER_CLIENT_SECRET.trim() }
      : undefined);
  if (!own) {
    if (settings.mode === 'required')
      throw new Error(
        'SERVICE_IDENTITY=required but the router has no client: set SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET (or ROUTER_CLIENT_ID and ROUTER_CLIENT_SECRET)',
      );
    return undefined;
  }
  const tokenUrl = own.tokenUrl ?? env.ROUTER_TOKEN_URL?.trim();
  const issuer = env.OIDC_ISSUER?.trim();
  if (!tokenUrl && !issuer)
    throw new Error(
      'the router has a service client but neither SERVICE_TOKEN_URL nor OIDC_ISSUER says where to get its tokens',
    );
  return {
    clientId: own.clientId,
    clientSecret: own.clientSecret,
    // The token request's own timeout (5 s), not a subgraph's: an issuer slow at start must not fail every hop.
    ...(tokenUrl ? { tokenUrl: httpUrl(tokenUrl, 'SERVICE_TOKEN_URL') } : { issuer: httpUrl(issuer!, 'OIDC_ISSUER') }),
  };
}

const bool = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined || value === '' ? fallback : ['true', '1', 'yes', 'on'].includes(value.toLowerCase());

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const subgraphUrls: Record<string, string> = {};
  const subgraphTimeouts: Record<string, number> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!value) continue;
    const url = /^SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (url) subgraphUrls[url[1]!.toLowerCase()] = value;
    const timeout = /^SUBGRAPH_([A-Z0-9_]+)_TIMEOUT_MS$/.exec(key);
    if (timeout) subgraphTimeouts[timeout[1]!.toLowerCase()] = int(value, 0, key);
  }
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  return {
    port: int(env.PORT, 4000, 'PORT'),
    host: env.HOST ?? '127.0.0.1',
    supergraphPath: env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql',
    subgraphUrls,
    introspection: env.INTROSPECTION ? bool(env.INTROSPECTION, true) : env.NODE_ENV !== 'production',
    forwardHeaders: list(env.FORWARD_HEADERS).map((h) => h.toLowerCase()),
    corsOrigins: env.CORS_ORIGINS
      ? list(env.CORS_ORIGINS)
      : ['https://studio.apollographql.com', 'http://localhost:4000', 'http://localhost:3000'],
    subgraphTimeoutMs: int(env.SUBGRAPH_TIMEOUT_MS, 10_000, 'SUBGRAPH_TIMEOUT_MS'),
    subgraphTimeouts,
    subgraphMaxSockets: int(env.SUBGRAPH_MAX_SOCKETS, 256, 'SUBGRAPH_MAX_SOCKETS'),
    subgraphMaxResponseBytes: int(env.SUBGRAPH_MAX_RESPONSE_BYTES, 50 * 1024 * 1024, 'SUBGRAPH_MAX_RESPONSE_BYTES'),
    subgraphDeduplication: bool(env.SUBGRAPH_DEDUPLICATION, true),
    heimdallUrl: env.HEIMDALL_URL ?? 'http://localhost:4001/graphql',
    heimdallTimeoutMs: int(env.HEIMDALL_TIMEOUT_MS, 2000, 'HEIMDALL_TIMEOUT_MS'),
    ...optional('heimdallCredentials', heimdallCredentials(env)),
    ...optional('serviceIdentity', serviceIdentity(env)),
    authz: {
      rejectUnauthorized: bool(env.AUTHZ_REJECT_UNAUTHORIZED, false),
      decisionTtlMs: int(env.AUTHZ_DECISION_TTL_MS, 30_000, 'AUTHZ_DECISION_TTL_MS'),
      decisionCacheSize: Math.max(1, int(env.AUTHZ_DECISION_CACHE_SIZE, 10_000, 'AUTHZ_DECISION_CACHE_SIZE')),
      decisionCacheMiB: Math.max(1, int(env.AUTHZ_DECISION_CACHE_MIB, 32, 'AUTHZ_DECISION_CACHE_MIB')),
      policySettleMs: settleDelays(env.AUTHZ_POLICY_SETTLE_MS),
    },
    limits: { ...limitsFromEnv(env), maxBodySize: env.MAX_BODY_SIZE ?? '1mb' },
    operationCacheSize: Math.max(1, int(env.OPERATION_CACHE_SIZE, 2000, 'OPERATION_CACHE_SIZE')),
    operationCacheMiB: Math.max(1, int(env.OPERATION_CACHE_MIB, 64, 'OPERATION_CACHE_MIB')),
    queryPlanCacheMiB: Math.max(1, int(env.QUERY_PLAN_CACHE_MIB, 64, 'QUERY_PLAN_CACHE_MIB')),
    apq: bool(env.APQ, true),
    apqCacheSize: Math.max(1, int(env.APQ_CACHE_SIZE, 10_000, 'APQ_CACHE_SIZE')),
    apqCacheMiB: Math.max(1, int(env.APQ_CACHE_MIB, 16, 'APQ_CACHE_MIB')),
    ...(env.TRUSTED_DOCUMENTS ? { trustedDocumentsPath: env.TRUSTED_DOCUMENTS } : {}),
    ...(env.ADMIN_PORT ? { adminPort: int(env.ADMIN_PORT, 0, 'ADMIN_PORT') } : {}),
    adminHost: env.ADMIN_HOST ?? '127.0.0.1',
    ...(env.METRICS_TOKEN ? { metricsToken: operatorToken(env.METRICS_TOKEN) } : {}),
    subgraphHealthProbe: healthProbe(env.SUBGRAPH_HEALTH_PROBE),
    healthCacheMs: int(env.HEALTH_CACHE_MS, 1000, 'HEALTH_CACHE_MS'),
    executor: executorSetting(env.ROUTER_EXECUTOR),
    planner: plannerSetting(env.ROUTER_PLANNER),
    workers: int(env.ROUTER_WORKERS, 0, 'ROUTER_WORKERS'),
    subscriptions: subscriptionSettingsFromEnv(env),
  };
}

/** The configured value for a subgraph by its supergraph name (`metis`, `my-svc` read as MY_SVC). */
export function perSubgraph<T>(values: Record<string, T>, name: string): T | undefined {
  return values[name] ?? values[name.toLowerCase()] ?? values[name.toLowerCase().replace(/[^a-z0-9]/g, '_')];
}

/** AUTHZ_POLICY_SETTLE_MS: a comma-separated list of delays, each 0 to 60000 ms. */
function settleDelays(raw: string | undefined): number[] {
  if (raw === undefined) return [2000, 5000];
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.map((p) => {
    const ms = Number(p);
    if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
      throw new Error(`AUTHZ_POLICY_SETTLE_MS must list whole milliseconds from 0 to 60000, got "${p}"`);
    return ms;
  });
}
