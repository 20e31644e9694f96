/**
 * Where the console finds the router and the OIDC issuer. Vite inlines VITE_* variables at build
 * time; the defaults are the development stack's (`npm run dev`).
 */
export interface ConsoleSettings {
  /** The router's GraphQL endpoint. */
  routerUrl: string;
  /** The OIDC issuer (Azure AD, Google, Keycloak, or the dev issuer). */
  authority: string;
  clientId: string;
  scope: string;
  /** Seconds before expiry the token is renewed. */
  renewBeforeSeconds: number;
}

function read(name: string, fallback: string): string {
  const value = (import.meta.env as Record<string, string | undefined>)[name];
  return value && value.trim() !== '' ? value.trim() : fallback;
}

export const settings: ConsoleSettings = {
  routerUrl: read('VITE_ROUTER_URL', 'http://localhost:4000/graphql'),
  authority: read('VITE_OIDC_AUTHORITY', 'http://localhost:4400'),
  clientId: read('VITE_OIDC_CLIENT_ID', 'dataos-ui'),
  scope: read('VITE_OIDC_SCOPE', 'openid profile email roles'),
  renewBeforeSeconds: Number(read('VITE_OIDC_RENEW_BEFORE_SECONDS', '60')) || 60,
};
