import cluster from 'node:cluster';
import { pino } from 'pino';
import { clusterMetricsProvider, serveClusterMetrics } from './cluster-metrics.js';
import { configFromEnv } from './config.js';
import { RouterMetrics } from './metrics.js';
import { startRouter } from './server.js';
import { workerExecArgv, workersFromEnv } from './workers.js';

const logger = pino({ name: 'router', level: process.env.LOG_LEVEL ?? 'info' });
const config = configFromEnv();
// ROUTER_WORKERS unset: a worker per core the router may use (src/workers.ts).
const workers = workersFromEnv(process.env.ROUTER_WORKERS, config.workers);
/** Workers in a row that die before listening, after which the primary gives up. */
const MAX_FAILED_STARTS = 3;

if (workers > 1 && cluster.isPrimary) {
  // ROUTER_WORKERS=n: n processes share the port (node:cluster); a worker that dies is replaced.
  let stopping = false;
  serveClusterMetrics();
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, process.env.NODE_OPTIONS) });
  const fork = () => cluster.fork();
  for (let i = 0; i < workers; i++) fork();
  // A worker that dies before it listens cannot start (bad settings, a refused engine check):
  // forking it again forever would only hide that, so a few such exits in a row end the router.
  const listened = new Set<number>();
  let failedStarts = 0;
  cluster.on('listening', (worker) => {
    listened.add(worker.id);
    failedStarts = 0;
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (!listened.delete(worker.id) && ++failedStarts >= MAX_FAILED_STARTS) {
      logger.fatal({ code, signal, failedStarts }, 'router workers exit before they listen; giving up');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      return;
    }
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
  logger.info({ workers, port: config.port }, 'router primary started');
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
