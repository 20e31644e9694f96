import { MetisClient, type Caller } from '@dataos/metis-client';

export type { Caller };
import { demoTables, demoUrn, type DemoTable } from './data/demo.js';
import type { CatalogDataset } from './policies/resolve.js';

/** Columns and their tags per dataset, as the catalog shows them to the caller (null: unknown or not readable). */
export interface ColumnCatalog {
  datasets(urns: readonly string[], caller: Caller): Promise<Map<string, CatalogDataset | null>>;
}

interface MetisDataset {
  urn: string;
  columns: { name: string; type: string; tags: string[] | null }[];
}

/** Asks Metis with the caller's token: every dataset of a query in one request; null for those the caller may not read. */
export class MetisColumnCatalog implements ColumnCatalog {
  private readonly client: MetisClient;

  constructor(url?: string, timeoutMs?: number) {
    this.client = new MetisClient({ ...(url ? { url } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
  }

  async datasets(urns: readonly string[], caller: Caller): Promise<Map<string, CatalogDataset | null>> {
    const found = await this.client.datasets<MetisDataset>(
      urns,
      'urn columns { name type tags }',
      caller,
      'GatewayColumns',
    );
    return new Map(
      urns.map((urn, i) => {
        const d = found[i];
        return [
          urn,
          d ? { urn, columns: d.columns.map((c) => ({ name: c.name, type: c.type, tags: c.tags ?? [] })) } : null,
        ];
      }),
    );
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
