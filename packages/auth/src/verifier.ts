import * as oidc from 'openid-client';
import { Lru, textBytes } from '@dataos/cache';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { DEFAULT_ALGORITHMS, type IssuerConfig, type VerifierOptions } from './config.js';
import { principalFromClaims, type Principal } from './principal.js';
import { TokenError, tokenErrorFromJose } from './token-error.js';

interface Discovered {
  oidc: oidc.Configuration;
  jwks: JWTVerifyGetKey;
}

interface IssuerState {
  config: IssuerConfig;
  discovered?: Promise<Discovered>;
}

/** Verified principals kept at most, with their tokens. */
const CACHE_BYTES = 32 * 1024 * 1024;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Verifies OIDC access tokens from one or several trusted issuers: JWTs against the
 * issuer's JWKS (found through discovery), opaque tokens through introspection when configured.
 */
export class TokenVerifier {
  private readonly issuers = new Map<string, IssuerState>();
  /** Verified tokens (bounded in entries and bytes: a token can be kilobytes); an entry never outlives the token's exp. */
  private readonly verified: Lru<string, Principal> | undefined;

  constructor(
    configs: IssuerConfig[],
    private readonly options: VerifierOptions = {},
  ) {
    if (configs.length === 0) throw new Error('TokenVerifier needs at least one trusted issuer');
    for (const config of configs) this.issuers.set(config.issuer, { config });
    const cacheSize = options.cacheSize ?? 10_000;
    this.verified =
      cacheSize > 0
        ? new Lru({
            max: cacheSize,
            maxBytes: CACHE_BYTES,
            sizeOf: (principal, token) => textBytes(token, JSON.stringify(principal)),
          })
        : undefined;
  }

  /** Discovery of every issuer up front, so the first request does not pay for it. */
  async warmUp(): Promise<void> {
    await Promise.all([...this.issuers.values()].map((state) => this.discover(state)));
  }

  async verify(token: string | undefined | null): Promise<Principal> {
    if (!token) throw new TokenError('missing');
    const cached = this.verified?.get(token);
    if (cached) return cached;
    const principal = await this.verifyUncached(token);
    this.verified?.set(token, principal, principal.expiresAt.getTime());
    return principal;
  }

  private async verifyUncached(token: string): Promise<Principal> {
    if (!JWT_SHAPE.test(token)) return this.introspect(token);

    let iss: unknown;
    try {
      const header = decodeProtectedHeader(token);
      if (typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none' || header.alg.startsWith('HS')) {
        throw new TokenError('algorithm_not_allowed');
      }
      iss = decodeJwt(token).iss;
    } catch (error) {
      throw error instanceof TokenError ? error : new TokenError('malformed', { cause: error });
    }
    const state = typeof iss === 'string' ? this.issuers.get(iss) : undefined;
    if (!state) throw new TokenError('wrong_issuer');
    const { jwks } = await this.discover(state);
    const { config } = state;
    try {
      const typ = config.typ === undefined ? 'at+jwt' : config.typ;
      const { payload } = await jwtVerify(token, jwks, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: config.algorithms ?? DEFAULT_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSec ?? 30,
        requiredClaims: ['sub', 'exp'],
        ...(typ ? { typ } : {}),
      });
      return principalFromClaims(payload, config);
    } catch (error) {
      throw tokenErrorFromJose(error);
    }
  }

  private discover(state: IssuerState): Promise<Discovered> {
    state.discovered ??= (async () => {
      const { issuer, introspection } = state.config;
      const execute = this.options.allowInsecureIssuers ? [oidc.allowInsecureRequests] : [];
      const configuration = await oidc.discovery(
        new URL(issuer),
        introspection?.clientId ?? 'dataos-resource-server',
        introspection?.clientSecret,
        undefined,
        { execute },
      );
      const jwksUri = configuration.serverMetadata().jwks_uri;
      if (!jwksUri) throw new Error(`issuer ${issuer} publishes no jwks_uri`);
      const jwks = createRemoteJWKSet(new URL(jwksUri), {
        cooldownDuration: this.options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5_000,
      });
      return { oidc: configuration, jwks };
    })();
    // A failed discovery is retried by the next request rather than cached forever.
    state.discovered.catch(() => {
      state.discovered = undefined;
    });
    return state.discovered.catch((error: unknown) => {
      throw new TokenError('issuer_unavailable', { cause: error });
    });
  }

  private async introspect(token: string): Promise<Principal> {
    const state = [...this.issuers.values()].find((s) => s.config.introspection);
    if (!state) throw new TokenError('malformed');
    const discovered = await this.discover(state);
    let result: oidc.IntrospectionResponse;
    try {
      result = await oidc.tokenIntrospection(discovered.oidc, token);
    } catch (error) {
      throw new TokenError('issuer_unavailable', { cause: error });
    }
    if (!result.active || !result.sub) throw new TokenError('inactive');
    const audiences = [result.aud ?? []].flat();
    const accepted = [state.config.audience].flat();
    if (!audiences.some((a) => accepted.includes(a))) throw new TokenError('wrong_audience');
    return principalFromClaims({ ...result, iss: result.iss ?? state.config.issuer }, state.config);
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | string[] | undefined | null): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match?.[1];
}
