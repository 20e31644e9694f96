import { serviceUnavailable } from '@dataos/errors';

/** Where failures are logged: they name internal addresses, so they stay out of client errors. */
export type TokenLog = (details: Record<string, unknown>, message: string) => void;

/** A confidential OIDC client that authenticates as itself (client_credentials), e.g. the router. */
export interface ServiceCredentials {
  clientId: string;
  clientSecret: string;
  /** The token endpoint; found through `<issuer>/.well-known/openid-configuration` when absent. */
  tokenUrl?: string;
  issuer?: string;
  /** RFC 8707 `resource` (the audience) and `scope` to ask for, when the issuer needs them. */
  resource?: string;
  scope?: string;
}

interface Held {
  token: string;
  /** After this the token is not sent any more (a margin before its expiry). */
  usableUntil: number;
  /** From this on a new token is fetched in the background while this one still serves. */
  refreshFrom: number;
}

/** How long after a failed background refresh the next one is tried. */
const RETRY_MS = 5000;
/** How long after a failed fetch callers are failed without asking the issuer again. */
const FAILURE_PAUSE_MS = 1000;
/** Lifetime assumed when the issuer says neither `expires_in` nor `exp` (seconds). */
const DEFAULT_LIFETIME_S = 300;

/** What callers are told when the token cannot be had (the holder names what it was for). */
const DEFAULT_UNAVAILABLE =
  "The authorization service (Heimdall) could not be asked: this service's own token could not be obtained.";

function expirySeconds(body: { expires_in?: unknown; access_token: string }): number {
  if (typeof body.expires_in === 'number' && body.expires_in > 0) return body.expires_in;
  const payload = body.access_token.split('.')[1];
  try {
    const exp = payload
      ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp
      : undefined;
    if (typeof exp === 'number') return Math.max(0, exp - Date.now() / 1000);
  } catch {
    // not a JWT: the default below
  }
  return DEFAULT_LIFETIME_S;
}

/**
 * The service's own access token: fetched once, cached, refreshed in the background once 75 % of
 * its lifetime has passed and never sent in its last tenth (at most a minute), so a request waits
 * for the issuer only on the very first call or after a long outage. Concurrent callers share
 * one fetch. Failures are SERVICE_UNAVAILABLE for the caller (fail closed); details go to `log`.
 */
export class ServiceTokenSource {
  private held: Held | undefined;
  private fetching: Promise<Held> | undefined;
  private tokenEndpoint: string | undefined;
  private failedUntil = 0;

  constructor(
    private readonly credentials: ServiceCredentials,
    private readonly options: { timeoutMs: number; log: TokenLog; now?: () => number; unavailableMessage?: string },
  ) {
    if (!credentials.tokenUrl && !credentials.issuer)
      throw new Error('ServiceTokenSource needs a tokenUrl or an issuer');
    this.tokenEndpoint = credentials.tokenUrl;
  }

  private unavailable() {
    return serviceUnavailable(this.options.unavailableMessage ?? DEFAULT_UNAVAILABLE);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** A token to send now. */
  async token(): Promise<string> {
    const now = this.now();
    const held = this.held;
    if (held && now < held.usableUntil) {
      if (now >= held.refreshFrom) {
        // Failures are logged in fetch(); the held token serves on, and the next try waits a bit.
        void this.refresh().catch(() => {
          if (this.held === held) held.refreshFrom = this.now() + RETRY_MS;
        });
      }
      return held.token;
    }
    // Right after a failure, fail at once: a wrong secret must not cost the issuer a call per request.
    if (now < this.failedUntil) throw this.unavailable();
    return (await this.refresh()).token;
  }

  /** Forgets `token` when the resource server refused it (revoked, keys rotated): the next call fetches anew. */
  invalidate(token: string): void {
    if (this.held?.token === token) this.held = undefined;
  }

  private refresh(): Promise<Held> {
    this.fetching ??= this.fetch().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async endpoint(): Promise<string> {
    if (this.tokenEndpoint) return this.tokenEndpoint;
    const discovery = `${this.credentials.issuer!.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(discovery, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const endpoint = ((await res.json()) as { token_endpoint?: unknown }).token_endpoint;
    if (typeof endpoint !== 'string') throw new Error('the discovery document has no token_endpoint');
    this.tokenEndpoint = endpoint;
    return endpoint;
  }

  private async fetch(): Promise<Held> {
    const { clientId, clientSecret, resource, scope } = this.credentials;
    let endpoint: string | undefined;
    try {
      endpoint = await this.endpoint();
      // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined.
      const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
        'base64',
      );
      const started = this.now();
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          ...(resource ? { resource } : {}),
          ...(scope ? { scope } : {}),
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const body = (await res.json()) as {
        access_token?: unknown;
        expires_in?: unknown;
        error?: unknown;
        error_description?: unknown;
      };
      if (!res.ok || typeof body.access_token !== 'string') {
        throw new Error(
          `the token endpoint answered ${res.status}: ${String(body.error ?? 'no access_token')} ${String(body.error_description ?? '')}`.trim(),
        );
      }
      const lifetimeMs = expirySeconds({ ...body, access_token: body.access_token }) * 1000;
      const held: Held = {
        token: body.access_token,
        usableUntil: started + lifetimeMs - Math.min(60_000, lifetimeMs / 10),
        refreshFrom: started + lifetimeMs * 0.75,
      };
      this.held = held;
      this.failedUntil = 0;
      return held;
    } catch (error) {
      const e = error as { name?: string; message?: string; cause?: { code?: string } };
      this.options.log(
        {
          error: e?.name ?? 'Error',
          message: e?.message,
          cause: e?.cause?.code,
          clientId,
          tokenUrl: endpoint ?? this.credentials.issuer,
        },
        'the service token could not be obtained',
      );
      this.failedUntil = this.now() + FAILURE_PAUSE_MS;
      throw this.unavailable();
    }
  }
}
