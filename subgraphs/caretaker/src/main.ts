import { settingsOrExit } from '@dataos/settings';
import { mongoFromEnv } from '@dataos/stores';
import { runUntilSignal } from '@dataos/subgraph-kit';
import { ServiceTokenSource } from '@dataos/heimdall-client';
import { serviceCallerFromEnv } from '@dataos/service-identity';
import { MetisResourceSync } from './metis/sync.js';
import { MetisResourceWriter } from './metis/writer.js';
import { createCaretakerSubgraph } from './server.js';
import { mainSettings } from './settings.js';
import { BatchingSink } from './source/batching-sink.js';
import { KubernetesPodSource } from './source/kubernetes.js';
import type { PodSource } from './source/source.js';

// Settings first: every bad variable is named, before anything connects to a store.
const settings = settingsOrExit('caretaker', () => mainSettings());
const mongo = await mongoFromEnv('CARETAKER', 'caretaker');
const subgraph = await createCaretakerSubgraph({
  mongo,
  kit: settings.kit,
  historyWindowMs: settings.historyWindowDays * 86_400_000,
  archiveBatchSize: settings.archiveBatch,
  liveRetentionMs: settings.liveRetentionMs,
  livePollMs: settings.livePollMs,
});
const running = await subgraph.listen(settings.port);
const { logger } = subgraph;

// Ingest: Kubernetes informers when a kubeconfig (or in-cluster access) is configured; otherwise
// events arrive through the `ingestEvents` mutation.
let source: PodSource | undefined;
let sink: BatchingSink | undefined;
if (settings.kube) {
  source = new KubernetesPodSource({ ...settings.kube, logger });
  sink = new BatchingSink({ write: subgraph.ingest, relisted: subgraph.relisted, logger });
  source.start(sink).catch((error: unknown) => logger.error({ err: error }, 'kubernetes source failed to start'));
} else {
  logger.info('no kubeconfig: events come through the ingestEvents mutation');
}

// Archive history older than the window, periodically (each replica may run it: batches are
// claimed, so concurrent runs never share an event).
const intervalMs = settings.archiveIntervalMs;
let archiving: Promise<unknown> = Promise.resolve();
const archive = () => {
  archiving = subgraph.archiver.run().catch((error: unknown) => logger.error({ err: error }, 'archiving failed'));
};
const timer = intervalMs > 0 ? setInterval(archive, intervalMs) : undefined;
if (timer) {
  timer.unref();
  setTimeout(archive, 10_000).unref();
}

// Merge rollup parts periodically (every replica may: merges are conditional on versions).
let compacting: Promise<unknown> = Promise.resolve();
const compact = () => {
  compacting = compacting
    .then(() => subgraph.rollups.compact())
    .catch((error: unknown) => logger.error({ err: error }, 'rollup compaction failed'));
};
const rollupTimer = settings.rollupIntervalMs > 0 ? setInterval(compact, settings.rollupIntervalMs) : undefined;
rollupTimer?.unref();

// The resources owning the pods become Metis resources (new ones within an interval; each
// replica may push: upserts are idempotent).
let syncing: Promise<unknown> = Promise.resolve();
let syncTimer: NodeJS.Timeout | undefined;
if (settings.metisSync) {
  const { metisUrl, intervalMs, credentials } = settings.metisSync;
  const serviceCaller = serviceCallerFromEnv();
  const tokens = new ServiceTokenSource(credentials, {
    timeoutMs: 5000,
    log: (details, message) => logger.warn(details, message),
  });
  const resourceSync = new MetisResourceSync(
    subgraph.collections,
    new MetisResourceWriter({
      url: metisUrl,
      token: () => tokens.token(),
      // Beside it, Caretaker's service token for Metis when it has a service identity (a Metis
      // with SERVICE_IDENTITY=required trusts caretaker's client as a caller).
      headers: async () => (await serviceCaller?.headers('metis')) ?? {},
    }),
  );
  const sync = () => {
    syncing = resourceSync.run().then(
      ({ failed, skipped, ...counts }) => {
        if (counts.pushed || failed.length)
          logger.info({ ...counts, failed: failed.length }, 'resources pushed to Metis');
        for (const f of failed.slice(0, 5)) logger.warn(f, 'a resource was not pushed to Metis; retried next run');
        if (skipped.length) logger.debug({ skipped }, 'resources Metis cannot hold');
      },
      (error: unknown) => logger.error({ err: error }, 'pushing resources to Metis failed'),
    );
  };
  syncTimer = setInterval(sync, intervalMs);
  syncTimer.unref();
  setTimeout(sync, 5000).unref();
}

runUntilSignal(async () => {
  clearInterval(timer);
  clearInterval(syncTimer);
  clearInterval(rollupTimer);
  await source?.stop();
  await sink?.stop();
  await running.stop();
  await subgraph.close();
  await archiving;
  await compacting;
  await syncing;
  await mongo.close();
}, logger);
