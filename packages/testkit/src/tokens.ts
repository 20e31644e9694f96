import { fetchDevToken, fetchServiceToken } from '@dataos/devstack';

const cache = new Map<string, string>();

/** A real access token from the dev issuer, cached per user for the test run. */
export async function tokenFor(user: string): Promise<string> {
  let token = cache.get(user);
  if (!token) {
    token = (await fetchDevToken(user)).access_token;
    cache.set(user, token);
  }
  return token;
}

let services: Promise<string> | undefined;

/**
 * The dev issuer's services client's own access token (client_credentials, for OIDC_AUDIENCE),
 * cached for the test run: the principal tests use where a service calls as itself.
 */
export function servicesToken(): Promise<string> {
  services ??= fetchServiceToken().then(
    (t) => t.access_token,
    (error: unknown) => {
      services = undefined;
      throw error;
    },
  );
  return services;
}
