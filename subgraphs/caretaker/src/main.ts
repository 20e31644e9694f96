import { settingsOrExit } from '@dataos/settings';
import { mongoFromEnv } from '@dataos/stores';
import { runUntilSignal } from '@dataos/subgraph-kit';
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

runUntilSignal(async () => {
  clearInterval(timer);
  clearInterval(rollupTimer);
  await source?.stop();
  await sink?.stop();
  await running.stop();
  await subgraph.close();
  await archiving;
  await compacting;
  await mongo.close();
}, logger);
