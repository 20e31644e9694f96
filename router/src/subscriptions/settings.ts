/** The router's subscription limits and timers (router/README.md, "Subscriptions"). */
export interface SubscriptionSettings {
  /** Open subscriptions per WebSocket connection (SUBSCRIPTIONS_PER_CONNECTION). */
  perConnection: number;
  /** Open subscriptions per token, on every transport of this router (SUBSCRIPTIONS_PER_TOKEN). */
  perToken: number;
  /** Open subscriptions in this router process (SUBSCRIPTIONS_MAX). */
  total: number;
  /** How long a WebSocket may wait before connection_init (SUBSCRIPTION_INIT_TIMEOUT_MS). */
  initTimeoutMs: number;
  /** WebSocket ping interval; a peer that does not pong in as long is dropped (SUBSCRIPTION_KEEPALIVE_MS). */
  keepAliveMs: number;
  /** Heartbeats on SSE and multipart HTTP, which have no ping (SUBSCRIPTION_HEARTBEAT_MS). */
  heartbeatMs: number;
  /** Events held for a client that reads slower than they come; one more ends it (SUBSCRIPTION_BUFFER_EVENTS). */
  bufferEvents: number;
  /** Bytes written to a client's socket and not yet sent; past it the client is closed (SUBSCRIPTION_BUFFER_BYTES). */
  bufferBytes: number;
  /** How often every subscription's authorization is asked again, besides policy changes (SUBSCRIPTION_RECHECK_MS). */
  recheckMs: number;
  /** Connecting to the subgraph, and its acknowledgement (SUBSCRIPTION_UPSTREAM_TIMEOUT_MS). */
  upstreamTimeoutMs: number;
  /** Subscribe to Heimdall's `policyChanges` to re-check at once on a change (SUBSCRIPTION_POLICY_WATCH). */
  policyWatch: boolean;
}

const int = (env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number => {
  const value = env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer from ${min}, got "${value}"`);
  return n;
};

export function subscriptionSettingsFromEnv(env: NodeJS.ProcessEnv): SubscriptionSettings {
  const watch = env.SUBSCRIPTION_POLICY_WATCH?.trim().toLowerCase();
  if (watch && watch !== 'true' && watch !== 'false')
    throw new Error(`SUBSCRIPTION_POLICY_WATCH must be true or false, got "${env.SUBSCRIPTION_POLICY_WATCH}"`);
  return {
    perConnection: int(env, 'SUBSCRIPTIONS_PER_CONNECTION', 50, 1),
    perToken: int(env, 'SUBSCRIPTIONS_PER_TOKEN', 100, 1),
    total: int(env, 'SUBSCRIPTIONS_MAX', 20_000, 1),
    initTimeoutMs: int(env, 'SUBSCRIPTION_INIT_TIMEOUT_MS', 10_000, 1),
    keepAliveMs: int(env, 'SUBSCRIPTION_KEEPALIVE_MS', 12_000),
    heartbeatMs: int(env, 'SUBSCRIPTION_HEARTBEAT_MS', 5_000, 100),
    bufferEvents: int(env, 'SUBSCRIPTION_BUFFER_EVENTS', 100, 1),
    bufferBytes: int(env, 'SUBSCRIPTION_BUFFER_BYTES', 1024 * 1024, 1024),
    recheckMs: int(env, 'SUBSCRIPTION_RECHECK_MS', 60_000),
    upstreamTimeoutMs: int(env, 'SUBSCRIPTION_UPSTREAM_TIMEOUT_MS', 5_000, 1),
    policyWatch: watch !== 'false',
  };
}
