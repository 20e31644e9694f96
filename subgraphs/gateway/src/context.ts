import type { HeimdallClient, HeimdallSession } from '@dataos/heimdall-client';
import type { BaseContext } from '@dataos/subgraph-kit';
import type { ColumnCatalog } from './catalog.js';
import type { ClusterMonitor, ClusterStore } from './clusters.js';
import type { EngineRegistry } from './engines/registry.js';
import type { QueryHistory } from './history.js';
import type { QueryProgressFeed } from './live/progress.js';
import type { MaskKeyring } from './policies/keys.js';
import type { DataPolicyStore } from './policies/store.js';
import type { Subject } from './policies/subject.js';
import type { QueryService } from './query.js';
import type { QueryRewriter } from './sql/pipeline.js';

/** Process-wide parts of the Gateway. */
export interface GatewayServices {
  clusters: ClusterStore;
  monitor: ClusterMonitor;
  engines: EngineRegistry;
  policies: DataPolicyStore;
  keys: MaskKeyring;
  history: QueryHistory;
  queries: QueryService;
  rewriter: QueryRewriter;
  catalog: ColumnCatalog;
  heimdall: HeimdallClient;
  /** Progress of runs with a caller-chosen id (queryProgress), from every replica. */
  progress: QueryProgressFeed;
  /** Events waiting per subscriber at most (the kit's SUBSCRIPTION_BUFFER). */
  liveBuffer: number;
  /** The cluster used when none is named, and for previews. */
  defaultCluster: string;
}

export interface Context extends BaseContext {
  gateway: GatewayServices;
  /** The caller's Heimdall decisions, batched per request. */
  heimdall: HeimdallSession;
  /** The caller with Heimdall's tags (one `whoami` per request). */
  subject(): Promise<Subject>;
}
