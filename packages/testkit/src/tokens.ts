import { fetchDevToken } from '@dataos/devstack';

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
