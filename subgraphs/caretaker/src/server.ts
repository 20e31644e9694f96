import { HeimdallClient } from '@dataos/heimdall-client';
import type { MongoStore } from '@dataos/stores';
import { createLogger, createSubgraph, kitSettingsFromEnv, loadTypeDefs, type KitSettings } from '@dataos/subgraph-kit';
import { Archiver } from './archive/archiver.js';
import { ArchiveReader } from './archive/reader.js';
import { PrefixedArchiveStore, archiveStoreFromEnv, type ArchiveStore } from './archive/store.js';
import type { Context } from './context.js';
import { createLoaders } from './loaders.js';
import type { ClusterEvent } from './model.js';
import { resolvers } from './resolvers.js';
import { archiveBatch, historyWindowDays, livePollMs, liveRetentionMs } from './settings.js';
import { collectionsOf, ensureIndexes } from './store/collections.js';
import { backfillRollups, type BackfillResult } from './store/backfill.js';
import { HistoryStore } from './store/history.js';
import { compactRollups } from './store/rollups.js';
import { ingestEvents, tombstoneMissing, type IngestOutcome } from './store/ingest.js';
import { createLiveFeed, publishIngested } from './live/feed.js';
import { podAggregates, type PodAggregates } from './store/pods.js';

export interface CaretakerDeps {
  mongo: MongoStore;
  /** Where decisions come from (default: HEIMDALL_URL). */
  heimdall?: HeimdallClient;
  /** Blob storage for archived history (default: ARCHIVE_S3_BUCKET, else CARETAKER_ARCHIVE_DIR). */
  archive?: ArchiveStore;
  /** History older than this is archived (default CARETAKER_HISTORY_WINDOW_DAYS, 7 days). */
  historyWindowMs?: number;
  /** Events per archive object (default CARETAKER_ARCHIVE_BATCH, 5000). */
  archiveBatchSize?: number;
  /** The kit's settings (port aside); by default read from the environment. */
  kit?: KitSettings;
  now?: () => Date;
  /** Live events are kept this long (default CARETAKER_LIVE_RETENTION_MS, 1 h). */
  liveRetentionMs?: number;
  /** How often each replica reads new live events when idle (default CARETAKER_LIVE_POLL_MS, 100 ms). */
  livePollMs?: number;
}

const DAY_MS = 86_400_000;

export async function createCaretakerSubgraph(deps: CaretakerDeps) {
  const kit = deps.kit ?? kitSettingsFromEnv();
  const logger = createLogger('caretaker', kit.logLevel);
  const c = collectionsOf(deps.mongo.db);
  await ensureIndexes(c);
  const heimdall = deps.heimdall ?? new HeimdallClient();
  // Objects of one database stay under its own prefix (several databases may share a bucket).
  const store = new PrefixedArchiveStore(
    deps.archive ?? (await archiveStoreFromEnv()),
    `${deps.mongo.db.databaseName}/`,
  );
  const warn = (message: string) => logger.warn(message);
  const reader = new ArchiveReader(store, 32, warn);
  const history = new HistoryStore(c, reader, warn);
  const archiver = new Archiver(c, reader, {
    windowMs: deps.historyWindowMs ?? historyWindowDays() * DAY_MS,
    batchSize: deps.archiveBatchSize ?? archiveBatch(),
    ...(deps.now ? { now: deps.now } : {}),
    log: (message, details) => logger.info(details ?? {}, message),
  });

  // Rollups: the one-time backfill runs in the background (podEventStats reads the raw history
  // until it is done); compaction is periodic in main.ts and callable here.
  const backfilled: Promise<BackfillResult | null> = backfillRollups(c, reader, new Date(), warn).catch(
    (error: unknown) => {
      logger.error(
        { err: error },
        'rollup backfill failed; podEventStats reads the raw history until a restart completes it',
      );
      return null;
    },
  );

  // Live events: every replica appends what it ingests and tails what all of them appended.
  const live = createLiveFeed(deps.mongo.db, {
    retentionMs: deps.liveRetentionMs ?? liveRetentionMs(),
    pollMs: deps.livePollMs ?? livePollMs(),
    logger,
  });
  await live.start();
  const ingestAndPublish = async (events: ClusterEvent[]) => {
    const outcomes: IngestOutcome[] = [];
    const now = new Date();
    const result = await ingestEvents(c, events, now, { outcomes });
    await publishIngested(live, events, outcomes, now);
    return result;
  };

  const subgraph = await createSubgraph<Context>({
    name: 'caretaker',
    logger,
    settings: kit,
    typeDefs: loadTypeDefs(new URL('../schema.graphql', import.meta.url)),
    resolvers,
    health: () => deps.mongo.ping(),
    context: (base) => {
      let aggregates: Promise<PodAggregates> | undefined;
      return {
        ...base,
        c,
        history,
        archiver,
        heimdall: heimdall.session(base.token, base.requestId),
        live,
        liveBuffer: kit.subscriptions.bufferEvents,
        now: new Date(),
        ...createLoaders(c, history),
        clusterAggregates: () => (aggregates ??= podAggregates(c, {})),
      };
    },
  });

  return Object.assign(subgraph, {
    collections: c,
    archiver,
    history,
    archive: store,
    /** Records events (informer path; the GraphQL mutation validates and calls the same). */
    ingest: ingestAndPublish,
    live,
    /** Stops tailing the live feed (after the server stopped). */
    close: () => live.stop(),
    rollups: {
      /** The start-up backfill (null when it failed). */
      backfilled,
      /** Merges rollup parts (and finishes what stopped writers left); safe on every replica at once. */
      compact: () => compactRollups(c),
    },
    /** Tombstones what a full listing no longer shows. */
    relisted: async (kind: 'Pod' | 'Node', present: ReadonlySet<string>, listResourceVersion: number) => {
      const deletions: ClusterEvent[] = [];
      const now = new Date();
      const written = await tombstoneMissing(c, kind, present, listResourceVersion, now, deletions);
      // Deleted while nobody watched: subscribers see the DELETED event like any other.
      await publishIngested(
        live,
        deletions,
        deletions.map(() => 'applied'),
        now,
      );
      return written;
    },
  });
}

export type CaretakerSubgraph = Awaited<ReturnType<typeof createCaretakerSubgraph>>;
