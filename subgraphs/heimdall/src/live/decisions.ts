import type { Db } from 'mongodb';
import { SequencedFeed, type Logger } from '@dataos/subgraph-kit';
import type { DecisionLogFilter } from '../store/decision-log.js';
import type { DecisionDoc } from '../store/collections.js';

/** A decision-log entry as the feed carries it: its log id as hex (the same id `decisions` pages by). */
export type DecisionItem = Omit<DecisionDoc, '_id'> & { id: string };

export const DECISIONS_FEED = 'decision_feed';

/**
 * Decisions as they are written to the log, on the kit's sequenced feed so that a console on
 * one replica sees the decisions every replica makes. One feed document per flushed batch (at
 * most 500 entries each): the log's own buffering bounds the writes, not the decision rate.
 * Kept 15 minutes: the log itself is the history; the feed is only for resuming a live view.
 */
export class DecisionFeed {
  readonly feed: SequencedFeed<DecisionItem>;

  constructor(
    db: Db,
    private readonly logger?: Logger,
    options: { pollMs?: number; retentionMs?: number } = {},
  ) {
    this.feed = new SequencedFeed<DecisionItem>(db, DECISIONS_FEED, {
      pollMs: options.pollMs ?? 250,
      retentionMs: options.retentionMs ?? 15 * 60_000,
      ...(logger ? { logger } : {}),
    });
  }

  /** Publishes written entries; a failure is logged (the log has them; live viewers miss them). */
  async publish(docs: DecisionDoc[]): Promise<void> {
    const items = docs.filter((d) => d._id).map(({ _id, ...rest }) => ({ ...rest, id: _id!.toHexString() }));
    try {
      await this.feed.append(items);
    } catch (error) {
      this.logger?.warn({ err: error, entries: items.length }, 'decisions not published to the live feed');
    }
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The decision log's filter (as `decisions` applies it in MongoDB) as a predicate on one entry. */
export function matchesFilter(filter: DecisionLogFilter): (item: DecisionItem) => boolean {
  const prefix = filter.pathPrefix ? new RegExp(`^${escape(filter.pathPrefix)}`) : null;
  const since = filter.since?.getTime();
  const until = filter.until?.getTime();
  return (item) => {
    if (filter.subject && item.subject !== filter.subject) return false;
    if (filter.action && item.action !== filter.action) return false;
    if (filter.allowed != null && item.allowed !== filter.allowed) return false;
    if (filter.requestId && item.requestId !== filter.requestId) return false;
    if (prefix && !(item.object.path !== null && prefix.test(item.object.path))) return false;
    const time = new Date(item.time).getTime();
    if (since !== undefined && time < since) return false;
    if (until !== undefined && time >= until) return false;
    return true;
  };
}
