import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@dataos/subgraph-kit';
import type { Collections } from './collections.js';

/** Waits between attempts of a bump; the last entry ends the attempts. */
const BACKOFF_MS = [0, 50, 250];

/**
 * The version document replicas poll. Every write bumps it after the write; a bump is retried
 * because a lost one leaves other replicas stale until their next full reload. Bumping twice
 * (a retry after an answer that got lost) only costs an extra reload.
 */
export class VersionCounter {
  constructor(
    private readonly c: Collections,
    private readonly logger?: Logger,
    private readonly backoffMs: readonly number[] = BACKOFF_MS,
  ) {}

  async current(): Promise<number> {
    return (await this.c.meta.findOne({ _id: 'policies' }))?.version ?? 0;
  }

  /** The version after the bump, or null when every attempt failed (logged; the write itself stands). */
  async bump(): Promise<number | null> {
    let last: unknown;
    for (const wait of this.backoffMs) {
      if (wait) await sleep(wait);
      try {
        const meta = await this.c.meta.findOneAndUpdate(
          { _id: 'policies' },
          { $inc: { version: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
        return meta?.version ?? 0;
      } catch (error) {
        last = error;
      }
    }
    this.logger?.error(
      { err: last, attempts: this.backoffMs.length },
      'policy version bump failed: other replicas see this write at their next full reload (HEIMDALL_FULL_RELOAD_MS)',
    );
    return null;
  }
}
