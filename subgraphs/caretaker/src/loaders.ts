import DataLoader from 'dataloader';
import type { Filter } from 'mongodb';
import { podKey, type PodDoc } from './model.js';
import type { Collections } from './store/collections.js';
import type { HistoryStore, SourcedEvent } from './store/history.js';
import { listPodsGrouped, type Page, type PodGroupField } from './store/pods.js';

/** One parent's page of pods: the pods whose `field` is `value`, matching `query` too. */
export interface PodPageKey {
  field: PodGroupField;
  value: string;
  query: Filter<PodDoc>;
  first: number | null | undefined;
  after: string | null | undefined;
}

/** One pod's history page. */
export interface PodHistoryKey {
  namespace: string;
  name: string;
  from: Date;
  to: Date;
  limit: number;
  afterRv: number;
}

export interface Loaders {
  /** Pods by `namespace/name` (entity references). */
  podById: DataLoader<string, PodDoc | null>;
  /** `ComputeNode.pods`, `Resource.pods`: the parents of a request that ask the same page share one read. */
  podPages: DataLoader<PodPageKey, Page<PodDoc>, string>;
  /** `Pod.history`, `podHistory`: pods that ask the same range share one read. */
  podHistory: DataLoader<PodHistoryKey, SourcedEvent[], string>;
}

/** Groups keys by what they share (all but the parent), keeping each key's position. */
function groupBy<K>(keys: readonly K[], signature: (k: K) => string): Map<string, { key: K; index: number }[]> {
  const groups = new Map<string, { key: K; index: number }[]>();
  keys.forEach((key, index) => {
    const s = signature(key);
    if (!groups.has(s)) groups.set(s, []);
    groups.get(s)!.push({ key, index });
  });
  return groups;
}

const pageSignature = (k: PodPageKey) => JSON.stringify([k.field, k.query, k.first ?? null, k.after ?? null]);
const historySignature = (k: PodHistoryKey) => `${k.from.toISOString()}|${k.to.toISOString()}|${k.limit}|${k.afterRv}`;

/**
 * Per-request loaders: a list of N parents costs a constant number of MongoDB commands (one or
 * two per distinct page shape), not N. An error (bad cursor, ...) fails only the keys it concerns.
 */
export function createLoaders(c: Collections, history: HistoryStore): Loaders {
  return {
    podById: new DataLoader<string, PodDoc | null>(async (ids) => {
      const docs = new Map((await c.pods.find({ _id: { $in: [...ids] } }).toArray()).map((d) => [d._id, d]));
      return ids.map((id) => docs.get(id) ?? null);
    }),
    podPages: new DataLoader<PodPageKey, Page<PodDoc>, string>(
      async (keys) => {
        const out: (Page<PodDoc> | Error)[] = new Array(keys.length);
        await Promise.all(
          [...groupBy(keys, pageSignature).values()].map(async (group) => {
            const { field, query, first, after } = group[0]!.key;
            try {
              const pages = await listPodsGrouped(
                c,
                field,
                group.map((g) => g.key.value),
                query,
                first,
                after,
              );
              for (const g of group) out[g.index] = pages.get(g.key.value)!;
            } catch (error) {
              for (const g of group) out[g.index] = error as Error;
            }
          }),
        );
        return out;
      },
      { cacheKeyFn: (k) => `${pageSignature(k)}|${k.value}` },
    ),
    podHistory: new DataLoader<PodHistoryKey, SourcedEvent[], string>(
      async (keys) => {
        const out: (SourcedEvent[] | Error)[] = new Array(keys.length);
        await Promise.all(
          [...groupBy(keys, historySignature).values()].map(async (group) => {
            const { from, to, limit, afterRv } = group[0]!.key;
            try {
              const events = await history.podEventsMany(
                group.map((g) => g.key),
                from,
                to,
                limit,
                afterRv,
              );
              for (const g of group) out[g.index] = events.get(podKey(g.key.namespace, g.key.name)) ?? [];
            } catch (error) {
              for (const g of group) out[g.index] = error as Error;
            }
          }),
        );
        return out;
      },
      { cacheKeyFn: (k) => `${historySignature(k)}|${podKey(k.namespace, k.name)}` },
    ),
  };
}
