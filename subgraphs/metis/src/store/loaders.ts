import DataLoader from 'dataloader';
import type { CatalogStore, DatasetPageRequest, RunPageRequest } from './catalog.js';
import { classificationOrigins, type ColumnOrigins } from './classifications.js';
import { columnKey, type ColumnKey } from './column-lineage.js';
import { declassificationEvents, type DeclassificationEventRecord } from './declassify.js';
import { lineageGraphs, type LineageDirection, type LineageGraph } from './lineage.js';
import { suggestionDecisions, type SuggestionDecisionRecord } from './suggestions.js';
import type {
  ColumnRecord,
  DatasetRecord,
  DomainRecord,
  GlossaryTermRecord,
  JobRunRecord,
  ResourceRecord,
  SourceRecord,
} from './records.js';

export interface CatalogLoaders {
  dataset: DataLoader<string, DatasetRecord | null>;
  columns: DataLoader<string, ColumnRecord[]>;
  source: DataLoader<string, SourceRecord | null>;
  domain: DataLoader<string, DomainRecord | null>;
  term: DataLoader<string, GlossaryTermRecord | null>;
  termLinks: DataLoader<string, { datasetUrns: string[]; columns: ColumnRecord[] }>;
  resource: DataLoader<string, ResourceRecord | null>;
  resourceLinks: DataLoader<string, { inputs: string[]; outputs: string[] }>;
  run: DataLoader<string, JobRunRecord | null>;
  datasetPage: DataLoader<{ request: DatasetPageRequest; scan: number }, DatasetRecord[], string>;
  runPage: DataLoader<{ by: 'dataset' | 'resource'; request: RunPageRequest; scan: number }, JobRunRecord[], string>;
  lineage: DataLoader<{ root: string; direction: LineageDirection; depth: number }, LineageGraph | null, string>;
  /** Upstream columns whose classifications reach a column (store/classifications.ts). */
  origins: DataLoader<ColumnKey, ColumnOrigins, string>;
  declassificationEvents: DataLoader<ColumnKey, DeclassificationEventRecord[], string>;
  /** Stewards' answers to classification suggestions, by dataset URN. */
  suggestionDecisions: DataLoader<string, SuggestionDecisionRecord[]>;
}

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

function groupBy<T, G>(items: readonly T[], groupOf: (item: T) => G): Map<G, number[]> {
  const groups = new Map<G, number[]>();
  items.forEach((item, i) => {
    const g = groupOf(item);
    groups.set(g, [...(groups.get(g) ?? []), i]);
  });
  return groups;
}

/** Per-request loaders: any number of lookups of one kind in a tick cost one Cypher round trip. */
export function createLoaders(store: CatalogStore): CatalogLoaders {
  return {
    dataset: new DataLoader(async (urns) => byKey(urns, await store.datasetsByUrn(urns), (d) => d.urn)),
    columns: new DataLoader(async (urns) => {
      const grouped = new Map<string, ColumnRecord[]>();
      for (const c of await store.columnsOf(urns)) grouped.set(c.datasetUrn, [...(grouped.get(c.datasetUrn) ?? []), c]);
      return urns.map((u) => grouped.get(u) ?? []);
    }),
    source: new DataLoader(async (names) => byKey(names, await store.sourcesByName(names), (s) => s.name)),
    domain: new DataLoader(async (names) => byKey(names, await store.domainsByName(names), (d) => d.name)),
    term: new DataLoader(async (names) => byKey(names, await store.termsByName(names), (t) => t.name)),
    termLinks: new DataLoader(async (names) => {
      const found = byKey(names, await store.termLinks(names), (t) => t.name);
      return found.map((f) => f ?? { datasetUrns: [], columns: [] });
    }),
    resource: new DataLoader(async (urns) => byKey(urns, await store.resourcesByUrn(urns), (r) => r.urn)),
    resourceLinks: new DataLoader(async (urns) => {
      const found = byKey(urns, await store.resourceLinks(urns), (r) => r.urn);
      return found.map((f) => ({ inputs: [...(f?.inputs ?? [])].sort(), outputs: [...(f?.outputs ?? [])].sort() }));
    }),
    run: new DataLoader(async (ids) => byKey(ids, await store.runsById(ids), (r) => r.id)),
    datasetPage: new DataLoader(
      async (keys) => {
        const out: DatasetRecord[][] = keys.map(() => []);
        for (const [scan, indexes] of groupBy(keys, (k) => k.scan)) {
          const pages = await store.datasetPages(
            indexes.map((i) => keys[i]!.request),
            scan,
          );
          indexes.forEach((i, j) => (out[i] = pages[j]!));
        }
        return out;
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    runPage: new DataLoader(
      async (keys) => {
        const out: JobRunRecord[][] = keys.map(() => []);
        for (const [group, indexes] of groupBy(keys, (k) => `${k.by}\u0000${k.scan}`)) {
          const [by, scan] = group.split('\u0000') as ['dataset' | 'resource', string];
          const pages = await store.runPages(
            by,
            indexes.map((i) => keys[i]!.request),
            Number(scan),
          );
          indexes.forEach((i, j) => (out[i] = pages[j]!));
        }
        return out;
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    lineage: new DataLoader(
      async (keys) => {
        const out: (LineageGraph | null)[] = keys.map(() => null);
        for (const [group, indexes] of groupBy(keys, (k) => `${k.direction}\u0000${k.depth}`)) {
          const [direction, depth] = group.split('\u0000') as [LineageDirection, string];
          const graphs = await lineageGraphs(
            store,
            [...new Set(indexes.map((i) => keys[i]!.root))],
            direction,
            Number(depth),
          );
          for (const i of indexes) out[i] = graphs.get(keys[i]!.root) ?? null;
        }
        return out;
      },
      { cacheKeyFn: (k) => `${k.root}\u0000${k.direction}\u0000${k.depth}` },
    ),
    origins: new DataLoader(
      async (keys) => {
        const found = await classificationOrigins(store, keys);
        return keys.map((k) => found.get(columnKey(k)) ?? { origins: [], truncated: false });
      },
      { cacheKeyFn: columnKey },
    ),
    declassificationEvents: new DataLoader(
      async (keys) => {
        const found = await declassificationEvents(store, keys);
        return keys.map((k) => found.get(columnKey(k)) ?? []);
      },
      { cacheKeyFn: columnKey },
    ),
    suggestionDecisions: new DataLoader(async (urns) => {
      const found = await suggestionDecisions(store, urns);
      return urns.map((u) => found.get(u) ?? []);
    }),
  };
}
