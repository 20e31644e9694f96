import DataLoader from 'dataloader';
import { ErrorCode, serviceUnavailable, unauthenticated } from '@dataos/errors';

/** What Odin needs to know of a Metis dataset the caller may read. */
export interface CatalogDataset {
  urn: string;
  tags: string[];
  /** Null when the dataset has none, or the caller may not read its domain. */
  domain: string | null;
  columns: string[];
}

interface Answer {
  data?: Record<string, { urn: string; tags?: string[]; domain?: { name: string } | null; columns?: { name: string }[] } | null> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** Aliased fields per Metis request: keeps one request well under Metis's body limit. */
const MAX_BATCH = 250;
const VISIBLE = 'urn';
const DETAILS = 'urn tags domain { name } columns { name }';
/** Field errors that only mean "this dataset does not exist for the caller". */
const HIDDEN = new Set<string>([ErrorCode.Forbidden, ErrorCode.NotFound, ErrorCode.BadUserInput]);

export interface MetisOptions {
  /** Metis's /graphql; defaults to METIS_URL or http://localhost:4002/graphql. */
  url?: string;
  timeoutMs?: number;
}

/**
 * Odin owns no dataset facts (tags, domain, existence), so Metis decides which datasets exist
 * for the caller: Metis asks Heimdall with the path, the tags and `dataos:domain:<d>`. One per
 * process; `session()` once per request, with the caller's bearer token.
 */
export class MetisCatalog {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(options: MetisOptions = {}) {
    this.url = options.url ?? process.env.METIS_URL ?? 'http://localhost:4002/graphql';
    this.timeoutMs = options.timeoutMs ?? Number(process.env.METIS_TIMEOUT_MS ?? 5000);
  }

  session(token: string | undefined, requestId?: string): MetisSession {
    return new MetisSession((urns, selection) => this.fetchDatasets(urns, selection, token, requestId));
  }

  /**
   * One request for many URNs: Metis has no `datasets(urns:)` query, so each URN is an aliased
   * `dataset(urn:)` field (Metis batches those per request). Fails closed.
   */
  private async fetchDatasets(
    urns: readonly string[],
    selection: string,
    token: string | undefined,
    requestId: string | undefined,
  ): Promise<(CatalogDataset | null)[]> {
    const vars = urns.map((_, i) => `$u${i}: ID!`).join(', ');
    const fields = urns.map((_, i) => `d${i}: dataset(urn: $u${i}) { ${selection} }`).join(' ');
    let answer: Answer;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        body: JSON.stringify({ query: `query OdinDatasets(${vars}) { ${fields} }`, variables: Object.fromEntries(urns.map((u, i) => [`u${i}`, u])) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      answer = (await res.json()) as Answer;
    } catch (error) {
      throw serviceUnavailable('The catalog (Metis) could not be reached, so no dataset can be shown.', { cause: (error as Error).message });
    }
    const errors = answer.errors ?? [];
    const refused = errors.find((e) => !e.path && e.extensions?.code === ErrorCode.Unauthenticated);
    if (refused) throw unauthenticated(refused.message);
    const fatal = errors.find((e) => !e.path || !HIDDEN.has(e.extensions?.code ?? ''));
    if (fatal || !answer.data) throw serviceUnavailable('The catalog (Metis) failed to answer.', { cause: fatal?.message ?? 'no data' });
    return urns.map((urn, i) => {
      const d = answer.data![`d${i}`];
      return d ? { urn, tags: d.tags ?? [], domain: d.domain?.name ?? null, columns: (d.columns ?? []).map((c) => c.name) } : null;
    });
  }
}

type Fetch = (urns: readonly string[], selection: string) => Promise<(CatalogDataset | null)[]>;

/** Per request: every URN asked about in a tick goes to Metis in one call, and each answer is cached. */
export class MetisSession {
  private readonly visibleLoader: DataLoader<string, boolean>;
  private readonly detailsLoader: DataLoader<string, CatalogDataset | null>;

  constructor(fetchDatasets: Fetch) {
    this.visibleLoader = new DataLoader(async (urns) => (await fetchDatasets(urns, VISIBLE)).map((d) => d !== null), { maxBatchSize: MAX_BATCH });
    this.detailsLoader = new DataLoader((urns) => fetchDatasets(urns, DETAILS), { maxBatchSize: MAX_BATCH });
  }

  /** Whether the dataset exists and the caller may read it, as Metis says. */
  canRead(urn: string): Promise<boolean> {
    return this.visibleLoader.load(urn);
  }

  /** The dataset with its tags, domain and column names; null when it does not exist for the caller. */
  async dataset(urn: string): Promise<CatalogDataset | null> {
    const d = await this.detailsLoader.load(urn);
    this.visibleLoader.prime(urn, d !== null);
    return d;
  }

  /** Items whose dataset Metis shows the caller, in their order. */
  async filterReadable<T>(items: readonly T[], urnOf: (item: T) => string): Promise<T[]> {
    const allowed = await Promise.all(items.map((item) => this.canRead(urnOf(item))));
    return items.filter((_, i) => allowed[i]);
  }
}
