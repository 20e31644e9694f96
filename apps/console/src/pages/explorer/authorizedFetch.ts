/**
 * GraphiQL's requests go out with the signed-in user's current access token, read at each request
 * (oidc-client-ts renews it in the background, so a token captured once would expire). A header
 * the user typed in GraphiQL's headers editor wins: one may try another token on purpose.
 */
export function authorizedFetch(
  accessToken: () => Promise<string | null | undefined>,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has('authorization')) {
      const token = await accessToken();
      if (token) headers.set('authorization', `Bearer ${token}`);
    }
    return fetchImpl(input, { ...init, headers });
  };
}
