import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RouterErrorCode } from '../errors.js';

/**
 * Authentication of a presented token, as Apollo Router's JWT authentication does it: a request
 * that sends an `Authorization` header is either authenticated or refused whole (HTTP 401 with
 * an RFC 6750 challenge), never quietly served as anonymous. A request without the header is
 * anonymous.
 */

/** Why a request's credentials are refused: Heimdall's word for the token, or the header's own problem. */
export interface TokenRefusal {
  /** `expired`, `invalid_signature`, `wrong_audience`, `malformed`, ... or `unsupported_scheme`, `malformed_header`. */
  reason: string;
  /** For a person: `The access token is not valid: it expired at 2026-12-01T18:00:00Z`. */
  message: string;
  /** The RFC 6750 error code of the challenge; none when the client used another scheme (RFC 6750 §3). */
  challenge?: 'invalid_token' | 'invalid_request';
}

/** RFC 6750 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** A refusal of the header itself, or undefined when it is `Bearer <token>`. */
export function headerRefusal(header: string): TokenRefusal | undefined {
  const parts = header.trim().split(/\s+/);
  const scheme = parts[0] ?? '';
  if (scheme.toLowerCase() !== 'bearer') {
    return {
      reason: 'unsupported_scheme',
      message: `The Authorization header must be 'Bearer <access token>'; the '${printable(scheme, 20)}' scheme is not accepted.`,
    };
  }
  const problem =
    parts.length < 2
      ? "no token follows 'Bearer'"
      : parts.length > 2
        ? 'the token has spaces in it'
        : B64TOKEN.test(parts[1]!)
          ? undefined
          : 'the token has characters a bearer token cannot have';
  if (!problem) return undefined;
  return {
    reason: 'malformed_header',
    message: `The Authorization header must be 'Bearer <access token>': ${problem}.`,
    challenge: 'invalid_request',
  };
}

interface Claims {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** A JWT's header and claims, read without verifying: only to explain a refusal Heimdall made. */
export function unverifiedClaims(token: string): Claims | undefined {
  const [header, payload] = token.split('.');
  if (!header || !payload) return undefined;
  try {
    const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    const h = decode(header);
    const p = decode(payload);
    if (!h || typeof h !== 'object' || !p || typeof p !== 'object') return undefined;
    return { header: h as Record<string, unknown>, payload: p as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

/** Printable ASCII, no quotes or backslashes (safe in a quoted header value), at most `max` characters. */
function printable(value: string, max: number): string {
  const clean = value.replace(/[^\x20-\x7e]|["\\]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

const isoSeconds = (epochSec: number) => new Date(epochSec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function claimText(value: unknown): string | undefined {
  if (typeof value === 'string') return printable(value, 100);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return printable(value.join(', '), 100);
  return undefined;
}

/**
 * What is wrong with a token Heimdall refused, for a person. The token's own claims are read
 * to say when or for whom: for `expired` they are the verified ones (signatures are checked
 * before claims), and in any case they are the caller's own token.
 */
export function describeTokenFailure(reason: string, token: string, heimdallReason: string | null | undefined): string {
  const claims = unverifiedClaims(token);
  const time = (claim: string) =>
    typeof claims?.payload[claim] === 'number' && Number.isFinite(claims.payload[claim])
      ? isoSeconds(claims.payload[claim])
      : undefined;
  switch (reason) {
    case 'expired': {
      const exp = time('exp');
      return exp ? `it expired at ${exp}` : 'it has expired';
    }
    case 'not_yet_valid': {
      const nbf = time('nbf');
      return nbf ? `it is not valid before ${nbf}` : 'it is not valid yet';
    }
    case 'invalid_signature':
      return 'its signature does not match its content (it was altered, or not signed by the issuer)';
    case 'unknown_key':
      return 'it is signed with a key the issuer does not publish';
    case 'algorithm_not_allowed': {
      const alg = claimText(claims?.header.alg);
      return `it is signed with an algorithm that is not allowed${alg ? ` (${alg})` : ''}`;
    }
    case 'wrong_type':
      return "it is not an access token (its 'typ' header)";
    case 'wrong_audience': {
      const aud = claimText(claims?.payload.aud);
      return aud
        ? `it was issued for the audience '${aud}', not for this API`
        : 'it was not issued for this API (audience)';
    }
    case 'wrong_issuer': {
      const iss = claimText(claims?.payload.iss);
      return iss ? `its issuer '${iss}' is not trusted` : 'its issuer is not trusted';
    }
    case 'inactive':
      return 'the issuer reports that it is not active (revoked or expired)';
    case 'malformed':
      return 'it is not a well-formed access token';
    default: {
      const said = heimdallReason?.replace(/\.$/, '');
      return said ? `${said.charAt(0).toLowerCase()}${said.slice(1)}` : 'it was refused by the authorization service';
    }
  }
}

export function tokenRefusal(reason: string, token: string, heimdallReason: string | null | undefined): TokenRefusal {
  return {
    reason,
    message: `The access token is not valid: ${describeTokenFailure(reason, token, heimdallReason)}`,
    challenge: 'invalid_token',
  };
}

/** The `WWW-Authenticate` value of a refusal (RFC 6750 §3). */
export function bearerChallenge(refusal: TokenRefusal): string {
  if (!refusal.challenge) return 'Bearer';
  return `Bearer error="${refusal.challenge}", error_description="${printable(refusal.message, 300)}"`;
}

/** The request's one error: no data, HTTP 401, the challenge. */
export function unauthenticatedError(refusal: TokenRefusal): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: {
      code: RouterErrorCode.Unauthenticated,
      reason: refusal.reason,
      http: { status: 401, headers: new HeaderMap([['www-authenticate', bearerChallenge(refusal)]]) },
    },
  });
}
