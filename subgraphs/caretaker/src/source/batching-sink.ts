import type { Logger } from '@dataos/subgraph-kit';
import type { ClusterEvent } from '../model.js';
import type { EventSink } from './source.js';

export interface BatchingSinkOptions {
  write(events: ClusterEvent[]): Promise<unknown>;
  relisted(kind: 'Pod' | 'Node', present: ReadonlySet<string>, listResourceVersion: number): Promise<unknown>;
  /** Flush at this many buffered events (default 1000). */
  maxBatch?: number;
  /** ... or after this long (default 500 ms). */
  maxDelayMs?: number;
  logger?: Pick<Logger, 'warn' | 'info'>;
}

/**
 * Buffers events and writes them in bulk, one write at a time. A failed write is retried with
 * backoff, keeping the events (ingest is idempotent, so a retry never doubles anything).
 */
export class BatchingSink implements EventSink {
  private buffer: ClusterEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private failures = 0;
  /** Size of the batch that failed last, retried as is. */
  private retrying: number | undefined;
  private stopped = false;

  constructor(private readonly options: BatchingSinkOptions) {}

  push(events: ClusterEvent[]): void {
    if (this.stopped || !events.length) return;
    this.buffer.push(...events);
    if (this.buffer.length >= (this.options.maxBatch ?? 1000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.maxDelayMs ?? 500);
  }

  async relisted(kind: 'Pod' | 'Node', present: ReadonlySet<string>, listResourceVersion: number): Promise<void> {
    await this.flush();
    await this.options.relisted(kind, present, listResourceVersion);
  }

  /** Writes what is buffered now (waits for a write in progress first). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  private async writeBuffered(): Promise<void> {
    const max = this.options.maxBatch ?? 1000;
    while (this.buffer.length) {
      // A failed batch is retried as it was (not topped up with newer events): the same events
      // make the same batch id, so its rollup part is the one the failed attempt may have begun.
      const batch = this.buffer.slice(0, this.retrying ?? max);
      this.retrying = batch.length;
      try {
        await this.options.write(batch);
        this.retrying = undefined;
        this.buffer.splice(0, batch.length);
        this.failures = 0;
      } catch (error) {
        this.failures++;
        const delay = Math.min(30_000, 250 * 2 ** this.failures);
        this.options.logger?.warn(
          { err: error, retryInMs: delay, buffered: this.buffer.length },
          'caretaker ingest failed',
        );
        if (this.stopped) throw error;
        this.timer ??= setTimeout(() => void this.flush(), delay);
        return;
      }
    }
  }

  get pending(): number {
    return this.buffer.length;
  }

  async stop(): Promise<void> {
    await this.flush();
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
