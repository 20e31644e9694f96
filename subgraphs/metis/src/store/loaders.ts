import DataLoader from 'dataloader';
import type { CatalogStore, ColumnRecord, DatasetRecord } from './catalog.js';

export interface CatalogLoaders {
  dataset: DataLoader<string, DatasetRecord | null>;
  columns: DataLoader<string, ColumnRecord[]>;
}

/** Per-request loaders: N datasets or entity references cost one Cypher round trip. */
export function createLoaders(store: CatalogStore): CatalogLoaders {
  return {
    dataset: new DataLoader(async (urns) => {
      const byUrn = new Map((await store.datasetsByUrn(urns)).map((d) => [d.urn, d]));
      return urns.map((u) => byUrn.get(u) ?? null);
    }),
    columns: new DataLoader(async (urns) => {
      const grouped = new Map<string, ColumnRecord[]>();
      for (const c of await store.columnsOf(urns)) {
        const list = grouped.get(c.datasetUrn) ?? [];
        list.push(c);
        grouped.set(c.datasetUrn, list);
      }
      return urns.map((u) => grouped.get(u) ?? []);
    }),
  };
}
