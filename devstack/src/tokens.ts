import { DEFAULT_AUDIENCE, DEV_CLIENTS } from './oidc/directory.js';

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  scope?: string;
}

async function requestToken(issuer: string, body: URLSearchParams, headers: Record<string, string> = {}) {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  const json = (await res.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!res.ok) throw new Error(`token request failed: ${json.error}: ${json.error_description}`);
  return json;
}

/** A person's access token from the dev issuer (dev-only password grant). */
export async function fetchDevToken(
  user: string,
  options: { issuer?: string; ttlSec?: number; scope?: string; audience?: string } = {},
): Promise<TokenResponse> {
  const issuer = options.issuer ?? process.env.OIDC_ISSUER ?? 'http://localhost:4400';
  return requestToken(
    issuer,
    new URLSearchParams({
      grant_type: 'password',
      client_id: DEV_CLIENTS.cli,
      username: user,
      password: user,
      resource: options.audience ?? process.env.OIDC_AUDIENCE ?? DEFAULT_AUDIENCE,
      scope: options.scope ?? 'openid profile email roles',
      ...(options.ttlSec ? { ttl: String(options.ttlSec) } : {}),
    }),
  );
}

/** A machine token through client_credentials, as a service would get it. */
export async function fetchServiceToken(options: { issuer?: string; audience?: string } = {}): Promise<TokenResponse> {
  const issuer = options.issuer ?? process.env.OIDC_ISSUER ?? 'http://localhost:4400';
  const basic = Buffer.from(`${DEV_CLIENTS.services}:${DEV_CLIENTS.servicesSecret}`).toString('base64');
  return requestToken(
    issuer,
    new URLSearchParams({
      grant_type: 'client_credentials',
      resource: options.audience ?? process.env.OIDC_AUDIENCE ?? DEFAULT_AUDIENCE,
      scope: 'openid',
    }),
    { authorization: `Basic ${basic}` },
  );
}
