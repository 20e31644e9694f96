import type { Collection, Db, IndexDescription } from 'mongodb';
import type { HistoryDoc, NodeDoc, PodDoc } from '../model.js';
import type { DayRollup, LedgerDoc, MetaDoc, RollupIntent, RollupPart } from './rollup-model.js';

export interface Collections {
  db: Db;
  /** Current state of each pod, tombstones included (`_id` = `namespace/name`). */
  pods: Collection<PodDoc>;
  /** Node inventory (`_id` = node name). */
  nodes: Collection<NodeDoc>;
  /** Append-only history of pod and node events, until archived. */
  history: Collection<HistoryDoc>;
  /** Event counts of one ingest batch (or backfill, archive run) for one hour, not yet merged (`_id` = `<source>/<hour>`). */
  rollupParts: Collection<RollupPart>;
  /** Batches between their history insert and their parts (`_id` = batch id): a writer that stopped is finished by compaction. */
  rollupIntents: Collection<RollupIntent>;
  /** Per hour, the ids of the parts merged into the rollups (`_id` = hour ISO): a part is merged once, ever. */
  rollupLedger: Collection<LedgerDoc>;
  /** Merged counts, one document per UTC day with one slot per hour (`_id` = `YYYY-MM-DD`). */
  rollups: Collection<DayRollup>;
  /** Flags and counters (`_id` = name): the rollup backfill, the rollup epoch. */
  meta: Collection<MetaDoc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    db,
    pods: db.collection<PodDoc>('pods'),
    nodes: db.collection<NodeDoc>('nodes'),
    history: db.collection<HistoryDoc>('pod_history'),
    rollupParts: db.collection<RollupPart>('history_rollup_parts'),
    rollupIntents: db.collection<RollupIntent>('history_rollup_intents'),
    rollupLedger: db.collection<LedgerDoc>('history_rollup_ledger'),
    rollups: db.collection<DayRollup>('history_rollups'),
    meta: db.collection<MetaDoc>('caretaker_meta'),
  };
}

/**
 * Indexes (idempotent). Only plain, compound, unique and multikey indexes: FerretDB 1.24 has no
 * partial, sparse or TTL ones. The `_id`s carry the uniqueness that idempotency rests on.
 *
 * One index per `createIndexes` command: FerretDB 1.24 drops the connection when a command with
 * several specs finds them all existing already (checked), i.e. on every restart.
 */
export async function ensureIndexes(c: Collections): Promise<void> {
  const specs: [Collection<never>, IndexDescription][] = [
    [c.pods as never, { key: { namespace: 1, name: 1 }, name: 'namespace_name', unique: true }],
    [c.pods as never, { key: { deleted: 1, phase: 1 }, name: 'deleted_phase' }],
    [c.pods as never, { key: { nodeName: 1 }, name: 'nodeName' }],
    [c.pods as never, { key: { resourceUrn: 1 }, name: 'resourceUrn' }],
    [c.pods as never, { key: { 'owner.kind': 1, 'owner.name': 1 }, name: 'owner' }],
    [c.pods as never, { key: { labels: 1 }, name: 'labels' }],
    [c.nodes as never, { key: { deleted: 1 }, name: 'deleted' }],
    [c.history as never, { key: { kind: 1, key: 1, rv: 1 }, name: 'kind_key_rv' }],
    [c.history as never, { key: { time: 1 }, name: 'time' }],
    [c.history as never, { key: { namespace: 1, time: 1 }, name: 'namespace_time' }],
    [c.history as never, { key: { 'archive.key': 1 }, name: 'archive_key' }],
    [c.rollupParts as never, { key: { hour: 1 }, name: 'hour' }],
  ];
  for (const [collection, spec] of specs) await collection.createIndexes([spec]);
}
