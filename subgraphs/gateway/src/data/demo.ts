import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the demo files are generated (git-ignored). */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../../.data/demo', import.meta.url));

export interface DemoColumn {
  name: string;
  /** DuckDB type of the CSV column. */
  type: string;
  /** Tags the catalog (Metis) gives the column. */
  tags: string[];
}

export interface DemoTable {
  depot: string;
  collection: string;
  dataset: string;
  columns: DemoColumn[];
  rows: (string | number | null)[][];
}

export const demoUrn = (t: Pick<DemoTable, 'depot' | 'collection' | 'dataset'>) =>
  `dataos://${t.depot}:${t.collection}/${t.dataset}`;

/** Deterministic pseudo-random numbers (mulberry32): the same files on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Amara',
  'Liam',
  'Sofia',
  'Noah',
  'Yuki',
  'Mateo',
  'Chloe',
  'Arjun',
  'Ines',
  'Kwame',
  'Freya',
  'Diego',
  'Mei',
  'Omar',
  'Lena',
  'Ravi',
  'Siobhán',
  'Tariq',
  'Ana',
  'Lars',
];
const LAST = [
  'Okafor',
  'Smith',
  'Rossi',
  'Tanaka',
  'Garcia',
  "O'Brien",
  'Dubois',
  'Patel',
  'Silva',
  'Mensah',
  'Larsen',
  'Lopez',
  'Chen',
  'Haddad',
  'Schmidt',
  'Iyer',
  'Kowalski',
  'Nguyen',
  'Costa',
  'Berg',
];
const REGIONS = ['emea', 'amer', 'apac'] as const;
const PHONE_PREFIX = { emea: '+44 20 7946', amer: '+1 212 555', apac: '+81 3 5555' } as const;
const PRODUCTS = [
  'Trail Runner',
  'City Backpack',
  'Rain Shell',
  'Wool Beanie',
  'Travel Mug',
  'Desk Lamp',
  'Yoga Mat',
  'Water Bottle',
  'Sun Hat',
  'Hiking Poles',
];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const isoTimestamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The demo datasets, matching the Metis demo catalog (`dataos://icebase:retail/customers`, ...). */
export function demoTables(): DemoTable[] {
  const rnd = prng(20240607);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const customers: DemoTable['rows'] = [];
  for (let id = 1; id <= 300; id++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const region = REGIONS[(id + Math.floor(rnd() * 3)) % 3]!;
    const born = Date.UTC(1950, 0, 1) + Math.floor(rnd() * 50 * 365.25) * 86_400_000;
    const created = Date.UTC(2022, 0, 1) + Math.floor(rnd() * 900 * 86_400) * 1000;
    customers.push([
      id,
      `${first} ${last}`,
      `${first}.${last}${id}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, ''),
      `${PHONE_PREFIX[region]} ${pad(Math.floor(rnd() * 10000), 4)}`,
      region,
      isoDate(born),
      isoTimestamp(created),
    ]);
  }
  const products: DemoTable['rows'] = [];
  for (let i = 1; i <= 50; i++) {
    products.push([
      `SKU-${pad(i, 4)}`,
      `${pick(PRODUCTS)} ${['S', 'M', 'L', 'XL'][i % 4]}`,
      Math.round((5 + rnd() * 195) * 100) / 100,
    ]);
  }
  const orders: DemoTable['rows'] = [];
  for (let id = 1; id <= 1500; id++) {
    const at = Date.UTC(2023, 0, 1) + Math.floor(rnd() * 600 * 86_400) * 1000;
    orders.push([id, 1 + Math.floor(rnd() * 300), Math.round((10 + rnd() * 490) * 100) / 100, isoTimestamp(at)]);
  }
  const invoices: DemoTable['rows'] = [];
  for (let id = 1; id <= 600; id++) {
    invoices.push([`INV-${pad(id, 5)}`, 1 + Math.floor(rnd() * 300), Math.round((50 + rnd() * 2000) * 100) / 100]);
  }
  // Derived from customers and orders (no random draws: the other tables stay as they were), as the
  // Metis demo's column lineage says: customer_360.email comes from customers.email, and so on.
  const customer360: DemoTable['rows'] = customers.map((c) => {
    const mine = orders.filter((o) => o[1] === c[0]);
    const total = mine.reduce((sum, o) => sum + Number(o[2]), 0);
    const last =
      mine
        .map((o) => String(o[3]))
        .sort()
        .at(-1) ?? null;
    return [c[0]!, c[1]!, c[2]!, c[4]!, mine.length, Math.round(total * 100) / 100, last, (Number(c[0]) * 7) % 31];
  });
  return [
    {
      depot: 'icebase',
      collection: 'retail',
      dataset: 'customers',
      columns: [
        { name: 'customer_id', type: 'BIGINT', tags: [] },
        { name: 'full_name', type: 'VARCHAR', tags: ['PII.Name'] },
        { name: 'email', type: 'VARCHAR', tags: ['PII.Email'] },
        { name: 'phone', type: 'VARCHAR', tags: ['PII.PhoneNumber'] },
        { name: 'region', type: 'VARCHAR', tags: [] },
        { name: 'date_of_birth', type: 'DATE', tags: ['PII.DateOfBirth'] },
        { name: 'created_at', type: 'TIMESTAMP', tags: [] },
      ],
      rows: customers,
    },
    {
      depot: 'icebase',
      collection: 'retail',
      dataset: 'orders',
      columns: [
        { name: 'order_id', type: 'BIGINT', tags: [] },
        { name: 'customer_id', type: 'BIGINT', tags: [] },
        { name: 'order_total', type: 'DECIMAL(12,2)', tags: [] },
        { name: 'ordered_at', type: 'TIMESTAMP', tags: [] },
      ],
      rows: orders,
    },
    {
      depot: 'icebase',
      collection: 'retail',
      dataset: 'products',
      columns: [
        { name: 'sku', type: 'VARCHAR', tags: [] },
        { name: 'title', type: 'VARCHAR', tags: [] },
        { name: 'price', type: 'DECIMAL(10,2)', tags: [] },
      ],
      rows: products,
    },
    {
      depot: 'lakehouse',
      collection: 'finance',
      dataset: 'invoices',
      columns: [
        { name: 'invoice_id', type: 'VARCHAR', tags: [] },
        { name: 'customer_id', type: 'BIGINT', tags: [] },
        { name: 'amount', type: 'DECIMAL(12,2)', tags: [] },
      ],
      rows: invoices,
    },
    {
      depot: 'icebase',
      collection: 'retail',
      dataset: 'customer_360',
      columns: [
        { name: 'customer_id', type: 'BIGINT', tags: [] },
        { name: 'full_name', type: 'VARCHAR', tags: ['PII.Name'] },
        { name: 'email', type: 'VARCHAR', tags: ['PII.Email'] },
        { name: 'region', type: 'VARCHAR', tags: [] },
        { name: 'orders_count', type: 'INTEGER', tags: [] },
        { name: 'lifetime_value', type: 'DECIMAL(12,2)', tags: [] },
        { name: 'last_order_at', type: 'TIMESTAMP', tags: [] },
        { name: 'sessions_30d', type: 'INTEGER', tags: [] },
      ],
      rows: customer360,
    },
  ];
}

const csvField = (v: string | number | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function toCsv(table: DemoTable): string {
  return (
    [table.columns.map((c) => c.name).join(','), ...table.rows.map((r) => r.map(csvField).join(','))].join('\n') + '\n'
  );
}

export interface DemoFile {
  table: DemoTable;
  file: string;
}

/**
 * Writes each demo table as CSV under `dir` (default `subgraphs/gateway/.data/demo`), only when
 * missing or different; returns the files. Deterministic: the same bytes on every run.
 */
export function writeDemoFiles(dir = DEMO_DATA_DIR, tables = demoTables()): DemoFile[] {
  return tables.map((table) => {
    const folder = join(dir, table.depot, table.collection);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${table.dataset}.csv`);
    const content = toCsv(table);
    let current: string | null = null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = null;
    }
    if (
      current === null ||
      createHash('sha256').update(current).digest('hex') !== createHash('sha256').update(content).digest('hex')
    ) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, content);
      renameSync(tmp, file);
    }
    return { table, file };
  });
}
