import type { Logger } from '@dataos/subgraph-kit';
import type { CatalogStore } from '../store/catalog.js';
import { parseDatasetUrn } from '../urn.js';
import type { GatewayClient } from './gateway.js';
import { MAX_PROFILED_COLUMNS, profileSql, readProfile, tableOf, type ProfiledColumn } from './sql.js';
import type { ProfileRunRecord, ProfileStore } from './store.js';

/** The first scheduled runs wait this long after start (the Gateway may start after Metis). */
const FIRST_DELAY_MS = 2000;
/** A failed scheduled run is tried again after this, doubling, up to its schedule's period. */
const RETRY_MS = 30_000;

export interface ProfileSchedule {
  urn: string;
  everySeconds: number;
  /** The Minerva cluster to run on; absent: where the Gateway routes Metis's queries. */
  cluster?: string;
}

export interface ProfileServiceDeps {
  gateway: GatewayClient;
  /** Metis's own access token (client_credentials): the Gateway and Heimdall see its service principal. */
  token: () => Promise<string>;
  store: ProfileStore;
  catalog: CatalogStore;
  logger: Pick<Logger, 'warn' | 'info'>;
  schedules?: readonly ProfileSchedule[];
  /** First retry delay of a failed scheduled run (default 30 s). */
  retryMs?: number;
}

/**
 * Profiles datasets through the Gateway as Metis's service principal: first `explain` (which
 * columns the principal reads masked), then one aggregate `runQuery` that asks min/max only of
 * the clear columns, so a masked value (a hash, a redaction) is never stored as if it were data.
 * One run per dataset at a time: a second request answers the run under way.
 */
/** `users:id:<sub>` of a JWT access token (Heimdall's subject id); null for an opaque token. */
export function subjectOfToken(token: string): string | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const sub = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }).sub;
    return typeof sub === 'string' && sub ? `users:id:${sub}` : null;
  } catch {
    return null;
  }
}

export class ProfileService {
  private readonly running = new Map<string, Promise<ProfileRunRecord>>();
  private subject: Promise<string | null> | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: ProfileServiceDeps) {}

  /**
   * Metis's own subject, as the Gateway reports its queries (`users:id:<sub>` of its token): its
   * profiling queries are not usage. Null while its token cannot be had (asked again next time).
   */
  async principal(): Promise<string | null> {
    this.subject ??= this.deps.token().then(subjectOfToken, () => null);
    const subject = await this.subject;
    if (!subject) this.subject = undefined;
    return subject;
  }

  /** Profiles `urn` on `cluster` (or where the Gateway routes it); a run under way for `urn` is answered instead. */
  run(urn: string, cluster?: string | null): Promise<ProfileRunRecord> {
    const current = this.running.get(urn);
    if (current) return current;
    const run = this.profile(urn, cluster ?? null).finally(() => this.running.delete(urn));
    this.running.set(urn, run);
    return run;
  }

  private async profile(urn: string, cluster: string | null): Promise<ProfileRunRecord> {
    const parsed = parseDatasetUrn(urn);
    if (!parsed) throw new Error(`not a dataset URN: ${urn}`);
    if (!(await this.deps.catalog.datasetsByUrn([urn])).length) throw new Error(`Unknown dataset "${urn}".`);
    const columns = (await this.deps.catalog.columnsOf([urn])).slice(0, MAX_PROFILED_COLUMNS);
    const run = await this.deps.store.start(urn, columns.length, cluster);
    try {
      const token = await this.deps.token();
      const table = tableOf(parsed);
      const plans = await this.deps.gateway.masks(token, `SELECT * FROM ${table}`, cluster);
      const plan = plans.find((p) => p.dataset === urn);
      // Fail closed: without the principal's plan for this dataset, every column counts as masked.
      const profiled: ProfiledColumn[] = columns.map((c) => ({
        name: c.name,
        masked: !plan || plan.masked.has(c.name),
      }));
      const answer = await this.deps.gateway.runQuery(token, profileSql(table, profiled), cluster);
      const row = answer.rows[0];
      if (!Array.isArray(row)) throw new Error('The Gateway answered no row.');
      const { rowCount, stats } = readProfile(
        profiled,
        answer.columns.map((c) => c.name.toLowerCase()),
        row,
      );
      return await this.deps.store.succeed(run, answer.cluster, rowCount, stats);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.deps.logger.warn({ dataset: urn, err: message }, 'profiling failed');
      return this.deps.store.fail(run, message);
    }
  }

  /**
   * Scheduled runs (METIS_PROFILES): each dataset shortly after start, then `everySeconds` after
   * each run ends; a failed run (the Gateway not up yet, a cluster down) is tried again sooner,
   * 30 s doubling up to the period.
   */
  start(): void {
    this.stopped = false;
    const retryMs = this.deps.retryMs ?? RETRY_MS;
    for (const s of this.deps.schedules ?? []) {
      const period = s.everySeconds * 1000;
      let failures = 0;
      const tick = (delay: number) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (this.stopped) return;
          void this.run(s.urn, s.cluster)
            .then(
              (run) => (failures = run.status === 'FAILED' ? failures + 1 : 0),
              (err: unknown) => {
                failures++;
                this.deps.logger.warn({ dataset: s.urn, err: (err as Error).message }, 'scheduled profile not run');
              },
            )
            .finally(() => {
              if (!this.stopped) tick(failures ? Math.min(period, retryMs * 2 ** (failures - 1)) : period);
            });
        }, delay);
        timer.unref();
        this.timers.add(timer);
      };
      tick(FIRST_DELAY_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running.values()]);
  }
}
