import { createHash } from 'node:crypto';
import { Lru } from '@dataos/cache';
import { tokenRefusal } from './authenticate.js';
import { ANONYMOUS, type CallerAuthorization } from './evaluate.js';
import type { RouterAuthorization } from '@dataos/heimdall-client';

/** How the router asks Heimdall: `HeimdallClient.routerAuthorization`. */
export type AskHeimdall = (
  token: string,
  policies: string[],
  requestId: string | undefined,
) => Promise<RouterAuthorization>;

export interface DecisionCacheOptions {
  ask: AskHeimdall;
  /** How long an answer is reused for the same token (0: never). Never past the token's expiry. */
  ttlMs: number;
  /** Tokens remembered, and the memory their answers may take (bytes, estimated). */
  size: number;
  maxBytes?: number;
  now?: () => number;
  onLookup?: (result: 'hit' | 'miss' | 'anonymous') => void;
  onError?: (error: unknown) => void;
}

interface Entry {
  caller: CallerAuthorization;
  /** Epoch ms after which the entry is not used. */
  until: number;
}

/** An answer's memory: a fixed part, and its scope and policy names (UTF-16, with map overhead). */
const entryBytes = ({ caller }: Entry) => {
  let bytes = 512 + (caller.reason?.length ?? 0) * 2;
  for (const scope of caller.scopes) bytes += 48 + scope.length * 2;
  for (const name of caller.policies.keys()) bytes += 64 + name.length * 2;
  return bytes;
};

/**
 * How long a "not authenticated" answer is reused: briefly, since it may come from a passing
 * failure (Heimdall could not fetch the issuer's keys) and must not lock a valid token out for
 * the whole TTL; long enough that a flood of requests with a bad token asks once a second.
 */
export const REFUSAL_TTL_MS = 1000;

const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/** `exp` of a JWT, read without verifying (Heimdall verifies): a bound for how long to cache. */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * The caller from Heimdall's answer. A refused token is not valid (401), except when Heimdall
 * could not verify it (the issuer's keys out of reach): that is denied like Heimdall down.
 */
function callerOf(answer: RouterAuthorization, token: string): CallerAuthorization {
  const caller: CallerAuthorization = {
    authenticated: answer.authenticated,
    scopes: new Set(answer.scopes ?? []),
    policies: new Map((answer.policies ?? []).map((p) => [p.name, p.allowed])),
    ...(answer.reason ? { reason: answer.reason } : {}),
  };
  if (answer.authenticated) return caller;
  const failure = answer.tokenFailure ?? 'invalid_token';
  if (failure === 'issuer_unavailable') return { ...caller, unavailable: true };
  if (failure === 'missing') return caller;
  return { ...caller, invalidToken: tokenRefusal(failure, token, answer.reason) };
}

/**
 * Heimdall's answers per token (by hash), each kept for a short TTL that never outlives the
 * token (Heimdall's `expiresAt`, and the JWT's own `exp`). A request that needs a policy not
 * asked yet asks for it; concurrent requests with the same token share one call. A refusal
 * of the token is kept for a second at most. When Heimdall cannot answer, the caller is
 * treated as unauthorized and nothing is cached.
 */
export class DecisionCache {
  private readonly entries: Lru<string, Entry>;
  private readonly inFlight = new Map<string, Promise<CallerAuthorization>>();
  private readonly now: () => number;

  constructor(private readonly options: DecisionCacheOptions) {
    this.entries = new Lru({
      max: Math.max(1, options.size),
      maxBytes: options.maxBytes ?? 32 * 1024 * 1024,
      sizeOf: entryBytes,
    });
    this.now = options.now ?? Date.now;
  }

  /** The caller's standing for these policies; never throws. */
  async authorize(
    authorization: string | undefined,
    policies: readonly string[],
    requestId?: string,
  ): Promise<CallerAuthorization> {
    const token = bearerToken(authorization);
    if (!token) {
      // Without a token Heimdall can only answer "not authenticated": no call.
      this.options.onLookup?.('anonymous');
      return ANONYMOUS;
    }
    const key = tokenHash(token);
    const now = this.now();
    const entry = this.entries.get(key, now);
    // A caller refused as not authenticated passes no policy: nothing more to ask.
    const missing = !entry
      ? [...policies]
      : entry.caller.authenticated
        ? policies.filter((p) => !entry.caller.policies.has(p))
        : [];
    if (entry && missing.length === 0) {
      this.options.onLookup?.('hit');
      return entry.caller;
    }
    this.options.onLookup?.('miss');
    const flightKey = `${key}\u0000${missing.join('\u0000')}`;
    let pending = this.inFlight.get(flightKey);
    if (!pending) {
      pending = this.ask(key, token, missing, entry, requestId).finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, pending);
    }
    return pending;
  }

  private async ask(
    key: string,
    token: string,
    missing: string[],
    previous: Entry | undefined,
    requestId?: string,
  ): Promise<CallerAuthorization> {
    let answer: RouterAuthorization;
    try {
      answer = await this.options.ask(token, missing, requestId);
    } catch (error) {
      this.options.onError?.(error);
      return {
        authenticated: false,
        scopes: new Set(),
        policies: new Map(),
        unavailable: true,
        reason: 'The authorization service (Heimdall) could not be asked.',
      };
    }
    const fresh = callerOf(answer, token);
    const caller: CallerAuthorization =
      previous && previous.caller.authenticated === fresh.authenticated
        ? { ...fresh, policies: new Map([...previous.caller.policies, ...fresh.policies]) }
        : fresh;
    const now = this.now();
    let until = now + this.options.ttlMs;
    if (!caller.authenticated) {
      until = Math.min(until, now + REFUSAL_TTL_MS);
    } else {
      // An allowing answer dies with the token.
      const expiresAt = answer.expiresAt ? Date.parse(answer.expiresAt) : NaN;
      if (Number.isFinite(expiresAt)) until = Math.min(until, expiresAt);
      const exp = jwtExpiryMs(token);
      if (exp !== undefined) until = Math.min(until, exp);
    }
    if (previous && caller !== fresh) until = Math.min(until, previous.until);
    if (until > now) this.entries.set(key, { caller, until }, until);
    else this.entries.delete(key);
    return caller;
  }

  clear(): void {
    this.entries.clear();
  }
}
