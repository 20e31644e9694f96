import { serviceUnavailable } from '@dataos/errors';
import { demoTables, demoUrn, type DemoTable } from './data/demo.js';
import type { CatalogDataset } from './policies/resolve.js';

export interface Caller {
  token?: string;
  requestId?: string;
}

/** Columns and their tags per dataset, as the catalog shows them to the caller (null: unknown or not readable). */
export interface ColumnCatalog {
  datasets(urns: readonly string[], caller: Caller): Promise<Map<string, CatalogDataset | null>>;
}

interface MetisAnswer {
  data?: Record<string, { urn: string; columns: { name: string; type: string; tags: string[] }[] } | null> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/**
 * Asks Metis (METIS_URL, default http://localhost:4002/graphql) with the caller's token, every
 * dataset of a query in one request (aliased `dataset(urn:)` fields). Metis answers null for
 * datasets the caller may not read. Fails closed: no answer, no query.
 */
export class MetisColumnCatalog implements ColumnCatalog {
  constructor(
    private readonly url = process.env.METIS_URL ?? 'http://localhost:4002/graphql',
    private readonly timeoutMs = Number(process.env.METIS_TIMEOUT_MS ?? 5000),
  ) {}

  async datasets(urns: readonly string[], caller: Caller): Promise<Map<string, CatalogDataset | null>> {
    const result = new Map<string, CatalogDataset | null>();
    if (urns.length === 0) return result;
    const vars = urns.map((_, i) => `$u${i}: ID!`).join(', ');
    const fields = urns.map((_, i) => `d${i}: dataset(urn: $u${i}) { urn columns { name type tags } }`).join(' ');
    const query = `query GatewayColumns(${vars}) { ${fields} }`;
    let answer: MetisAnswer;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(caller.token ? { authorization: `Bearer ${caller.token}` } : {}),
          ...(caller.requestId ? { 'x-request-id': caller.requestId } : {}),
        },
        body: JSON.stringify({ query, variables: Object.fromEntries(urns.map((u, i) => [`u${i}`, u])) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      answer = (await res.json()) as MetisAnswer;
    } catch (error) {
      throw serviceUnavailable('The catalog (Metis) could not be reached.', { cause: (error as Error).message });
    }
    // Per-field FORBIDDEN/NOT_FOUND errors mean "not readable": null. Anything else fails the query.
    const fatal = (answer.errors ?? []).find((e) => !['FORBIDDEN', 'NOT_FOUND'].includes(e.extensions?.code ?? '') || !e.path);
    if (fatal || !answer.data) throw serviceUnavailable('The catalog (Metis) failed to answer.', { cause: fatal?.message ?? 'no data' });
    urns.forEach((urn, i) => {
      const d = answer.data![`d${i}`];
      result.set(urn, d ? { urn, columns: d.columns.map((c) => ({ name: c.name, type: c.type, tags: c.tags ?? [] })) } : null);
    });
    return result;
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
      const depots = [t.depot, ...Object.entries(depotAliases).filter(([, d]) => d === t.depot).map(([a]) => a)];
      for (const depot of depots) {
        out.push({ urn: demoUrn({ ...t, depot }), columns: t.columns.map((c) => ({ name: c.name, type: c.type, tags: c.tags })) });
      }
    }
    return new StaticColumnCatalog(out);
  }

  async datasets(urns: readonly string[]): Promise<Map<string, CatalogDataset | null>> {
    return new Map(urns.map((u) => [u, this.byUrn.get(u.toLowerCase()) ?? null]));
  }
}
