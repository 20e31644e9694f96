import DataLoader from 'dataloader';
import { MAX_URNS_PER_REQUEST, MetisClient, type MetisClientOptions } from '@dataos/metis-client';

/** What Odin needs to know of a Metis dataset the caller may read. */
export interface CatalogDataset {
  urn: string;
  tags: string[];
  /** Null when the dataset has none, or the caller may not read its domain. */
  domain: string | null;
  columns: string[];
}

interface MetisDataset {
  urn: string;
  tags?: string[];
  domain?: { name: string } | null;
  columns?: { name: string }[];
}

const VISIBLE = 'urn';
const DETAILS = 'urn tags domain { name } columns { name }';

/**
 * Odin owns no dataset facts (tags, domain, existence), so Metis decides which datasets exist
 * for the caller. One per process; `session()` once per request, with the caller's bearer token.
 */
export class MetisCatalog {
  private readonly client: MetisClient;

  constructor(options: MetisClientOptions = {}) {
    this.client = new MetisClient(options);
  }

  get url(): string {
    return this.client.url;
  }

  /** `schedule` dispatches each batch (a DataLoader `batchScheduleFn`; see StoreActivity). */
  session(token: string | undefined, requestId: string | undefined, schedule: BatchSchedule): MetisSession {
    return new MetisSession(schedule, async (urns, selection) =>
      (
        await this.client.datasets<MetisDataset>(
          urns,
          selection,
          { token, requestId },
          { operationName: 'OdinDatasets' },
        )
      ).map((d, i) =>
        d
          ? {
              urn: urns[i]!,
              tags: d.tags ?? [],
              domain: d.domain?.name ?? null,
              columns: (d.columns ?? []).map((c) => c.name),
            }
          : null,
      ),
    );
  }
}

type Fetch = (urns: readonly string[], selection: string) => Promise<(CatalogDataset | null)[]>;
type BatchSchedule = (dispatch: () => void) => void;

/** Per request: every URN asked about in one wave goes to Metis in one call, and each answer is cached. */
export class MetisSession {
  private readonly visibleLoader: DataLoader<string, boolean>;
  private readonly detailsLoader: DataLoader<string, CatalogDataset | null>;

  constructor(schedule: BatchSchedule, fetchDatasets: Fetch) {
    const options = { maxBatchSize: MAX_URNS_PER_REQUEST, batchScheduleFn: schedule };
    this.visibleLoader = new DataLoader(
      async (urns) => (await fetchDatasets(urns, VISIBLE)).map((d) => d !== null),
      options,
    );
    this.detailsLoader = new DataLoader((urns) => fetchDatasets(urns, DETAILS), options);
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
