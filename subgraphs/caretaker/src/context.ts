import type { HeimdallSession } from '@dataos/heimdall-client';
import type { BaseContext } from '@dataos/subgraph-kit';
import type DataLoader from 'dataloader';
import type { Archiver } from './archive/archiver.js';
import type { PodDoc } from './model.js';
import type { Collections } from './store/collections.js';
import type { HistoryStore } from './store/history.js';
import type { PodAggregates } from './store/pods.js';

export interface Context extends BaseContext {
  c: Collections;
  history: HistoryStore;
  archiver: Archiver;
  /** Decisions for this request's caller. */
  heimdall: HeimdallSession;
  /** Pods by `namespace/name`, batched per request (entity references). */
  podById: DataLoader<string, PodDoc | null>;
  /** Aggregates over all pods, computed at most once per request (node usage). */
  clusterAggregates: () => Promise<PodAggregates>;
}
