import { ErrorCode, serviceUnavailable, unauthenticated } from '@dataos/errors';
import { parseSettings, setting } from '@dataos/settings';
import { serviceCallerFromEnv, type ServiceCaller } from '@dataos/service-identity';

export interface Caller {
  token?: string;
  requestId?: string;
}

export interface MetisClientOptions {
  /** Metis's /graphql; defaults to METIS_URL or http://localhost:4002/graphql. */
  url?: string;
  /** Per request (METIS_TIMEOUT_MS, 5000). */
  timeoutMs?: number;
  /**
   * This service's own identity, sent beside the caller's token (X-Service-Authorization, audience
   * `dataos-svc:metis`); default: SERVICE_CLIENT_ID / SERVICE_CLIENT_SECRET, null for none.
   */
  serviceCaller?: ServiceCaller | null;
}

interface Answer<T> {
  data?: Record<string, T | null> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** Where a service finds Metis, for its own schema (checked with its other settings at start). */
export const METIS_CLIENT_SETTINGS = {
  METIS_URL: setting.url({ default: 'http://localhost:4002/graphql' }),
  METIS_TIMEOUT_MS: setting.durationMs({ default: 5000 }),
};

/** Aliased fields per Metis request: keeps one request well under Metis's body limit. */
export const MAX_URNS_PER_REQUEST = 250;
/** Field errors that only mean "this dataset does not exist for the caller". */
const HIDDEN = new Set<string>([ErrorCode.Forbidden, ErrorCode.NotFound, ErrorCode.BadUserInput]);

/**
 * The subgraphs that own no dataset facts (Odin, the Gateway) ask Metis, with the caller's token,
 * which datasets exist for the caller and what they hold: Metis decides readability with
 * Heimdall from the path, the tags and the domain, so every subgraph agrees with it.
 */
export class MetisClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly caller: ServiceCaller | null;

  constructor(options: MetisClientOptions = {}) {
    const env =
      options.url !== undefined && options.timeoutMs !== undefined ? undefined : parseSettings(METIS_CLIENT_SETTINGS);
    this.url = options.url ?? env!.METIS_URL;
    this.timeoutMs = options.timeoutMs ?? env!.METIS_TIMEOUT_MS;
    this.caller = options.serviceCaller === undefined ? serviceCallerFromEnv() : options.serviceCaller;
  }

  /**
   * `selection` of each dataset, in the order of `urns`; null where Metis shows the caller no
   * such dataset. Metis has no list-by-URN query, so each URN is an aliased `dataset(urn:)` field
   * (Metis batches them), at most MAX_URNS_PER_REQUEST per request. Fails closed: when Metis
   * cannot answer, nothing is shown (SERVICE_UNAVAILABLE); a token Metis refuses is UNAUTHENTICATED.
   */
  async datasets<T>(
    urns: readonly string[],
    selection: string,
    caller: Caller,
    operationName = 'DatasetsByUrn',
  ): Promise<(T | null)[]> {
    const chunks: Promise<(T | null)[]>[] = [];
    for (let i = 0; i < urns.length; i += MAX_URNS_PER_REQUEST) {
      chunks.push(this.fetchChunk<T>(urns.slice(i, i + MAX_URNS_PER_REQUEST), selection, caller, operationName));
    }
    return (await Promise.all(chunks)).flat();
  }

  private async fetchChunk<T>(
    urns: readonly string[],
    selection: string,
    caller: Caller,
    operationName: string,
  ): Promise<(T | null)[]> {
    if (!urns.length) return [];
    const vars = urns.map((_, i) => `$u${i}: ID!`).join(', ');
    const fields = urns.map((_, i) => `d${i}: dataset(urn: $u${i}) { ${selection} }`).join(' ');
    let answer: Answer<T>;
    const service = this.caller ? await this.caller.headers('metis') : undefined;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...service,
          ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
          ...(caller.requestId ? { 'x-request-id': caller.requestId } : {}),
        },
        body: JSON.stringify({
          query: `query ${operationName}(${vars}) { ${fields} }`,
          variables: Object.fromEntries(urns.map((u, i) => [`u${i}`, u])),
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      answer = (await res.json()) as Answer<T>;
    } catch (error) {
      throw serviceUnavailable('The catalog (Metis) could not be reached, so no dataset can be shown.', {
        cause: (error as Error).message,
      });
    }
    const errors = answer.errors ?? [];
    const refused = errors.find((e) => !e.path && e.extensions?.code === ErrorCode.Unauthenticated);
    if (refused) throw unauthenticated(refused.message);
    const fatal = errors.find((e) => !e.path || !HIDDEN.has(e.extensions?.code ?? ''));
    if (fatal || !answer.data)
      throw serviceUnavailable('The catalog (Metis) failed to answer.', { cause: fatal?.message ?? 'no data' });
    return urns.map((_, i) => answer.data![`d${i}`] ?? null);
  }
}
