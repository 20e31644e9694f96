import type { Db } from 'mongodb';
import { ServiceTokenSource } from '@dataos/heimdall-client';
import { serviceCallerFromEnv } from '@dataos/service-identity';
import type { Logger } from '@dataos/subgraph-kit';
import { QueryHistory, type QueryDoc } from './history.js';

/** Queries per request (Metis accepts at most 200). */
export const USAGE_BATCH = 200;
/** Queries waiting for Metis at most; beyond, the oldest are dropped (and counted). */
export const USAGE_QUEUE_MAX = 10_000;

export interface UsageReporterOptions {
  /** Metis's /graphql. */
  url: string;
  /** The Gateway's own access token (client_credentials): Heimdall sees its service principal. */
  token: () => Promise<string>;
  /** X-Service-Authorization when Metis requires service identity. */
  headers?: () => Promise<Record<string, string>>;
  /** Wait before sending a batch that is not full (1 s). */
  flushMs?: number;
  timeoutMs?: number;
  logger?: Pick<Logger, 'warn'>;
}

interface Usage {
  queryId: string;
  subject: string;
  sql: string;
  datasets: string[];
  finishedAt: string;
}

const MUTATION = `mutation GatewayQueryUsage($queries: [QueryUsageInput!]!) {
  recordQueryUsage(queries: $queries) { recorded duplicates skipped }
}`;

/**
 * Push, not pull: each successful query's datasets go to Metis (`recordQueryUsage`) in batches,
 * as the Gateway's service principal, after its history record is written. Metis keys each
 * (query id, dataset) once, so a retried batch or another replica's report never counts twice.
 * Bounded: a queue of at most USAGE_QUEUE_MAX, batches of USAGE_BATCH, one request at a time,
 * backing off (up to a minute) while Metis cannot answer. Usage is best effort: a query never
 * waits for it or fails because of it.
 */
export class UsageReporter {
  private queue: Usage[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private backoffMs = 0;
  dropped = 0;
  sent = 0;

  constructor(private readonly options: UsageReporterOptions) {}

  add(doc: QueryDoc): void {
    if (doc.state !== 'SUCCEEDED' || doc.datasets.length === 0) return;
    this.queue.push({
      queryId: doc._id,
      subject: doc.subject,
      sql: doc.sql,
      datasets: doc.datasets,
      finishedAt: doc.finishedAt.toISOString(),
    });
    if (this.queue.length > USAGE_QUEUE_MAX) {
      this.dropped += this.queue.length - USAGE_QUEUE_MAX;
      this.queue.splice(0, this.queue.length - USAGE_QUEUE_MAX);
    }
    this.schedule(this.queue.length >= USAGE_BATCH ? 0 : (this.options.flushMs ?? 1000));
  }

  private schedule(ms: number): void {
    if (this.timer || this.sending) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sending = this.sendOne().finally(() => {
        this.sending = undefined;
        if (this.queue.length) this.schedule(this.backoffMs || (this.queue.length >= USAGE_BATCH ? 0 : 50));
      });
    }, ms);
    this.timer.unref();
  }

  /** Sends what is queued now (tests, shutdown); gives up after `timeoutMs`. */
  async flush(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (Date.now() < until) {
      await this.sending;
      if (!this.queue.length) return;
      this.sending = this.sendOne().finally(() => (this.sending = undefined));
      await this.sending;
      if (this.backoffMs) await new Promise((r) => setTimeout(r, Math.min(this.backoffMs, until - Date.now())));
    }
  }

  async close(): Promise<void> {
    await this.flush(5000);
    clearTimeout(this.timer);
  }

  private async sendOne(): Promise<void> {
    const batch = this.queue.slice(0, USAGE_BATCH);
    if (!batch.length) return;
    const outcome = await this.post(batch);
    if (outcome === 'retry') {
      this.backoffMs = Math.min(60_000, this.backoffMs ? this.backoffMs * 2 : 500);
      return;
    }
    this.backoffMs = 0;
    this.queue.splice(0, batch.length);
    if (outcome === 'ok') this.sent += batch.length;
  }

  private async post(batch: Usage[]): Promise<'ok' | 'retry' | 'refused'> {
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          ...(await this.options.headers?.()),
          'content-type': 'application/json',
          authorization: `Bearer ${await this.options.token()}`,
        },
        body: JSON.stringify({ query: MUTATION, variables: { queries: batch }, operationName: 'GatewayQueryUsage' }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      if (res.status >= 500 || res.status === 429) return 'retry';
      const answer = (await res.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: { code?: string } }[];
      };
      const error = answer.errors?.[0];
      if (!error) return 'ok';
      if (['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR'].includes(error.extensions?.code ?? '')) return 'retry';
      // Refused (no right, bad input): retrying would not change the answer; the batch is dropped.
      this.options.logger?.warn({ code: error.extensions?.code, queries: batch.length }, 'Metis refused query usage');
      this.dropped += batch.length;
      return 'refused';
    } catch {
      return 'retry';
    }
  }
}

/** The query history that hands each record, once written, to the usage reporter. */
export class ReportingHistory extends QueryHistory {
  constructor(
    db: Db,
    private readonly reporter: UsageReporter,
  ) {
    super(db);
  }

  override async record(doc: QueryDoc): Promise<void> {
    await super.record(doc);
    this.reporter.add(doc);
  }
}

/**
 * The reporter of a deployed Gateway: its service identity (SERVICE_CLIENT_ID, SERVICE_CLIENT_SECRET,
 * OIDC_ISSUER, OIDC_AUDIENCE, as the service-identity package reads them); undefined (no usage
 * reported) without one.
 */
export function usageReporterFromEnv(
  metisUrl: string,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): UsageReporter | undefined {
  const { SERVICE_CLIENT_ID: clientId, SERVICE_CLIENT_SECRET: clientSecret, OIDC_ISSUER: issuer } = env;
  if (!clientId || !clientSecret || !issuer) return undefined;
  const tokens = new ServiceTokenSource(
    { clientId, clientSecret, issuer, resource: env.OIDC_AUDIENCE ?? 'urn:dataos:supergraph' },
    { timeoutMs: 5000, log: (details, message) => logger.warn(details, message) },
  );
  const caller = serviceCallerFromEnv();
  return new UsageReporter({
    url: metisUrl,
    token: () => tokens.token(),
    headers: async () => (await caller?.headers('metis')) ?? {},
    logger,
  });
}
