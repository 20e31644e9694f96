import { DEV_CLIENTS } from '@dataos/devstack';

/**
 * The router's own credentials for a router under test: the dev issuer's services client, the
 * identity Heimdall's `heimdall-router` policy grants by default (HEIMDALL_ROUTER_TAGS).
 */
export const routerCredentialsEnv = (): Record<string, string> => ({
  ROUTER_CLIENT_ID: DEV_CLIENTS.services,
  ROUTER_CLIENT_SECRET: DEV_CLIENTS.servicesSecret,
  OIDC_ISSUER: process.env.OIDC_ISSUER ?? 'http://localhost:4400',
});
