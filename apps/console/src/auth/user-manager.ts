import { UserManager, WebStorageStateStore, type UserManagerSettings } from 'oidc-client-ts';
import { settings } from '../settings.js';

/** The one callback URL: it finishes redirect sign-ins and, inside the hidden iframe, silent renewals. */
export const CALLBACK_PATH = '/callback';

export function userManagerSettings(origin: string): UserManagerSettings {
  return {
    authority: settings.authority,
    client_id: settings.clientId,
    scope: settings.scope,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    silent_redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    // Renew before expiry (a minute by default) (refresh token when the issuer gave one, else prompt=none in an iframe).
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: settings.renewBeforeSeconds,
    // Session storage: a token dies with the tab, and is never shared with other origins' scripts.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    monitorSession: false,
  };
}

let manager: UserManager | undefined;

/** One UserManager per page, shared by the React provider and the GraphQL auth link. */
export function userManager(): UserManager {
  manager ??= new UserManager(userManagerSettings(window.location.origin));
  return manager;
}
