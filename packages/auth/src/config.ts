import { parseSettings, setting } from '@dataos/settings';
import { z } from 'zod';

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

const ISSUER_CONFIG = z.looseObject({
  issuer: z.string().min(1),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
});

/** Which issuers are trusted, for a service's own schema (checked with its other settings at start). */
export const ISSUER_SETTINGS = {
  OIDC_ISSUERS: setting.json(z.array(ISSUER_CONFIG).min(1), 'an array of {issuer, audience, ...}', {}),
  OIDC_ISSUER: setting.url({}),
  OIDC_AUDIENCE: setting.text({ default: DEFAULT_AUDIENCE }),
};

/**
 * Reads trusted issuers from the environment: `OIDC_ISSUERS` (a JSON array of IssuerConfig)
 * or the single `OIDC_ISSUER` with `OIDC_AUDIENCE`.
 */
export function issuersFromEnv(env: NodeJS.ProcessEnv = process.env): IssuerConfig[] {
  const v = parseSettings(ISSUER_SETTINGS, env);
  if (v.OIDC_ISSUERS) return v.OIDC_ISSUERS as IssuerConfig[];
  if (!v.OIDC_ISSUER) throw new Error('OIDC_ISSUER (or OIDC_ISSUERS) is not set');
  return [{ issuer: v.OIDC_ISSUER, audience: v.OIDC_AUDIENCE }];
}

/** The verifier's variables, for a service's own schema (checked with its other settings at start). */
export const VERIFIER_SETTINGS = {
  ...ISSUER_SETTINGS,
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
