import { issuersFromEnv } from '@dataos/auth';
import type { Env } from '@dataos/settings';
import { SERVICE_AUTHORIZATION_HEADER, audienceOf } from './names.js';
import { serviceIdentityFromEnv, type ServiceClientCredentials } from './settings.js';
import { ServiceTokenSource, type TokenLog } from './token-source.js';

export interface ServiceCallerOptions extends ServiceClientCredentials {
  /** Where the token endpoint is found by discovery, when `tokenUrl` is not given. */
  issuer?: string;
  /** Per token request (5 s). */
  timeoutMs?: number;
  log?: TokenLog;
}

const stderrLog: TokenLog = (details, message) =>
  process.stderr.write(
    `${JSON.stringify({ level: 40, time: Date.now(), name: 'service-identity', ...details, msg: message })}\n`,
  );

/**
 * A service calling its peers as itself: one client_credentials token per target service (its
 * audience `dataos-svc:<target>`), each cached and refreshed before expiry by a
 * ServiceTokenSource, so a call waits for the issuer only on the first call to a target.
 * The targets are the few services of the architecture, so the map stays tiny.
 */
export class ServiceCaller {
  readonly clientId: string;
  private readonly sources = new Map<string, ServiceTokenSource>();

  constructor(private readonly options: ServiceCallerOptions) {
    if (!options.tokenUrl && !options.issuer) throw new Error('ServiceCaller needs a tokenUrl or an issuer');
    this.clientId = options.clientId;
  }

  private source(target: string): ServiceTokenSource {
    let source = this.sources.get(target);
    if (!source) {
      const { clientId, clientSecret, tokenUrl, issuer } = this.options;
      source = new ServiceTokenSource(
        { clientId, clientSecret, resource: audienceOf(target), ...(tokenUrl ? { tokenUrl } : { issuer: issuer! }) },
        {
          timeoutMs: this.options.timeoutMs ?? 5000,
          log: this.options.log ?? stderrLog,
          unavailableMessage: `The service "${target}" could not be called: this service's own token could not be obtained.`,
        },
      );
      this.sources.set(target, source);
    }
    return source;
  }

  /** This service's token for `target` (SERVICE_UNAVAILABLE when the issuer cannot give one). */
  token(target: string): Promise<string> {
    return this.source(target).token();
  }

  /** The header to add to a call to `target`. */
  async headers(target: string): Promise<Record<string, string>> {
    return { [SERVICE_AUTHORIZATION_HEADER]: `Bearer ${await this.token(target)}` };
  }

  /** Forgets a token `target` refused (keys rotated, client disabled): the next call fetches anew. */
  invalidate(target: string, token: string): void {
    this.sources.get(target)?.invalidate(token);
  }

  /** Fetches the tokens for `targets` now, so the first requests do not wait for the issuer. */
  async warmUp(targets: readonly string[]): Promise<void> {
    await Promise.all(targets.map((t) => this.token(t)));
  }
}

/** The issuer service tokens come from: OIDC_ISSUER, or the first of OIDC_ISSUERS. */
export function serviceIssuerFromEnv(env: Env = process.env): string | undefined {
  try {
    return issuersFromEnv(env as NodeJS.ProcessEnv)[0]?.issuer;
  } catch {
    return undefined;
  }
}

const fromEnv = new Map<string, ServiceCaller | null>();

/**
 * The process's own caller from SERVICE_CLIENT_ID / SERVICE_CLIENT_SECRET (null without them),
 * one per distinct setting so every client of the process shares its tokens. The peer clients
 * (Heimdall's, Metis's) use it when they are not given one.
 */
export function serviceCallerFromEnv(env: Env = process.env): ServiceCaller | null {
  const settings = serviceIdentityFromEnv(env, { callerOnly: true });
  const issuer = serviceIssuerFromEnv(env);
  const key = JSON.stringify([settings.credentials, issuer]);
  let caller = fromEnv.get(key);
  if (caller === undefined) {
    caller =
      settings.credentials && (settings.credentials.tokenUrl || issuer)
        ? new ServiceCaller({ ...settings.credentials, ...(issuer ? { issuer } : {}) })
        : null;
    fromEnv.set(key, caller);
  }
  return caller;
}
