import { errors as joseErrors } from 'jose';

export type TokenFailure =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_signature'
  | 'unknown_key'
  | 'algorithm_not_allowed'
  | 'wrong_type'
  | 'wrong_audience'
  | 'wrong_issuer'
  | 'inactive'
  | 'issuer_unavailable';

const MESSAGES: Record<TokenFailure, string> = {
  missing: 'No bearer token was sent.',
  malformed: 'The bearer token is not a well-formed access token.',
  expired: 'The access token has expired.',
  not_yet_valid: 'The access token is not valid yet.',
  invalid_signature: 'The access token signature is invalid.',
  unknown_key: 'The access token was signed with a key the issuer does not publish.',
  algorithm_not_allowed: 'The access token uses a signature algorithm that is not allowed.',
  wrong_type: 'The token is not an access token (typ).',
  wrong_audience: 'The access token was not issued for this audience.',
  wrong_issuer: 'The access token was issued by an issuer this service does not trust.',
  inactive: 'The access token is not active.',
  issuer_unavailable: 'The token issuer could not be reached to verify the token.',
};

/** Why a token was refused; `message` is safe to show to the caller. */
export class TokenError extends Error {
  constructor(
    readonly reason: TokenFailure,
    options?: { cause?: unknown },
  ) {
    super(MESSAGES[reason], options);
    this.name = 'TokenError';
  }
}

export function tokenErrorFromJose(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof joseErrors.JWTExpired) return new TokenError('expired', { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const byClaim: Record<string, TokenFailure> = {
      aud: 'wrong_audience',
      iss: 'wrong_issuer',
      nbf: 'not_yet_valid',
      typ: 'wrong_type',
    };
    return new TokenError(byClaim[error.claim] ?? 'malformed', { cause: error });
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new TokenError('invalid_signature', { cause: error });
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new TokenError('algorithm_not_allowed', { cause: error });
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys)
    return new TokenError('unknown_key', { cause: error });
  if (error instanceof joseErrors.JWKSTimeout) return new TokenError('issuer_unavailable', { cause: error });
  if (error instanceof joseErrors.JOSEError) return new TokenError('malformed', { cause: error });
  return new TokenError('issuer_unavailable', { cause: error });
}
