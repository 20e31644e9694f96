import type { Logger } from '@dataos/subgraph-kit';
import type { CatalogWriter } from '../store/writes.js';
import { redact, type ScanTarget } from './config.js';
import { DuckDbReader } from './duckdb.js';
import type { CatalogReader } from './model.js';
import { PostgresReader } from './postgres.js';
import { scanOnce } from './scanner.js';
import { NO_COUNTS, type ScanRunRecord, type ScanStore, type ScanTrigger } from './store.js';
import { TrinoReader } from './trino.js';
import { ViewParser } from './view-lineage.js';

export function readerFor(target: ScanTarget): CatalogReader {
  switch (target.type) {
    case 'postgres':
      return new PostgresReader(target);
    case 'trino':
      return new TrinoReader(target);
    case 'duckdb':
      return new DuckDbReader(target);
  }
}

/** A scheduled scan waits this long after start, so that a replica's start-up is not slowed by it. */
const FIRST_DELAY_MS = 3000;

/**
 * The configured scans (METIS_SCANS): on demand through `run`, and each on its own schedule.
 * A run is recorded (started, finished, counts, errors); one depot is scanned by one replica at
 * a time (the store's lock). Logs name the depot and counts, never a URL or a password.
 */
export class ScanService {
  private readonly timers = new Set<NodeJS.Timeout>();
  private parser: Promise<ViewParser> | undefined;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly targets: ScanTarget[],
    private readonly deps: { writer: CatalogWriter; store: ScanStore; logger: Logger },
  ) {}

  target(depot: string): ScanTarget | undefined {
    return this.targets.find((t) => t.depot === depot);
  }

  /**
   * Scans `depot` now and answers its run: finished when `wait`, else at once (RUNNING), the scan
   * going on in the background. When a scan of it is already under way (here or on another
   * replica), answers that run instead of starting a second one.
   */
  async run(target: ScanTarget, trigger: ScanTrigger, requestedBy: string | null, wait = true): Promise<ScanRunRecord> {
    const { store, writer, logger } = this.deps;
    const run = await store.start(target.depot, trigger, requestedBy);
    if (!run) {
      const busy = await store.running(target.depot);
      if (busy) return busy;
      throw new Error(`a scan of ${target.depot} is under way`);
    }
    const work = (async () => {
      try {
        this.parser ??= ViewParser.create();
        const outcome = await scanOnce(target, readerFor(target), { writer, store, parser: await this.parser });
        const status = outcome.errors.length ? 'PARTIAL' : 'SUCCEEDED';
        const done = await store.finish(run.id, status, outcome.counts, outcome.errors);
        logger.info({ depot: target.depot, run: run.id, trigger, status, ...outcome.counts }, 'scan finished');
        return done;
      } catch (error) {
        const message = redact((error as Error).message ?? String(error), target);
        logger.warn({ depot: target.depot, run: run.id, trigger, error: message }, 'scan failed');
        return store.finish(run.id, 'FAILED', NO_COUNTS, [message]);
      }
    })();
    // Never an unhandled rejection from a background scan (recording FAILED may fail too).
    const settled = work.catch((error: unknown) => {
      logger.warn({ depot: target.depot, run: run.id, error: redact(String(error), target) }, 'scan not recorded');
      return run;
    });
    this.inFlight.add(settled);
    void settled.finally(() => this.inFlight.delete(settled));
    return wait ? await work : run;
  }

  /** Starts every scheduled scan: the first shortly after start, then every `everySeconds`. */
  start(): void {
    for (const target of this.targets) {
      if (target.everySeconds <= 0) continue;
      const tick = (delay: number) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (this.stopped) return;
          void this.run(target, 'SCHEDULE', null)
            .catch((error: unknown) =>
              this.deps.logger.warn(
                { depot: target.depot, error: redact((error as Error).message, target) },
                'scheduled scan not started',
              ),
            )
            .finally(() => {
              if (!this.stopped) tick(target.everySeconds * 1000);
            });
        }, delay);
        timer.unref();
        this.timers.add(timer);
      };
      tick(Math.min(FIRST_DELAY_MS, target.everySeconds * 1000));
    }
  }

  /** Stops the schedules and waits for scans under way (their runs are then finished, not left RUNNING). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
    if (this.parser) (await this.parser).close();
    this.parser = undefined;
  }
}
