import cluster from 'node:cluster';
import { pino } from 'pino';
import { clusterMetricsProvider, serveClusterMetrics } from './cluster-metrics.js';
import { configFromEnv } from './config.js';
import { RouterMetrics } from './metrics.js';
import { startRouter } from './server.js';

const logger = pino({ name: 'router', level: process.env.LOG_LEVEL ?? 'info' });
const config = configFromEnv();

if (config.workers > 1 && cluster.isPrimary) {
  // ROUTER_WORKERS=n: n processes share the port (node:cluster); a worker that dies is replaced.
  let stopping = false;
  serveClusterMetrics();
  const fork = () => cluster.fork();
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code, signal }, 'router worker exited; starting another');
    setTimeout(fork, 500);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      const deadline = setTimeout(() => process.exit(1), 15_000);
      cluster.on('exit', () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) {
          clearTimeout(deadline);
          process.exit(0);
        }
      });
    });
  }
  logger.info({ workers: config.workers, port: config.port }, 'router primary started');
} else {
  const metrics = new RouterMetrics();
  const router = await startRouter(
    config,
    logger,
    cluster.isWorker ? { metrics, metricsText: clusterMetricsProvider(metrics.registry) } : { metrics },
  );
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      router.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
