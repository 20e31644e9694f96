import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, issuersFromEnv, verifierOptionsFromEnv } from '../src/config.js';

describe('issuers and verifier options from the environment', () => {
  it('reads one issuer or several, and the verifier options', () => {
    expect(issuersFromEnv({ OIDC_ISSUER: 'https://login.example.com/realm' })).toEqual([
      { issuer: 'https://login.example.com/realm', audience: DEFAULT_AUDIENCE },
    ]);
    const several = [{ issuer: 'https://a.example.com', audience: ['x', 'y'], rolesClaim: 'realm_access.roles' }];
    expect(
      issuersFromEnv({ OIDC_ISSUERS: JSON.stringify(several), OIDC_ISSUER: 'https://ignored.example.com' }),
    ).toEqual(several);
    expect(verifierOptionsFromEnv({})).toEqual({
      clockToleranceSec: 30,
      jwksCooldownMs: 30_000,
      allowInsecureIssuers: true,
    });
    expect(
      verifierOptionsFromEnv({ NODE_ENV: 'production', OIDC_CLOCK_TOLERANCE_SEC: '0', OIDC_JWKS_COOLDOWN_MS: '0' }),
    ).toEqual({
      clockToleranceSec: 0,
      jwksCooldownMs: 0,
      allowInsecureIssuers: false,
    });
    expect(verifierOptionsFromEnv({ NODE_ENV: 'production', OIDC_ALLOW_INSECURE: 'true' }).allowInsecureIssuers).toBe(
      true,
    );
  });

  it('names each malformed variable, and says when no issuer is set', () => {
    expect(() => issuersFromEnv({})).toThrow('OIDC_ISSUER (or OIDC_ISSUERS) is not set');
    expect(() => issuersFromEnv({ OIDC_ISSUER: 'login.example.com' })).toThrow(
      /^OIDC_ISSUER must be an absolute http\(s\) URL \(got "login.example.com"\)/,
    );
    expect(() => issuersFromEnv({ OIDC_ISSUERS: '[{"issuer":"https://a"}]' })).toThrow(
      /^OIDC_ISSUERS must be JSON: an array of \{issuer, audience, \.\.\.\}/,
    );
    expect(() => issuersFromEnv({ OIDC_ISSUERS: '[' })).toThrow(/^OIDC_ISSUERS must be JSON/);
    expect(() => verifierOptionsFromEnv({ OIDC_CLOCK_TOLERANCE_SEC: '30s', OIDC_ALLOW_INSECURE: 'yes' })).toThrow(
      'OIDC_CLOCK_TOLERANCE_SEC must be an integer number of seconds from 0 to 3600 (got "30s")\nOIDC_ALLOW_INSECURE must be true or false (got "yes")',
    );
  });
});
