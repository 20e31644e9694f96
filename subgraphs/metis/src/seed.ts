import type { Neo4jStore } from '@dataos/stores';

interface DemoDataset {
  urn: string;
  name: string;
  description: string;
  layer: string;
  tags: string[];
  columns: [name: string, type: string, tags?: string[]][];
}

/** A small believable catalog; MERGE makes seeding idempotent. */
export const DEMO_DATASETS: DemoDataset[] = [
  {
    urn: 'dataos://icebase:retail/customers',
    name: 'customers',
    description: 'One row per customer, deduplicated across storefronts.',
    layer: 'curated',
    tags: ['dataos:domain:retail', 'dataos:layer:curated'],
    columns: [
      ['customer_id', 'bigint'],
      ['full_name', 'varchar', ['PII.Name']],
      ['email', 'varchar', ['PII.Email']],
      ['phone', 'varchar', ['PII.PhoneNumber']],
      ['region', 'varchar'],
      ['created_at', 'timestamp'],
    ],
  },
  {
    urn: 'dataos://icebase:retail/orders',
    name: 'orders',
    description: 'Orders placed on every storefront, one row per order.',
    layer: 'curated',
    tags: ['dataos:domain:retail', 'dataos:layer:curated'],
    columns: [
      ['order_id', 'bigint'],
      ['customer_id', 'bigint'],
      ['order_total', 'decimal(12,2)'],
      ['ordered_at', 'timestamp'],
    ],
  },
  {
    urn: 'dataos://icebase:retail/products',
    name: 'products',
    description: 'Product catalogue with current prices.',
    layer: 'clean',
    tags: ['dataos:domain:retail', 'dataos:layer:clean'],
    columns: [
      ['sku', 'varchar'],
      ['title', 'varchar'],
      ['price', 'decimal(10,2)'],
    ],
  },
  {
    urn: 'dataos://lakehouse:finance/invoices',
    name: 'invoices',
    description: 'Issued invoices, restricted to finance.',
    layer: 'curated',
    tags: ['dataos:domain:finance', 'dataos:layer:curated'],
    columns: [
      ['invoice_id', 'varchar'],
      ['customer_id', 'bigint'],
      ['amount', 'decimal(12,2)'],
    ],
  },
];

export async function seedMetis(neo4j: Neo4jStore, datasets: DemoDataset[] = DEMO_DATASETS): Promise<number> {
  const rows = datasets.map((d) => ({
    ...d,
    columns: d.columns.map(([name, type, tags], position) => ({ name, type, tags: tags ?? [], position })),
  }));
  await neo4j.driver.executeQuery(
    `UNWIND $rows AS row
     MERGE (d:Dataset {urn: row.urn})
     SET d.name = row.name, d.description = row.description, d.layer = row.layer, d.tags = row.tags,
         d.updatedAt = datetime()
     WITH d, row
     UNWIND row.columns AS col
     MERGE (d)-[:HAS_COLUMN]->(c:Column {datasetUrn: row.urn, name: col.name})
     SET c.type = col.type, c.tags = col.tags, c.position = col.position`,
    { rows },
    { database: neo4j.database },
  );
  return rows.length;
}
