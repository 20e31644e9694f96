import type { HeimdallSession } from '@dataos/heimdall-client';
import type { BaseContext } from '@dataos/subgraph-kit';
import type { Archiver } from './archive/archiver.js';
import type { LiveFeed } from './live/feed.js';
import type { Loaders } from './loaders.js';
import type { Collections } from './store/collections.js';
import type { HistoryStore } from './store/history.js';
import type { PodAggregates } from './store/pods.js';

export interface Context extends BaseContext, Loaders {
  c: Collections;
  history: HistoryStore;
  archiver: Archiver;
  /** Decisions for this request's caller. */
  heimdall: HeimdallSession;
  /** When the request started: default time ranges are the same for every parent (and batch together). */
  now: Date;
  /** The live event feed of every replica (subscriptions). */
  live: LiveFeed;
  /** Events waiting per subscriber at most (the kit's SUBSCRIPTION_BUFFER). */
  liveBuffer: number;
  /** Aggregates over all pods, computed at most once per request (node usage). */
  clusterAggregates: () => Promise<PodAggregates>;
}
