import { SettingsError, parseSettings, setting, type Env } from '@dataos/settings';

export const SERVICE_IDENTITY_MODES = ['required', 'off'] as const;
export type ServiceIdentityMode = (typeof SERVICE_IDENTITY_MODES)[number];

/**
 * The same variables at every service (and in the Helm chart and compose file):
 * - `SERVICE_IDENTITY`: `required` refuses callers without a trusted service token; `off` (the
 *   default in code, for tests that call a subgraph directly) accepts any caller with a user token.
 * - `SERVICE_CLIENT_ID`, `SERVICE_CLIENT_SECRET`: this service's own OIDC client. With them it
 *   sends its token on every call to a peer, whatever its own mode (so callers can be rolled out
 *   before their targets require it).
 * - `SERVICE_TRUSTED_CALLERS`: client ids whose tokens this service accepts.
 * - `SERVICE_TOKEN_URL`: the token endpoint, when discovery of the issuer must not be used.
 */
export const SERVICE_IDENTITY_SETTINGS = {
  SERVICE_IDENTITY: setting.oneOf(SERVICE_IDENTITY_MODES, { default: 'off' }),
  SERVICE_CLIENT_ID: setting.text({}),
  SERVICE_CLIENT_SECRET: setting.text({}),
  SERVICE_TRUSTED_CALLERS: setting.list({ of: 'OIDC client ids', default: [] }),
  SERVICE_TOKEN_URL: setting.url({}),
};

export interface ServiceClientCredentials {
  clientId: string;
  clientSecret: string;
  tokenUrl?: string;
}

export interface ServiceIdentitySettings {
  mode: ServiceIdentityMode;
  trustedCallers: string[];
  /** This service's own client (undefined: it calls its peers with the user's token alone). */
  credentials?: ServiceClientCredentials;
}

type Values = ReturnType<typeof parseSettings<typeof SERVICE_IDENTITY_SETTINGS>>;

/**
 * The settings, with what only makes sense together checked: half a client is refused, and
 * `required` with nobody trusted would refuse every caller, the router included.
 */
export function serviceIdentityOf(
  v: Values,
  env: Env = {},
  /** A service nobody calls as a peer (the router): `required` then only means it must have a client. */
  options: { callerOnly?: boolean } = {},
): ServiceIdentitySettings {
  const problems = [];
  if (v.SERVICE_CLIENT_ID && !v.SERVICE_CLIENT_SECRET)
    problems.push({ variable: 'SERVICE_CLIENT_SECRET', value: undefined, expected: 'set with SERVICE_CLIENT_ID' });
  if (v.SERVICE_CLIENT_SECRET && !v.SERVICE_CLIENT_ID)
    problems.push({ variable: 'SERVICE_CLIENT_ID', value: undefined, expected: 'set with SERVICE_CLIENT_SECRET' });
  if (v.SERVICE_IDENTITY === 'required' && v.SERVICE_TRUSTED_CALLERS.length === 0 && !options.callerOnly)
    problems.push({
      variable: 'SERVICE_TRUSTED_CALLERS',
      value: env.SERVICE_TRUSTED_CALLERS,
      expected: 'at least one client id when SERVICE_IDENTITY=required (the router, the peers that call this service)',
    });
  if (problems.length) throw new SettingsError(problems);
  return {
    mode: v.SERVICE_IDENTITY,
    trustedCallers: v.SERVICE_TRUSTED_CALLERS,
    ...(v.SERVICE_CLIENT_ID && v.SERVICE_CLIENT_SECRET
      ? {
          credentials: {
            clientId: v.SERVICE_CLIENT_ID,
            clientSecret: v.SERVICE_CLIENT_SECRET,
            ...(v.SERVICE_TOKEN_URL ? { tokenUrl: v.SERVICE_TOKEN_URL } : {}),
          },
        }
      : {}),
  };
}

export const serviceIdentityFromEnv = (
  env: Env = process.env,
  options: { callerOnly?: boolean } = {},
): ServiceIdentitySettings => serviceIdentityOf(parseSettings(SERVICE_IDENTITY_SETTINGS, env), env, options);
