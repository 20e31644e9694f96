import { parseSettings, setting } from '@dataos/settings';

/** One trusted OIDC issuer (Azure AD, Google, Keycloak, the dev issuer, ...). */
export interface IssuerConfig {
  /** Exact `iss` value; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** Accepted `aud` values. */
  audience: string | string[];
  /** Allowed signature algorithms; `none` and HMAC are never accepted. */
  algorithms?: string[];
  /** Required JOSE `typ` (RFC 9068 says `at+jwt`); `null` accepts any (Azure AD v1 sends `JWT`). */
  typ?: string | null;
  /** Dotted claim paths holding roles and groups (Keycloak: `realm_access.roles`). */
  rolesClaim?: string;
  groupsClaim?: string;
  /** Credentials for RFC 7662 introspection of opaque (non-JWT) tokens. */
  introspection?: { clientId: string; clientSecret: string };
}

export interface VerifierOptions {
  /** Leeway for exp/nbf/iat, in seconds. */
  clockToleranceSec?: number;
  /** Minimum time between two JWKS refetches triggered by an unknown `kid`. */
  jwksCooldownMs?: number;
  /** Plain-http issuers are refused unless allowed (development only). */
  allowInsecureIssuers?: boolean;
  /**
   * How many verified tokens to remember (10,000; 0 disables). A cached token is served only
   * until its `exp`, without clock tolerance; a key rotation does not revoke it (nor does it at
   * any JWT resource server: revocation is the issuer's short token lifetime).
   */
  cacheSize?: number;
}

export const DEFAULT_AUDIENCE = 'urn:dataos:supergraph';
export const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'EdDSA'];

/**
 * Reads trusted issuers from the environment: `OIDC_ISSUERS` (a JSON array of IssuerConfig)
 * or the single `OIDC_ISSUER` with `OIDC_AUDIENCE`.
 */
export function issuersFromEnv(env: NodeJS.ProcessEnv = process.env): IssuerConfig[] {
  if (env.OIDC_ISSUERS) {
    const parsed: unknown = JSON.parse(env.OIDC_ISSUERS);
    if (!Array.isArray(parsed) || parsed.some((i) => typeof i?.issuer !== 'string' || !i.audience)) {
      throw new Error('OIDC_ISSUERS must be a JSON array of {issuer, audience, ...}');
    }
    return parsed as IssuerConfig[];
  }
  if (!env.OIDC_ISSUER) throw new Error('OIDC_ISSUER (or OIDC_ISSUERS) is not set');
  return [{ issuer: env.OIDC_ISSUER, audience: env.OIDC_AUDIENCE ?? DEFAULT_AUDIENCE }];
}

/** The verifier's variables, for a service's own schema (checked with its other settings at start). */
export const VERIFIER_SETTINGS = {
  OIDC_CLOCK_TOLERANCE_SEC: setting.int({ min: 0, max: 3600, unit: 'seconds', default: 30 }),
  OIDC_JWKS_COOLDOWN_MS: setting.durationMs({ min: 0, default: 30_000 }),
  OIDC_ALLOW_INSECURE: setting.bool({ default: false }),
};

export function verifierOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): VerifierOptions {
  const v = parseSettings(VERIFIER_SETTINGS, env);
  return {
    clockToleranceSec: v.OIDC_CLOCK_TOLERANCE_SEC,
    jwksCooldownMs: v.OIDC_JWKS_COOLDOWN_MS,
    allowInsecureIssuers: env.NODE_ENV !== 'production' || v.OIDC_ALLOW_INSECURE,
  };
}
