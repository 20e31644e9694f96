import type { Principal, TokenError } from '@dataos/auth';
import { unauthenticated } from '@dataos/errors';
import type { Logger } from './logger.js';

/** What every resolver of every subgraph receives. */
export interface BaseContext {
  requestId: string;
  /** The caller's bearer token, forwarded as-is to Heimdall and other services. */
  token?: string;
  /** The verified caller, or null when no valid token was sent. */
  principal: Principal | null;
  /** Why the token that was sent was refused. */
  tokenError?: TokenError;
  logger: Logger;
}

/** The caller, or an UNAUTHENTICATED error. */
export function requirePrincipal(ctx: BaseContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}
