import type { HeimdallSession } from '@dataos/heimdall-client';
import type { BaseContext, CursorCodec } from '@dataos/subgraph-kit';
import type { DatasetAccess } from './dataset-access.js';
import type { CatalogStore } from './store/catalog.js';
import type { CatalogLoaders } from './store/loaders.js';
import type { CatalogWriter } from './store/writes.js';
import type { Neo4jStore } from '@dataos/stores';
import type { ScanService } from './scan/service.js';
import type { ScanStore } from './scan/store.js';
import type { UsageStore } from './usage/store.js';
import type DataLoader from 'dataloader';
import type { ProfileService } from './profile/service.js';
import type { ProfileStore } from './profile/store.js';

export interface Context extends BaseContext {
  store: CatalogStore;
  writer: CatalogWriter;
  loaders: CatalogLoaders;
  /** The request's Heimdall session: single checks through the kit's `requireAllowed` / `isAllowed`. */
  heimdall: HeimdallSession;
  /** Lists of what the caller may read, and a mutation's writes at once, on the same session. */
  access: DatasetAccess;
  cursors: CursorCodec;
  /** Depot scans (METIS_SCANS): runs on demand, their records, and the keys they found. */
  scans: { service: ScanService; store: ScanStore; neo4j: Neo4jStore };
  /** Usage from the Gateway's query history (recordQueryUsage, Dataset.usage). */
  usage: UsageStore;
  /** Profiles through the Gateway: runs (null without a Gateway), and the reader's masks per dataset. */
  profiles: {
    service: ProfileService | null;
    store: ProfileStore;
    readerMasks: DataLoader<string, Set<string> | null> | null;
  };
}
