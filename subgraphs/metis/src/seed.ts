import type { Neo4jStore } from '@dataos/stores';
import { DEMO_CATALOG, type DemoCatalog, type DemoDataset } from './demo/catalog.js';
import { migrate } from './store/migrate.js';
import type { DatasetIngest, LineageInput, OwnerInput } from './store/inputs.js';
import { CatalogWriter } from './store/writes.js';
import { parseDatasetUrn, parseResourceUrn } from './urn.js';

export { DEMO_CATALOG, DEMO_DATASETS, type DemoCatalog, type DemoDataset } from './demo/catalog.js';

const ownerOf =
  (people: DemoCatalog['people']) =>
  (id: string): OwnerInput => ({
    id,
    kind: id.startsWith('teams:') ? 'TEAM' : 'PERSON',
    name: people[id]?.name ?? null,
    email: people[id]?.email ?? null,
  });

const domainOf = (d: DemoDataset) =>
  d.domain ?? d.tags.find((t) => t.startsWith('dataos:domain:'))?.slice('dataos:domain:'.length) ?? null;

function toIngest(d: DemoDataset, owner: (id: string) => OwnerInput): DatasetIngest {
  const out: DatasetIngest = {
    urn: d.urn,
    name: d.name,
    kind: d.kind ?? 'TABLE',
    description: d.description,
    layer: d.layer,
    tags: d.tags,
    domain: domainOf(d),
    columns: d.columns.map(([name, type, tags, description]) => ({
      name,
      type,
      nullable: true,
      tags: tags ?? [],
      ...(description !== undefined ? { description } : {}),
    })),
  };
  if (d.format !== undefined) out.format = d.format;
  if (d.owners) out.owners = d.owners.map(owner);
  if (d.glossaryTerms) out.glossaryTerms = d.glossaryTerms;
  if (d.freshnessSloSeconds !== undefined) out.freshnessSloSeconds = d.freshnessSloSeconds;
  return out;
}

/** Start of today (UTC), so that seeding twice on a day writes the same runs. */
function today(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 2));
}

/**
 * Idempotent demo catalog through the same writes as the API (without authorization). Given
 * `datasets`, seeds only those (with their sources and the domains their tags name); otherwise
 * the whole demo: sources, domains, glossary, people and teams, resources, ~50 datasets across
 * raw/clean/curated/serving, lineage through workflows with column-level edges, and runs.
 */
export async function seedMetis(neo4j: Neo4jStore, datasets?: DemoDataset[]): Promise<number> {
  if (datasets === undefined) return seedCatalog(neo4j, DEMO_CATALOG);
  return seedCatalog(neo4j, {
    people: {},
    domains: [],
    glossary: [],
    sources: [],
    resources: [],
    datasets,
    lineage: [],
    runs: [],
  });
}

async function scannedUrns(neo4j: Neo4jStore, urns: string[]): Promise<Set<string>> {
  const { records } = await neo4j.driver.executeQuery(
    'MATCH (d:Dataset) WHERE d.urn IN $urns AND d.scanDigest IS NOT NULL RETURN d.urn AS urn',
    { urns },
    { database: neo4j.database },
  );
  return new Set(records.map((r) => r.get('urn') as string));
}

/** Seeds a whole catalog (the demo, or a copy of it under other names for tests). */
export async function seedCatalog(neo4j: Neo4jStore, catalog: DemoCatalog): Promise<number> {
  await migrate(neo4j);
  const writer = new CatalogWriter(neo4j);
  const owner = ownerOf(catalog.people);

  const domains = new Map<string, string | null>(catalog.domains.map((x) => [x.name, x.description]));
  for (const d of catalog.datasets) {
    const name = domainOf(d);
    if (name && !domains.has(name)) domains.set(name, null);
  }
  for (const [name, description] of domains) await writer.upsertDomain(name, description ?? undefined);

  for (const term of catalog.glossary) await writer.upsertGlossaryTerm({ ...term, related: [] }, {});
  for (const term of catalog.glossary) await writer.upsertGlossaryTerm(term, {});
  for (const r of catalog.resources) await writer.upsertResource({ ...r, owner: owner(r.owner) });

  const bySource = new Map<string, DemoDataset[]>();
  for (const d of catalog.datasets) {
    const depot = parseDatasetUrn(d.urn)?.depot;
    if (!depot) throw new Error(`seedMetis: "${d.urn}" is not a dataset URN`);
    bySource.set(depot, [...(bySource.get(depot) ?? []), d]);
  }
  // A dataset Metis has scanned is the source's to describe: replaying the seed (every start of a
  // stack) would write the seed's columns back over the scan's, a new version each time.
  const scanned = await scannedUrns(
    neo4j,
    catalog.datasets.map((d) => d.urn),
  );
  for (const [depot, items] of bySource) {
    const source = catalog.sources.find((s) => s.name === depot);
    await writer.ingest(
      source ?? { name: depot },
      items.filter((d) => !scanned.has(d.urn)).map((d) => toIngest(d, owner)),
      {},
    );
  }

  const edges: LineageInput[] = catalog.lineage.flatMap((l) =>
    l.from.map((upstream, i) => ({
      upstream,
      downstream: l.to,
      via: parseResourceUrn(l.via) ? l.via : null,
      job: l.job,
      columns: (l.columns ?? [])
        .filter(([from]) => from === i)
        .map(([, up, down, transformation]) => ({
          upstream: up,
          downstream: down,
          transformation: transformation ?? null,
        })),
    })),
  );
  if (edges.length) await writer.addLineage(edges, {});
  const day = today().getTime();
  for (const run of catalog.runs) {
    const startedAt = new Date(day - run.daysAgo * 86_400_000);
    const status = run.status ?? 'SUCCEEDED';
    await writer.recordRun(
      {
        id: `demo:${run.dataset.replace('dataos://', '')}:${run.daysAgo}`,
        datasetUrn: run.dataset,
        resourceUrn: run.via,
        job: run.job,
        status,
        startedAt,
        finishedAt: new Date(startedAt.getTime() + run.minutes * 60_000),
        rowCount: status === 'SUCCEEDED' ? run.rows : null,
        sizeBytes: status === 'SUCCEEDED' ? run.bytes : null,
        columnProfiles:
          status === 'SUCCEEDED' ? (run.profiles ?? []).map((p) => ({ min: null, max: null, mean: null, ...p })) : [],
      },
      {},
    );
  }
  return catalog.datasets.length;
}
