import type { Logger } from '@dataos/subgraph-kit';
import type { CatalogStore } from '../store/catalog.js';
import { parseDatasetUrn } from '../urn.js';
import type { GatewayClient } from './gateway.js';
import { MAX_PROFILED_COLUMNS, profileSql, readProfile, tableOf, type ProfiledColumn } from './sql.js';
import type { ProfileRunRecord, ProfileStore } from './store.js';

/** The first scheduled runs wait this long after start (the Gateway may start after Metis). */
const FIRST_DELAY_MS = 2000;

export interface ProfileSchedule {
  urn: string;
  everySeconds: number;
}

export interface ProfileServiceDeps {
  gateway: GatewayClient;
  /** Metis's own access token (client_credentials): the Gateway and Heimdall see its service principal. */
  token: () => Promise<string>;
  store: ProfileStore;
  catalog: CatalogStore;
  logger: Pick<Logger, 'warn' | 'info'>;
  schedules?: readonly ProfileSchedule[];
}

/**
 * Profiles datasets through the Gateway as Metis's service principal: first `explain` (which
 * columns the principal reads masked), then one aggregate `runQuery` that asks min/max only of
 * the clear columns, so a masked value (a hash, a redaction) is never stored as if it were data.
 * One run per dataset at a time: a second request answers the run under way.
 */
export class ProfileService {
  private readonly running = new Map<string, Promise<ProfileRunRecord>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: ProfileServiceDeps) {}

  run(urn: string): Promise<ProfileRunRecord> {
    const current = this.running.get(urn);
    if (current) return current;
    const run = this.profile(urn).finally(() => this.running.delete(urn));
    this.running.set(urn, run);
    return run;
  }

  private async profile(urn: string): Promise<ProfileRunRecord> {
    const parsed = parseDatasetUrn(urn);
    if (!parsed) throw new Error(`not a dataset URN: ${urn}`);
    if (!(await this.deps.catalog.datasetsByUrn([urn])).length) throw new Error(`Unknown dataset "${urn}".`);
    const columns = (await this.deps.catalog.columnsOf([urn])).slice(0, MAX_PROFILED_COLUMNS);
    const run = await this.deps.store.start(urn, columns.length);
    try {
      const token = await this.deps.token();
      const table = tableOf(parsed);
      const plans = await this.deps.gateway.masks(token, `SELECT * FROM ${table}`);
      const plan = plans.find((p) => p.dataset === urn);
      // Fail closed: without the principal's plan for this dataset, every column counts as masked.
      const profiled: ProfiledColumn[] = columns.map((c) => ({
        name: c.name,
        masked: !plan || plan.masked.has(c.name),
      }));
      const answer = await this.deps.gateway.runQuery(token, profileSql(table, profiled));
      const row = answer.rows[0];
      if (!Array.isArray(row)) throw new Error('The Gateway answered no row.');
      const { rowCount, stats } = readProfile(
        profiled,
        answer.columns.map((c) => c.name.toLowerCase()),
        row,
      );
      return await this.deps.store.succeed(run, rowCount, stats);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.deps.logger.warn({ dataset: urn, err: message }, 'profiling failed');
      return this.deps.store.fail(run, message);
    }
  }

  /** Scheduled runs (METIS_PROFILES): each dataset shortly after start, then `everySeconds` after each run ends. */
  start(): void {
    this.stopped = false;
    for (const s of this.deps.schedules ?? []) {
      const tick = (delay: number) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (this.stopped) return;
          void this.run(s.urn)
            .catch((err: unknown) =>
              this.deps.logger.warn({ dataset: s.urn, err: (err as Error).message }, 'scheduled profile not run'),
            )
            .finally(() => {
              if (!this.stopped) tick(s.everySeconds * 1000);
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
