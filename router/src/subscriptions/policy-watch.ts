import type { Logger } from 'pino';
import { subscribeUpstream } from './upstream.js';

/** Heimdall's policy changes, as the router reads them: only that something changed, and its sequence. */
const POLICY_CHANGES =
  'subscription RouterPolicyChanges($after: String) { policyChanges(after: $after) { sequence cursor } }';

export interface PolicyWatchOptions {
  heimdallUrl: string;
  /** The router's own access token (the one it asks Heimdall with): one token for both. */
  serviceToken(): Promise<string | undefined>;
  /** The router's credential for Heimdall itself (X-Service-Authorization), sent in connection_init too. */
  serviceHeaders?(): Promise<Record<string, string>>;
  timeoutMs: number;
  logger: Logger;
  /** A policy was created, changed or deleted somewhere: re-check every subscription. */
  onChange(sequence: unknown): void;
}

/** Waits between reconnections, growing to a minute; a policy change missed meanwhile is caught by the re-check timer. */
const BACKOFF_MS = [1000, 2000, 5000, 15_000, 60_000];

/**
 * Subscribes to Heimdall's `policyChanges` as the router itself (its client_credentials token),
 * so that a policy change re-checks the router's open subscriptions at once, on every router
 * replica. When Heimdall does not serve it (an older Heimdall, a refusal), it keeps retrying
 * with backoff; the periodic re-check (SUBSCRIPTION_RECHECK_MS) still bounds how long revoked
 * access may last.
 */
export function watchPolicies(options: PolicyWatchOptions): { stop(): void } {
  let stopped = false;
  let failures = 0;
  let current: { dispose(): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  /** The last change's cursor: a resubscription resumes after it, so a change made meanwhile still comes. */
  let lastCursor: string | undefined;

  const retry = (why: string) => {
    current = undefined;
    if (stopped) return;
    const wait = BACKOFF_MS[Math.min(failures++, BACKOFF_MS.length - 1)]!;
    options.logger.debug({ why, waitMs: wait }, "Heimdall's policyChanges ended; subscribing again");
    timer = setTimeout(() => void connect(), wait);
    timer.unref();
  };

  const connect = async () => {
    let token: string | undefined;
    let service: Record<string, string> | undefined;
    try {
      token = await options.serviceToken();
      service = await options.serviceHeaders?.();
    } catch (error) {
      return retry((error as Error).message);
    }
    if (!token) return retry('no service token');
    if (stopped) return;
    current = subscribeUpstream({
      url: options.heimdallUrl,
      query: POLICY_CHANGES,
      variables: lastCursor ? { after: lastCursor } : {},
      operationName: 'RouterPolicyChanges',
      connectionParams: { authorization: `Bearer ${token}`, ...service },
      maxPayloadBytes: 64 * 1024,
      connectTimeoutMs: options.timeoutMs,
      // Changes made before this connection (at start, or while it was down) were not announced to it.
      onConnected: () => options.onChange(undefined),
      onEvent: (event) => {
        failures = 0;
        const change = (event.data as { policyChanges?: { sequence?: unknown; cursor?: unknown } } | undefined)
          ?.policyChanges;
        if (typeof change?.cursor === 'string') lastCursor = change.cursor;
        options.onChange(change?.sequence);
      },
      onEnd: (end) => {
        // The service token's expiry ends the watch by design (each subgraph is its own gate): the
        // resubscription takes a fresh token and resumes after the last cursor, so it is no warning.
        const expired =
          end.kind === 'errors' &&
          end.errors.every((e) => e.extensions?.code === 'UNAUTHENTICATED' && e.message === 'The token expired.');
        if (expired) failures = 0;
        else if (end.kind === 'errors' && failures === 0)
          options.logger.warn({ errors: end.errors }, "Heimdall refused the router's policyChanges subscription");
        retry(end.kind);
      },
    });
  };
  void connect();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      current?.dispose();
    },
  };
}
