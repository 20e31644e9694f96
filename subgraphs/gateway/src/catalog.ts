import { MetisClient, type Caller } from '@dataos/metis-client';

export type { Caller };
import { demoTables, demoUrn, type DemoTable } from './data/demo.js';
import type { CatalogColumn, CatalogDataset, Classification } from './policies/resolve.js';

/** Columns and their tags per dataset, as the catalog shows them to the caller (null: unknown or not readable). */
export interface ColumnCatalog {
  datasets(urns: readonly string[], caller: Caller): Promise<Map<string, CatalogDataset | null>>;
}

interface MetisRef {
  datasetUrn: string | null;
  name: string | null;
  hidden: boolean;
}

interface MetisDataset {
  urn: string;
  columns: {
    name: string;
    type: string;
    tags: string[] | null;
    classificationOrigins?: { column: MetisRef; tags: string[]; path: MetisRef[] }[];
    classificationOriginsTruncated?: boolean;
  }[];
}

/** Columns, their tags, and the upstream columns whose classifications they carry (column lineage). */
export const COLUMNS_SELECTION = `urn columns { name type tags
  classificationOrigins { column { datasetUrn name hidden } tags path { datasetUrn name hidden } }
  classificationOriginsTruncated }`;

const refText = (r: MetisRef) => (r.hidden || !r.datasetUrn || !r.name ? '(hidden)' : `${r.datasetUrn}#${r.name}`);

/**
 * A Metis column as the policies see it: own tags, then the tags its lineage origins pass on
 * (propagated, with source and path), and those origins for Odin's concepts. An origin whose
 * name is hidden from the caller, or a truncated list, leaves the column's concepts unknown
 * (concept masks apply: a classification never leaks away by hiding).
 */
export function columnOf(c: MetisDataset['columns'][number]): CatalogColumn {
  const own = c.tags ?? [];
  const classifications: Classification[] = own.map((t) => ({ kind: 'tag', value: t, propagated: false }));
  const origins = c.classificationOrigins ?? [];
  for (const o of origins)
    for (const t of o.tags)
      classifications.push({
        kind: 'tag',
        value: t,
        propagated: true,
        source: refText(o.column),
        path: o.path.map(refText),
      });
  const visible = origins.filter((o) => !o.column.hidden && o.column.datasetUrn && o.column.name);
  const column: CatalogColumn = {
    name: c.name,
    type: c.type,
    tags: [...new Set(classifications.map((x) => x.value))],
    classifications,
    upstream: visible.map((o) => ({
      datasetUrn: o.column.datasetUrn!,
      name: o.column.name!,
      path: o.path.map(refText),
    })),
  };
  if (visible.length < origins.length || c.classificationOriginsTruncated) column.conceptsKnown = false;
  return column;
}

/**
 * Datasets per Metis request for COLUMNS_SELECTION. Metis estimates one such dataset at about 682
 * (its columns' list size times their origins and paths, see its schema's `@listSize`) against
 * MAX_COST 10,000: 14 would fit, 10 keeps a margin of about 30% for list sizes that grow.
 * A test measures it against the real Metis (concepts.test.ts).
 */
export const COLUMNS_PER_REQUEST = 10;

/**
 * Asks Metis with the caller's token: a query's datasets in requests of COLUMNS_PER_REQUEST
 * (a few at a time); null for those the caller may not read; any refusal fails the whole query.
 */
export class MetisColumnCatalog implements ColumnCatalog {
  private readonly client: MetisClient;

  constructor(url?: string, timeoutMs?: number) {
    this.client = new MetisClient({ ...(url ? { url } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  }

  async datasets(urns: readonly string[], caller: Caller): Promise<Map<string, CatalogDataset | null>> {
    const found = await this.client.datasets<MetisDataset>(urns, COLUMNS_SELECTION, caller, {
      operationName: 'GatewayColumns',
      maxPerRequest: COLUMNS_PER_REQUEST,
    });
    return new Map(urns.map((urn, i) => [urn, found[i] ? { urn, columns: found[i].columns.map(columnOf) } : null]));
  }
}

/** A fixed catalog: for tests and benchmarks that do not run Metis. */
export class StaticColumnCatalog implements ColumnCatalog {
  private readonly byUrn: Map<string, CatalogDataset>;

  constructor(datasets: CatalogDataset[]) {
    this.byUrn = new Map(datasets.map((d) => [d.urn.toLowerCase(), d]));
  }

  static fromDemo(tables: DemoTable[] = demoTables(), depotAliases: Record<string, string> = {}): StaticColumnCatalog {
    const out: CatalogDataset[] = [];
    for (const t of tables) {
      const depots = [
        t.depot,
        ...Object.entries(depotAliases)
          .filter(([, d]) => d === t.depot)
          .map(([a]) => a),
      ];
      for (const depot of depots) {
        out.push({
          urn: demoUrn({ ...t, depot }),
          columns: t.columns.map((c) => ({ name: c.name, type: c.type, tags: c.tags })),
        });
      }
    }
    return new StaticColumnCatalog(out);
  }

  async datasets(urns: readonly string[]): Promise<Map<string, CatalogDataset | null>> {
    return new Map(urns.map((u) => [u, this.byUrn.get(u.toLowerCase()) ?? null]));
  }
}
