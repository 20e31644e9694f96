import type { RequestHandler } from 'express';
import {
  TokenError,
  TokenVerifier,
  bearerToken,
  issuersFromEnv,
  verifierOptionsFromEnv,
  type IssuerConfig,
  type VerifierOptions,
} from '@dataos/auth';
import { ErrorCode } from '@dataos/errors';
import { UNTRUSTED_CALLER, audienceOf, type ServiceIdentitySettings } from '@dataos/service-identity';

export interface ServiceGateOptions {
  /** This service's name: it accepts tokens for `dataos-svc:<service>` only. */
  service: string;
  /** Client ids whose tokens are accepted (SERVICE_TRUSTED_CALLERS). */
  trustedCallers: readonly string[];
  /** The issuer of service tokens (its `audience` is replaced by this service's). */
  issuer: IssuerConfig;
  verifierOptions?: VerifierOptions;
}

export interface GateRefusal {
  status: 401 | 403 | 503;
  code: string;
  message: string;
  /** Why, for logs and tests: `missing`, a TokenFailure, `not_a_service`, `untrusted`. */
  reason: string;
}

export type GateVerdict = { caller: string; refusal?: undefined } | { caller?: undefined; refusal: GateRefusal };

const HEADER = 'X-Service-Authorization';

/**
 * Who may call this service at all: a request must carry, beside the user's token, a service
 * token (client_credentials, RS256 JWT) from the trusted issuer whose audience is this service
 * and whose client is one of SERVICE_TRUSTED_CALLERS. Checked before the body is read, for
 * HTTP and for WebSocket connection_init alike; verified tokens are cached until their `exp`
 * (TokenVerifier), so a hop pays one map lookup after the first call.
 */
export class ServiceGate {
  readonly audience: string;
  private readonly trusted: ReadonlySet<string>;
  private readonly verifier: TokenVerifier;

  constructor(private readonly options: ServiceGateOptions) {
    this.audience = audienceOf(options.service);
    this.trusted = new Set(options.trustedCallers);
    // Few callers, each with one token per target at a time: a small cache suffices.
    this.verifier = new TokenVerifier([{ ...options.issuer, audience: this.audience, introspection: undefined }], {
      cacheSize: 1000,
      ...options.verifierOptions,
    });
  }

  async check(header: string | undefined): Promise<GateVerdict> {
    const token = bearerToken(header);
    if (!token) {
      return this.refuse(
        401,
        'missing',
        `${this.options.service} accepts requests only from trusted services: no service token was sent in ${HEADER} ` +
          `(a Bearer token for ${this.audience}). Call through the router.`,
      );
    }
    let principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      if (error.reason === 'issuer_unavailable')
        return this.refuse(
          503,
          error.reason,
          'The service token could not be verified: its issuer did not answer.',
          ErrorCode.ServiceUnavailable,
        );
      return this.refuse(401, error.reason, `The service token in ${HEADER} was refused: ${error.message}`);
    }
    // client_credentials tokens name the client as their subject; anything else is a person's.
    if (principal.type !== 'application' || !principal.clientId)
      return this.refuse(
        403,
        'not_a_service',
        `The token in ${HEADER} is not a service's own token (client_credentials).`,
      );
    if (!this.trusted.has(principal.clientId))
      return this.refuse(
        403,
        'untrusted',
        `The service "${principal.clientId}" is not a trusted caller of ${this.options.service}.`,
      );
    return { caller: principal.clientId };
  }

  /** Express: refuses before the body is read, with a GraphQL error body the router passes on. */
  middleware(onRefused?: (refusal: GateRefusal) => void): RequestHandler {
    return (req, res, next) => {
      const header = req.headers[HEADER.toLowerCase()];
      this.check(Array.isArray(header) ? header[0] : header).then((verdict) => {
        if (!verdict.refusal) return next();
        onRefused?.(verdict.refusal);
        const { status, code, message } = verdict.refusal;
        if (status === 401) res.setHeader('www-authenticate', `Bearer realm="${this.audience}"`);
        res.status(status).json({ errors: [{ message, extensions: { code } }] });
      }, next);
    };
  }

  private refuse(status: GateRefusal['status'], reason: string, message: string, code = UNTRUSTED_CALLER): GateVerdict {
    return { refusal: { status, code, message, reason } };
  }
}

/** The gate a subgraph's settings ask for, or null when SERVICE_IDENTITY is off. */
export function serviceGateFor(service: string, identity: ServiceIdentitySettings | undefined): ServiceGate | null {
  if (identity?.mode !== 'required') return null;
  // Services get their tokens from one issuer: OIDC_ISSUER, or the first of OIDC_ISSUERS.
  const issuer = issuersFromEnv()[0]!;
  return new ServiceGate({
    service,
    trustedCallers: identity.trustedCallers,
    issuer,
    verifierOptions: verifierOptionsFromEnv(),
  });
}
