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

/**
 * Aliased `dataset` fields per Metis request, at most: each counts as a root field and an alias,
 * and Metis refuses more than MAX_ROOT_FIELDS (20) and MAX_ALIASES (30) per operation, as the router does.
 */
export const MAX_URNS_PER_REQUEST = 20;
/** Requests of one call in flight at once: a big selection costs Metis a bounded amount of work at a time. */
export const MAX_CONCURRENT_REQUESTS = 4;

export interface DatasetsOptions {
  /** The operation's name, as Metis logs it. */
  operationName?: string;
  /**
   * Datasets per request (1..MAX_URNS_PER_REQUEST, the default). Metis estimates an operation's cost
   * (MAX_COST, 10,000) from the selection times the datasets: a caller with a costly selection
   * passes the count whose estimate fits, with a margin (see the Gateway's catalog).
   */
  maxPerRequest?: number;
}

/** The request for `count` datasets: aliased `dataset(urn:)` fields `d0`.. with variables `u0`.. (Metis batches them). */
export function datasetsQuery(count: number, selection: string, operationName = 'DatasetsByUrn'): string {
  const vars = Array.from({ length: count }, (_, i) => `$u${i}: ID!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `d${i}: dataset(urn: $u${i}) { ${selection} }`).join(' ');
  return `query ${operationName}(${vars}) { ${fields} }`;
}

/** Runs `tasks` with at most `limit` in flight; rejects with the first failure. */
async function bounded<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

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
   * (Metis batches them), `maxPerRequest` per request, MAX_CONCURRENT_REQUESTS requests at a time.
   * Fails closed: when Metis cannot answer or refuses any request (a limit included), the whole call
   * fails (SERVICE_UNAVAILABLE), never a partial answer; a token Metis refuses is UNAUTHENTICATED.
   */
  async datasets<T>(
    urns: readonly string[],
    selection: string,
    caller: Caller,
    options: DatasetsOptions = {},
  ): Promise<(T | null)[]> {
    const { operationName = 'DatasetsByUrn', maxPerRequest = MAX_URNS_PER_REQUEST } = options;
    if (!Number.isInteger(maxPerRequest) || maxPerRequest < 1 || maxPerRequest > MAX_URNS_PER_REQUEST)
      throw new RangeError(`maxPerRequest must be an integer in 1..${MAX_URNS_PER_REQUEST}, not ${maxPerRequest}`);
    const tasks: (() => Promise<(T | null)[]>)[] = [];
    for (let i = 0; i < urns.length; i += maxPerRequest) {
      const chunk = urns.slice(i, i + maxPerRequest);
      tasks.push(() => this.fetchChunk<T>(chunk, selection, caller, operationName));
    }
    return (await bounded(tasks, MAX_CONCURRENT_REQUESTS)).flat();
  }

  private async fetchChunk<T>(
    urns: readonly string[],
    selection: string,
    caller: Caller,
    operationName: string,
  ): Promise<(T | null)[]> {
    if (!urns.length) return [];
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
          query: datasetsQuery(urns.length, selection, operationName),
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
      throw serviceUnavailable('The catalog (Metis) failed to answer.', {
        cause: fatal?.message ?? 'no data',
        ...(fatal?.extensions?.code ? { metisCode: fatal.extensions.code } : {}),
      });
    return urns.map((_, i) => answer.data![`d${i}`] ?? null);
  }
}
