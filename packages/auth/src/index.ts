export {
  DEFAULT_ALGORITHMS,
  DEFAULT_AUDIENCE,
  issuersFromEnv,
  verifierOptionsFromEnv,
  ISSUER_SETTINGS,
  VERIFIER_SETTINGS,
  type IssuerConfig,
  type VerifierOptions,
} from './config.js';
export { principalFromClaims, type Principal } from './principal.js';
export { TokenError, type TokenFailure } from './token-error.js';
export { TokenVerifier, bearerToken } from './verifier.js';
