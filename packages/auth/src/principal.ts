import type { JWTPayload } from 'jose';

/** Who is calling, as established from a verified access token. */
export interface Principal {
  /** Heimdall subject id: `users:id:<sub>`. */
  id: string;
  sub: string;
  issuer: string;
  /** `person` for a user's token, `application` for client_credentials. */
  type: 'person' | 'application';
  clientId?: string;
  name?: string;
  email?: string;
  roles: string[];
  groups: string[];
  scopes: string[];
  /** Tags derived from the claims: users:id, roles:id, groups:id, scopes:id. */
  tags: string[];
  expiresAt: Date;
  claims: JWTPayload;
}

function claimAt(claims: JWTPayload, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return [];
}

export function principalFromClaims(
  claims: JWTPayload,
  opts: { rolesClaim?: string; groupsClaim?: string } = {},
): Principal {
  const sub = claims.sub!;
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  const roles = stringList(claimAt(claims, opts.rolesClaim ?? 'roles'));
  const groups = stringList(claimAt(claims, opts.groupsClaim ?? 'groups'));
  const scopes = stringList(claims.scope ?? claims.scp);
  // client_credentials tokens carry the client as subject.
  const type = clientId !== undefined && clientId === sub ? 'application' : 'person';
  const id = `users:id:${sub}`;
  return {
    id,
    sub,
    issuer: claims.iss!,
    type,
    ...(clientId !== undefined ? { clientId } : {}),
    ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    roles,
    groups,
    scopes,
    tags: [
      id,
      `users:type:${type}`,
      ...roles.map((r) => `roles:id:${r}`),
      ...groups.map((g) => `groups:id:${g}`),
      ...scopes.map((s) => `scopes:id:${s}`),
    ],
    expiresAt: new Date((claims.exp ?? 0) * 1000),
    claims,
  };
}
