import Provider, { errors, type Configuration, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import type { KeyFile } from './keys.js';
import {
  DEFAULT_AUDIENCE,
  DEV_CLIENTS,
  DEV_SERVICE_CLIENTS,
  DEV_USERS,
  SERVICE_ROLES,
  type DevUser,
} from './directory.js';

export interface IssuerSettings {
  issuer: string;
  audience?: string;
  keys: KeyFile;
  /** Default access-token lifetime in seconds. */
  accessTokenTtl?: number;
}

const SCOPES = ['openid', 'profile', 'email', 'roles', 'offline_access'];

/** `<audience>:opaque` gets opaque tokens for the same audience, to exercise introspection. */
export const opaqueResource = (audience: string) => `${audience}:opaque`;

function resourceServerInfo(audience: string, resource = audience): ResourceServer {
  if (resource === opaqueResource(audience)) return { scope: SCOPES.join(' '), audience, accessTokenFormat: 'opaque' };
  return { scope: SCOPES.join(' '), audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
}

/**
 * `dataos-svc:<service>`: the audience of a service-to-service hop (SERVICE_IDENTITY). Only
 * confidential clients get one (through client_credentials), never a person's token.
 */
const SERVICE_AUDIENCE = /^dataos-svc:[a-z][a-z0-9-]{0,62}$/;

function serviceResourceInfo(resource: string): ResourceServer {
  return { scope: 'openid', audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
}

function userClaims(user: DevUser) {
  return {
    sub: user.id,
    name: user.name,
    preferred_username: user.id,
    email: user.email,
    email_verified: true,
    roles: user.roles,
    groups: user.groups,
    ...(user.region ? { region: user.region } : {}),
  };
}

/** Builds the oidc-provider instance: discovery, JWKS, JWT access tokens for the supergraph audience. */
export function createProvider(settings: IssuerSettings): Provider {
  const audience = settings.audience ?? DEFAULT_AUDIENCE;
  const defaultTtl = settings.accessTokenTtl ?? 3600;
  const resourceServer = resourceServerInfo(audience);

  const configuration: Configuration = {
    clients: [
      {
        client_id: DEV_CLIENTS.ui,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [
          'http://localhost:4000/graphql',
          // The console (npm run dev) and its end-to-end tests (apps/console/e2e).
          'http://localhost:3000/callback',
          'http://localhost:3700/callback',
          'https://studio.apollographql.com/sandbox/explorer',
        ],
        // Where the console lands after signing out at the issuer.
        post_logout_redirect_uris: ['http://localhost:3000/', 'http://localhost:3700/'],
      },
      {
        client_id: DEV_CLIENTS.cli,
        token_endpoint_auth_method: 'none',
        grant_types: ['password'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: DEV_CLIENTS.services,
        client_secret: DEV_CLIENTS.servicesSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      ...Object.values(DEV_SERVICE_CLIENTS).map((c) => ({
        client_id: c.clientId,
        client_secret: c.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    jwks: { keys: settings.keys.keys as never },
    findAccount: async (_ctx, id) => {
      const user = DEV_USERS[id];
      if (!user) return undefined;
      return { accountId: id, claims: async () => userClaims(user) };
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      roles: ['roles', 'groups', 'region'],
    },
    scopes: SCOPES,
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource, client) => {
          if (SERVICE_AUDIENCE.test(resource)) {
            if (client.tokenEndpointAuthMethod === 'none')
              throw new errors.InvalidTarget('service audiences are for services');
            return serviceResourceInfo(resource);
          }
          if (resource !== audience && resource !== opaqueResource(audience)) {
            throw new errors.InvalidTarget(`unknown resource ${resource}`);
          }
          return resource === audience ? resourceServer : resourceServerInfo(audience, resource);
        },
      },
    },
    pkce: { required: (_ctx, client) => client.tokenEndpointAuthMethod === 'none', methods: ['S256'] },
    clientBasedCORS: () => true,
    // Interactive logins (Sandbox, UIs) grant the resource without a consent screen in development.
    loadExistingGrant: async (ctx) => {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grantId = session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile email roles offline_access');
      grant.addResourceScope(audience, SCOPES.join(' '));
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    extraTokenClaims: async (_ctx, token) => {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (accountId) {
        const user = DEV_USERS[accountId];
        if (!user) return undefined;
        const { sub: _sub, ...claims } = userClaims(user);
        return claims;
      }
      return { roles: SERVICE_ROLES[token.clientId ?? ''] ?? [] };
    },
    ttl: {
      AccessToken: (ctx: KoaContextWithOIDC) => requestedTtl(ctx) ?? defaultTtl,
      ClientCredentials: defaultTtl,
      Grant: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
      Interaction: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
    },
    cookies: { keys: ['dataos-devstack-cookie-key'] },
  };

  const provider = new Provider(settings.issuer, configuration);
  provider.proxy = false;
  registerPasswordGrant(provider, audience);
  return provider;
}

/** `ttl` (seconds) on the dev password grant lets tests ask for short-lived tokens. */
function requestedTtl(ctx: KoaContextWithOIDC | undefined): number | undefined {
  const params = ctx?.oidc?.params as Record<string, unknown> | undefined;
  if (params?.grant_type !== 'password' || typeof params.ttl !== 'string') return undefined;
  const ttl = Number(params.ttl);
  return Number.isInteger(ttl) && ttl > 0 && ttl <= 86_400 ? ttl : undefined;
}

/**
 * Resource-owner password grant for the dev CLI client only (`npm run token -- alice`).
 * Never enable this against a real issuer: it exists so scripts and tests get real tokens.
 */
function registerPasswordGrant(provider: Provider, audience: string): void {
  const parameters = ['username', 'password', 'scope', 'resource', 'ttl'];
  provider.registerGrantType(
    'password',
    async (ctx, next) => {
      const { client, params } = ctx.oidc;
      const p = params as Record<string, string | undefined>;
      const user = p.username ? DEV_USERS[p.username] : undefined;
      if (!client || !user || p.password !== user.id) throw new errors.InvalidGrant('invalid username or password');
      const resource = p.resource ?? audience;
      if (resource !== audience && resource !== opaqueResource(audience)) {
        throw new errors.InvalidTarget(`unknown resource ${resource}`);
      }
      const requested = (p.scope ?? 'openid profile email roles').split(' ').filter(Boolean);
      const unknown = requested.filter((s) => !SCOPES.includes(s));
      if (unknown.length) throw new errors.InvalidScope('requested scope is not allowed', unknown.join(' '));
      const scope = requested.join(' ');

      const grant = new provider.Grant({ accountId: user.id, clientId: client.clientId });
      grant.addOIDCScope(scope);
      grant.addResourceScope(resource, scope);
      const grantId = await grant.save();

      const token = new provider.AccessToken({ accountId: user.id, client, grantId, scope, gty: 'password' });
      // Not in the typings, but public: oidc-provider's own grants build their resource servers this way.
      const { ResourceServer: ResourceServerClass } = provider as unknown as {
        ResourceServer: new (identifier: string, info: ResourceServer) => ResourceServer;
      };
      token.resourceServer = new ResourceServerClass(resource, resourceServerInfo(audience, resource));
      ctx.oidc.entity('AccessToken', token);
      const value = await token.save();
      ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope };
      await next();
    },
    parameters,
  );
}
