import { createWriteStream, type WriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@dataos/subgraph-kit';
import type { DecisionDoc } from '../store/collections.js';
import { exportedEntry, type Redactable } from './redact.js';

/** What an export has done since start: what `decisionLogExport` answers. */
export interface ExportStats {
  sink: string;
  exported: number;
  dropped: number;
  queued: number;
  failedBatches: number;
}

export interface DecisionExporter {
  push(entry: DecisionDoc): void;
  stats(): ExportStats;
  /** Sends what is queued (bounded by `timeoutMs`), then stops. */
  close(timeoutMs?: number): Promise<void>;
}

/** Past this much unwritten output a stream is not keeping up: entries are dropped and counted. */
const MAX_STREAM_BACKLOG = 8 * 1024 * 1024;

/** JSON lines on stdout or appended to a file. */
export class StreamExporter implements DecisionExporter {
  private exported = 0;
  private dropped = 0;
  private readonly stream: NodeJS.WritableStream & { writableLength: number };
  private readonly file: WriteStream | null;

  constructor(
    private readonly target: 'stdout' | { file: string },
    private readonly redact: ReadonlySet<Redactable>,
    logger: Logger,
  ) {
    this.file = target === 'stdout' ? null : createWriteStream(target.file, { flags: 'a' });
    this.file?.on('error', (error) => logger.error({ err: error }, 'decision export file failed'));
    this.stream = this.file ?? process.stdout;
  }

  push(entry: DecisionDoc): void {
    if (this.stream.writableLength > MAX_STREAM_BACKLOG) {
      this.dropped++;
      return;
    }
    this.stream.write(`${JSON.stringify(exportedEntry(entry, this.redact))}\n`);
    this.exported++;
  }

  stats(): ExportStats {
    const sink = this.target === 'stdout' ? 'stdout' : `file:${this.target.file}`;
    return { sink, exported: this.exported, dropped: this.dropped, queued: 0, failedBatches: 0 };
  }

  async close(): Promise<void> {
    const file = this.file;
    if (file) await new Promise<void>((done) => file.end(done));
  }
}

export interface WebhookOptions {
  url: string;
  /** Entries per POST (100). */
  batch: number;
  /** Entries waiting at most; past it new ones are dropped and counted (10,000). */
  queue: number;
  /** Attempts per batch, with doubling pauses from `retryMs` (3, 500 ms). */
  attempts: number;
  retryMs: number;
  timeoutMs: number;
  /** How long a partial batch waits for more entries (1000 ms). */
  flushMs: number;
}

/**
 * Batches POSTed as JSON (`{ "decisions": [...] }`) to a webhook: a bounded queue (what does not
 * fit is dropped and counted, never held in memory without limit), one batch in flight, retries
 * with doubling pauses on a network error or a 5xx/429, then the batch is dropped and counted.
 */
export class WebhookExporter implements DecisionExporter {
  private readonly queue: DecisionDoc[] = [];
  private exported = 0;
  private dropped = 0;
  private failedBatches = 0;
  private sending: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly options: WebhookOptions,
    private readonly redact: ReadonlySet<Redactable>,
    private readonly logger: Logger,
  ) {}

  push(entry: DecisionDoc): void {
    if (this.closed || this.queue.length >= this.options.queue) {
      this.dropped++;
      return;
    }
    this.queue.push(entry);
    if (this.queue.length >= this.options.batch) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.options.flushMs).unref();
  }

  stats(): ExportStats {
    return {
      sink: `webhook:${new URL(this.options.url).origin}`,
      exported: this.exported,
      dropped: this.dropped,
      queued: this.queue.length,
      failedBatches: this.failedBatches,
    };
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sending ??= this.drain().finally(() => {
      this.sending = null;
      if (this.queue.length && !this.closed) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.options.batch);
      if (await this.send(batch)) this.exported += batch.length;
      else {
        this.dropped += batch.length;
        this.failedBatches++;
        this.logger.error(
          { dropped: batch.length, droppedTotal: this.dropped },
          'decision export: webhook refused a batch after every retry; dropped',
        );
      }
    }
  }

  private async send(batch: DecisionDoc[]): Promise<boolean> {
    const body = JSON.stringify({ decisions: batch.map((e) => exportedEntry(e, this.redact)) });
    for (let attempt = 0; attempt < this.options.attempts; attempt++) {
      if (attempt) await sleep(this.options.retryMs * 2 ** (attempt - 1));
      try {
        const res = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
        await res.body?.cancel();
        if (res.ok) return true;
        // A client error other than 429 will not change on retry.
        if (res.status < 500 && res.status !== 429) return false;
      } catch {
        // network error or timeout: retried
      }
    }
    return false;
  }

  async close(timeoutMs = 5000): Promise<void> {
    this.kick();
    await Promise.race([this.sending, sleep(timeoutMs)]);
    this.closed = true;
  }
}
