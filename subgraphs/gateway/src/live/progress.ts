import type { Db } from 'mongodb';
import { SequencedFeed, type BoundedQueue, type FeedNotice, type Logger } from '@dataos/subgraph-kit';

export type QueryPhase = 'PLANNING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'REFUSED';

/** One update of a running query, as every replica's subscribers receive it. */
export type ProgressItem = {
  queryId: string;
  /** Who runs it (a Heimdall subject id): only they, or history readers, see it. */
  subject: string;
  /** The cluster it runs on (queryChanges filters by it). */
  cluster: string;
  source: 'query' | 'preview';
  phase: QueryPhase;
  final: boolean;
  /** 0 to 1, when the engine reports it. */
  progress: number | null;
  /** Rows read so far (engine statistics), or the rows answered once finished. */
  rows: number;
  elapsedMs: number;
  error: { code: string; message: string } | null;
};

/** What a running query reports; never throws (progress must not fail a query). */
export interface ProgressReport {
  running(update: { progress: number | null; rows: number }): void;
  finished(item: Pick<ProgressItem, 'phase' | 'rows' | 'error'>): Promise<void>;
}

export const PROGRESS_COLLECTION = 'query_progress';

/**
 * Query progress on the kit's sequenced feed, so that a Workbench subscribed to one Gateway
 * replica sees a query another replica runs. Updates are throttled per query (`intervalMs`);
 * the first and the final one always go. Kept an hour.
 */
export class QueryProgressFeed {
  readonly feed: SequencedFeed<ProgressItem>;

  constructor(
    db: Db,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {
    this.feed = new SequencedFeed<ProgressItem>(db, PROGRESS_COLLECTION, {
      pollMs: 100,
      retentionMs: 3_600_000,
      logger,
    });
  }

  /**
   * Starts reporting a query: PLANNING now, RUNNING updates at most every `intervalMs` (only when
   * `updates`: someone follows this run with queryProgress), then the final state. Every query is
   * reported, so that queryChanges sees it start and end: two appends for a query nobody follows.
   */
  start(queryId: string, run: Pick<ProgressItem, 'subject' | 'cluster' | 'source'>, updates = true): ProgressReport {
    const started = performance.now();
    let last = 0;
    const publish = (item: Omit<ProgressItem, 'queryId' | 'subject' | 'cluster' | 'source' | 'elapsedMs'>) =>
      this.feed
        .append([{ queryId, ...run, elapsedMs: Math.round(performance.now() - started), ...item }])
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error, queryId }, 'query progress not published'));
    void publish({ phase: 'PLANNING', final: false, progress: null, rows: 0, error: null });
    return {
      running: ({ progress, rows }) => {
        if (!updates) return;
        const now = performance.now();
        if (now - last < this.intervalMs) return;
        last = now;
        void publish({ phase: 'RUNNING', final: false, progress, rows, error: null });
      },
      finished: ({ phase, rows, error }) =>
        publish({ phase, final: true, progress: phase === 'SUCCEEDED' ? 1 : null, rows, error }),
    };
  }
}

/** A subscriber's updates of one query, ending after the final one. */
export function untilFinal(queue: BoundedQueue<FeedNotice<ProgressItem>>): AsyncIterableIterator<ProgressItem> {
  let ended = false;
  const iterator: AsyncIterableIterator<ProgressItem> = {
    async next() {
      if (ended) return { value: undefined, done: true };
      const item = await queue.next();
      if (item.done) return { value: undefined, done: true };
      if (item.value.value.final) {
        ended = true;
        void queue.return();
      }
      return { value: item.value.value, done: false };
    },
    async return() {
      ended = true;
      await queue.return();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

/** One final update, for a query that finished before the subscription. */
export async function* onlyFinal(item: ProgressItem): AsyncGenerator<ProgressItem> {
  yield item;
}
