import { setting } from '@dataos/settings';

/** Subscriptions over WebSocket: the same variables at every subgraph (root README lists them). */
export const SUBSCRIPTION_SETTINGS = {
  SUBSCRIPTIONS_PER_CONNECTION: setting.int({ min: 1, max: 10_000, unit: 'subscriptions', default: 100 }),
  /** Per verified subject (the token's `sub` at its issuer), on one replica. */
  SUBSCRIPTIONS_PER_SUBJECT: setting.int({ min: 1, max: 1_000_000, unit: 'subscriptions', default: 500 }),
  /** Events waiting for one subscriber at most (twice the largest ingest batch, so a burst fits); a subscriber further behind is closed (4429). */
  SUBSCRIPTION_BUFFER: setting.int({ min: 1, max: 1_000_000, unit: 'events', default: 10_000 }),
  /** Bytes the socket may hold unsent before the client counts as too slow (4429). */
  SUBSCRIPTION_MAX_BUFFERED: setting.bytes({ min: 1024, default: 4 * 1024 * 1024 }),
  /** WebSocket ping interval; a client that does not answer one within it is dropped (0 = off). */
  SUBSCRIPTION_KEEPALIVE_MS: setting.durationMs({ min: 0, default: 12_000 }),
  /** connection_init must arrive within this, or the socket is closed with 4408. */
  SUBSCRIPTION_INIT_TIMEOUT_MS: setting.durationMs({ default: 10_000 }),
  /** Open WebSocket connections per replica at most; more get HTTP 503 at the upgrade. */
  SUBSCRIPTION_MAX_CONNECTIONS: setting.int({ min: 1, max: 1_000_000, unit: 'connections', default: 10_000 }),
};

export interface SubscriptionSettings {
  perConnection: number;
  perSubject: number;
  bufferEvents: number;
  maxBufferedBytes: number;
  keepAliveMs: number;
  initTimeoutMs: number;
  maxConnections: number;
}

interface SubscriptionValues {
  SUBSCRIPTIONS_PER_CONNECTION: number;
  SUBSCRIPTIONS_PER_SUBJECT: number;
  SUBSCRIPTION_BUFFER: number;
  SUBSCRIPTION_MAX_BUFFERED: number;
  SUBSCRIPTION_KEEPALIVE_MS: number;
  SUBSCRIPTION_INIT_TIMEOUT_MS: number;
  SUBSCRIPTION_MAX_CONNECTIONS: number;
}

export const subscriptionSettingsOf = (v: SubscriptionValues): SubscriptionSettings => ({
  perConnection: v.SUBSCRIPTIONS_PER_CONNECTION,
  perSubject: v.SUBSCRIPTIONS_PER_SUBJECT,
  bufferEvents: v.SUBSCRIPTION_BUFFER,
  maxBufferedBytes: v.SUBSCRIPTION_MAX_BUFFERED,
  keepAliveMs: v.SUBSCRIPTION_KEEPALIVE_MS,
  initTimeoutMs: v.SUBSCRIPTION_INIT_TIMEOUT_MS,
  maxConnections: v.SUBSCRIPTION_MAX_CONNECTIONS,
});
