import type { Db } from 'mongodb';
import { SequencedFeed, type Logger } from '@dataos/subgraph-kit';
import type { ClusterEvent, HistoryEvent, NodeDoc, PodDoc } from '../model.js';
import { historyOf } from '../model.js';
import { stateOf, type IngestOutcome } from '../store/ingest.js';

/** One ingested event as live subscribers see it: the event, the state it carries, whether it became current. */
export type LiveItem =
  | { kind: 'Pod'; event: HistoryEvent; state: PodDoc; applied: boolean }
  | { kind: 'Node'; event: HistoryEvent; state: NodeDoc; applied: boolean };

export type LiveFeed = SequencedFeed<LiveItem>;

/** The collections (`live_events_<bucket>`) every Caretaker replica appends ingested events to and tails (README, Live events). */
export const LIVE_COLLECTION = 'live_events';

export function createLiveFeed(db: Db, options: { retentionMs: number; pollMs: number; logger: Logger }): LiveFeed {
  return new SequencedFeed<LiveItem>(db, LIVE_COLLECTION, options);
}

/**
 * Appends what an ingest changed: every event new to the history, every event whose state became
 * current, and the events a failed earlier attempt of the same batch recorded (its notices may
 * never have been written: at least once). Duplicates from other batches are left out.
 */
export async function publishIngested(
  feed: LiveFeed,
  events: ClusterEvent[],
  outcomes: IngestOutcome[],
  now: Date,
): Promise<void> {
  const items: LiveItem[] = [];
  events.forEach((event, i) => {
    const outcome = outcomes[i];
    if (outcome === 'duplicate' || outcome === undefined) return;
    const state = stateOf(event, now);
    items.push({ kind: event.kind, event: historyOf(event), state, applied: outcome === 'applied' } as LiveItem);
  });
  await feed.append(items);
}
