import type { DatasetKind, ResourceKind } from '../store/records.js';

/** A column: name, type, tags, description. */
export type DemoColumn = [name: string, type: string, tags?: string[], description?: string];

/** The shape `seedMetis` accepts (the first six fields are the original, still accepted as such). */
export interface DemoDataset {
  urn: string;
  name: string;
  description: string;
  layer: string;
  tags: string[];
  columns: DemoColumn[];
  /** Defaults to the `dataos:domain:<name>` tag, if any. */
  domain?: string;
  kind?: DatasetKind;
  format?: string;
  /** Owner ids: `users:id:<id>`, `teams:id:<id>`. */
  owners?: string[];
  glossaryTerms?: string[];
  freshnessSloSeconds?: number;
}

export interface DemoSource {
  name: string;
  type: string;
  description: string;
  connection: { key: string; value: string }[];
}

export interface DemoResource {
  kind: ResourceKind;
  workspace: string;
  name: string;
  version: string;
  state: string;
  description: string;
  owner: string;
  tags: string[];
}

export interface DemoLineage {
  via: string;
  job: string;
  from: string[];
  to: string;
  /** [upstream dataset index in `from`, upstream column, downstream column, transformation]. */
  columns?: [from: number, upstream: string, downstream: string, transformation?: string][];
}

export interface DemoRun {
  dataset: string;
  via: string;
  job: string;
  rows: number;
  bytes: number;
  /** Days before today, and minutes the run took. */
  daysAgo: number;
  minutes: number;
  status?: 'SUCCEEDED' | 'FAILED';
  profiles?: { name: string; nullCount: number; distinctCount: number; min?: string; max?: string; mean?: number }[];
}

const DAY = 86_400;
const PII = {
  name: ['PII.Name'],
  email: ['PII.Email'],
  phone: ['PII.PhoneNumber'],
  dob: ['PII.DateOfBirth'],
  address: ['PII.Address'],
  ip: ['PII.IPAddress'],
};

export const DEMO_PEOPLE: Record<string, { name: string; email?: string }> = {
  'users:id:alice': { name: 'Alice Martin', email: 'alice@dataos.local' },
  'users:id:bob': { name: 'Bob Okafor', email: 'bob@dataos.local' },
  'users:id:carol': { name: 'Carol Nguyen', email: 'carol@dataos.local' },
  'users:id:erin': { name: 'Erin Walsh', email: 'erin@dataos.local' },
  'users:id:farid': { name: 'Farid Haddad', email: 'farid@dataos.local' },
  'teams:id:retail-data': { name: 'Retail data team' },
  'teams:id:finance-analytics': { name: 'Finance analytics' },
  'teams:id:marketing-ops': { name: 'Marketing operations' },
  'teams:id:supply-chain': { name: 'Supply chain analytics' },
  'teams:id:platform': { name: 'Data platform' },
};

export const DEMO_DOMAINS = [
  { name: 'retail', description: 'Storefronts, customers, orders and products.' },
  { name: 'finance', description: 'Invoices, payments, the ledger and revenue reporting.' },
  { name: 'marketing', description: 'Campaigns, audiences and engagement.' },
  { name: 'supply-chain', description: 'Suppliers, purchase orders, shipments and stock.' },
];

export const DEMO_GLOSSARY = [
  {
    name: 'Customer',
    domain: 'retail',
    definition: 'A person or organisation that has placed at least one order.',
    synonyms: ['Client', 'Buyer'],
    related: ['Order', 'Customer Lifetime Value', 'Personal Data'],
  },
  {
    name: 'Order',
    domain: 'retail',
    definition: 'A confirmed request by a customer to buy one or more products.',
    synonyms: ['Purchase'],
    related: ['Customer', 'Product', 'Invoice'],
  },
  {
    name: 'Product',
    domain: 'retail',
    definition: 'An item offered for sale, identified by its SKU.',
    synonyms: ['Item', 'Article'],
    related: ['SKU', 'Order'],
  },
  {
    name: 'SKU',
    domain: 'retail',
    definition: 'Stock keeping unit: the identifier of a sellable product variant.',
    synonyms: ['Stock keeping unit'],
    related: ['Product'],
  },
  {
    name: 'Gross Merchandise Value',
    domain: 'retail',
    definition: 'Total value of merchandise sold over a period, before returns, discounts and fees.',
    synonyms: ['GMV'],
    related: ['Revenue', 'Order'],
  },
  {
    name: 'Customer Lifetime Value',
    domain: 'marketing',
    definition: 'The net revenue a customer is expected to bring over the whole relationship.',
    synonyms: ['CLV', 'LTV'],
    related: ['Customer', 'Churn'],
  },
  {
    name: 'Churn',
    domain: 'marketing',
    definition: 'A customer who has not ordered in the last 180 days.',
    synonyms: ['Attrition'],
    related: ['Customer Lifetime Value'],
  },
  {
    name: 'Campaign',
    domain: 'marketing',
    definition: 'A coordinated set of marketing messages with a budget and a goal.',
    synonyms: [],
    related: ['Attribution'],
  },
  {
    name: 'Attribution',
    domain: 'marketing',
    definition: 'Assigning the credit of an order to the campaigns that led to it.',
    synonyms: ['Marketing attribution'],
    related: ['Campaign', 'Order'],
  },
  {
    name: 'Invoice',
    domain: 'finance',
    definition: 'A bill issued to a customer for delivered orders.',
    synonyms: ['Bill'],
    related: ['Order', 'Payment', 'Revenue'],
  },
  {
    name: 'Payment',
    domain: 'finance',
    definition: 'Money received against one or more invoices.',
    synonyms: [],
    related: ['Invoice'],
  },
  {
    name: 'Revenue',
    domain: 'finance',
    definition: 'Income recognised from invoiced sales, net of taxes and credit notes.',
    synonyms: ['Turnover', 'Sales'],
    related: ['Invoice', 'Gross Merchandise Value'],
  },
  {
    name: 'Supplier',
    domain: 'supply-chain',
    definition: 'A company we buy products from.',
    synonyms: ['Vendor'],
    related: ['Purchase Order', 'Shipment'],
  },
  {
    name: 'Purchase Order',
    domain: 'supply-chain',
    definition: 'An order we place with a supplier.',
    synonyms: ['PO'],
    related: ['Supplier'],
  },
  {
    name: 'Shipment',
    domain: 'supply-chain',
    definition: 'Goods in transit from a supplier to a warehouse or from a warehouse to a customer.',
    synonyms: ['Delivery'],
    related: ['Supplier'],
  },
  {
    name: 'Personal Data',
    domain: null,
    definition: 'Information relating to an identified or identifiable natural person (GDPR art. 4).',
    synonyms: ['PII', 'Personally identifiable information'],
    related: ['Email Address', 'Phone Number', 'Customer'],
  },
  {
    name: 'Email Address',
    domain: null,
    definition: 'An address a person receives email at; personal data.',
    synonyms: ['Email'],
    related: ['Personal Data'],
  },
  {
    name: 'Phone Number',
    domain: null,
    definition: 'A telephone number of a person, in E.164 form when normalised; personal data.',
    synonyms: ['Telephone'],
    related: ['Personal Data'],
  },
];

export const DEMO_SOURCES: DemoSource[] = [
  {
    name: 'icebase',
    type: 'icebase',
    description: 'The Iceberg lakehouse on ABFSS: the governed home of clean, curated and serving data.',
    connection: [
      { key: 'catalog', value: 'hive-metastore' },
      { key: 'warehouse', value: 'abfss://icebase@dataosprod.dfs.core.windows.net/' },
      { key: 'format', value: 'iceberg' },
    ],
  },
  {
    name: 'lakehouse',
    type: 'lakehouse',
    description: 'Delta lakehouse for finance and marketing analytics.',
    connection: [
      { key: 'storage', value: 's3://dataos-lakehouse/' },
      { key: 'format', value: 'delta' },
    ],
  },
  {
    name: 'kafka',
    type: 'kafka',
    description: 'Event streams from storefronts, warehouses and the email platform.',
    connection: [
      { key: 'brokers', value: 'kafka-0.kafka:9092,kafka-1.kafka:9092' },
      { key: 'schemaRegistry', value: 'http://schema-registry:8081' },
    ],
  },
  {
    name: 'crmdb',
    type: 'postgres',
    description: 'The CRM operational database (read replica).',
    connection: [
      { key: 'host', value: 'crm-replica.internal' },
      { key: 'port', value: '5432' },
      { key: 'database', value: 'crm' },
    ],
  },
  {
    name: 'erpdb',
    type: 'postgres',
    description: 'The ERP operational database (read replica): finance and procurement.',
    connection: [
      { key: 'host', value: 'erp-replica.internal' },
      { key: 'port', value: '5432' },
      { key: 'database', value: 'erp' },
    ],
  },
  {
    name: 'gcsraw',
    type: 'gcs',
    description: 'Landing bucket for partner files (product feeds, ad spend exports).',
    connection: [
      { key: 'bucket', value: 'gs://dataos-landing' },
      { key: 'project', value: 'dataos-prod' },
    ],
  },
];

const wf = (workspace: string, name: string, owner: string, description: string): DemoResource => ({
  kind: 'WORKFLOW',
  workspace,
  name,
  version: 'v1',
  state: 'active',
  description,
  owner,
  tags: ['dataos:type:workflow'],
});

/** Workspaces by domain; names shared with Caretaker's demo pods (orders-ingest, customers-dedupe, ...). */
export const DEMO_RESOURCES: DemoResource[] = [
  wf('retail', 'crm-ingest', 'teams:id:platform', 'Nightly copy of CRM tables into icebase raw.'),
  wf(
    'retail',
    'customers-dedupe',
    'teams:id:retail-data',
    'Deduplicates customers across storefronts and normalises contact details.',
  ),
  wf('retail', 'orders-ingest', 'teams:id:retail-data', 'Flattens order events into order lines and orders.'),
  wf('retail', 'products-load', 'teams:id:retail-data', 'Loads partner product feeds and current prices.'),
  wf('retail', 'sessionize', 'teams:id:retail-data', 'Sessionises the storefront clickstream.'),
  wf('retail', 'customer-360', 'users:id:alice', 'Builds the customer 360 view from customers, orders and sessions.'),
  wf('retail', 'sales-daily', 'users:id:alice', 'Daily sales and product performance aggregates.'),
  wf('retail', 'segments', 'teams:id:marketing-ops', 'RFM customer segments and the sales dashboard extract.'),
  wf('finance', 'invoices-export', 'teams:id:finance-analytics', 'Invoices from the ERP and retail orders.'),
  wf('finance', 'ledger-reconcile', 'teams:id:finance-analytics', 'Balances the general ledger postings.'),
  wf('finance', 'revenue-close', 'teams:id:finance-analytics', 'Payments, revenue recognition and the monthly close.'),
  wf('marketing', 'ad-spend-load', 'teams:id:marketing-ops', 'Loads ad platform spend and email engagement.'),
  wf(
    'marketing',
    'campaign-scoring',
    'teams:id:marketing-ops',
    'Multi-touch attribution of orders to campaigns, and their ROI.',
  ),
  wf('marketing', 'audience-refresh', 'users:id:erin', 'Marketing audiences from the customer 360 and engagement.'),
  wf('supply-chain', 'inventory', 'teams:id:supply-chain', 'Current stock from inventory updates and shipments.'),
  wf('supply-chain', 'procurement', 'teams:id:supply-chain', 'Suppliers, purchase orders and supplier scorecards.'),
  {
    kind: 'SERVICE',
    workspace: 'retail',
    name: 'order-events-sink',
    version: 'v1',
    state: 'running',
    description: 'Streams order events from Kafka into icebase raw.',
    owner: 'teams:id:platform',
    tags: ['dataos:type:service'],
  },
  {
    kind: 'CLUSTER',
    workspace: 'public',
    name: 'minerva-retail',
    version: 'v1',
    state: 'active',
    description: 'Minerva query cluster for retail analysts.',
    owner: 'teams:id:platform',
    tags: ['dataos:type:cluster'],
  },
  {
    kind: 'CLUSTER',
    workspace: 'public',
    name: 'minerva-finance',
    version: 'v1',
    state: 'active',
    description: 'Minerva query cluster for finance.',
    owner: 'teams:id:platform',
    tags: ['dataos:type:cluster'],
  },
  {
    kind: 'POLICY',
    workspace: 'system',
    name: 'pii-masking',
    version: 'v1',
    state: 'active',
    description: 'Masks PII columns for everyone but the data owners.',
    owner: 'users:id:carol',
    tags: ['dataos:type:policy'],
  },
  ...DEMO_SOURCES.map((s): DemoResource => ({
    kind: 'DEPOT',
    workspace: 'system',
    name: s.name,
    version: 'v1',
    state: 'active',
    description: s.description,
    owner: 'teams:id:platform',
    tags: ['dataos:type:depot'],
  })),
];

const d = (
  urn: string,
  layer: string,
  domain: string,
  description: string,
  columns: DemoColumn[],
  more: Partial<DemoDataset> = {},
): DemoDataset => ({
  urn,
  name: urn.slice(urn.lastIndexOf('/') + 1),
  description,
  layer,
  tags: [`dataos:domain:${domain}`, `dataos:layer:${layer}`, ...(more.tags ?? [])],
  columns,
  domain,
  kind: more.kind ?? 'TABLE',
  format:
    more.format ??
    (urn.startsWith('dataos://icebase') ? 'iceberg' : urn.startsWith('dataos://lakehouse') ? 'delta' : undefined),
  freshnessSloSeconds: layer === 'curated' || layer === 'serving' ? DAY : undefined,
  ...Object.fromEntries(Object.entries(more).filter(([k]) => k !== 'tags')),
});

const ts = (name = 'created_at'): DemoColumn => [name, 'timestamp'];

export const DEMO_DATASETS: DemoDataset[] = [
  // ------------------------------------------------------------------ retail: raw
  d(
    'dataos://crmdb:public/customers',
    'raw',
    'retail',
    'CRM customer accounts as entered by storefronts and the call centre.',
    [
      ['id', 'bigint', [], 'CRM account id.'],
      ['first_name', 'varchar', PII.name],
      ['last_name', 'varchar', PII.name],
      ['email', 'varchar', PII.email],
      ['phone', 'varchar', PII.phone],
      ['date_of_birth', 'date', PII.dob],
      ['country', 'varchar'],
      ['storefront', 'varchar'],
      ts(),
      ts('updated_at'),
    ],
    { owners: ['teams:id:platform'], glossaryTerms: ['Customer', 'Personal Data'], tags: ['PII'] },
  ),
  d(
    'dataos://crmdb:public/addresses',
    'raw',
    'retail',
    'Postal addresses of CRM accounts, several per account.',
    [
      ['id', 'bigint'],
      ['customer_id', 'bigint'],
      ['street', 'varchar', PII.address],
      ['postal_code', 'varchar', PII.address],
      ['city', 'varchar'],
      ['country', 'varchar'],
      ['kind', 'varchar', [], 'billing or shipping'],
    ],
    { owners: ['teams:id:platform'], tags: ['PII'] },
  ),
  d(
    'dataos://kafka:retail/order_events',
    'raw',
    'retail',
    'Order lifecycle events (placed, paid, shipped, returned) from every storefront.',
    [
      ['event_id', 'string'],
      ['order_id', 'long'],
      ['customer_id', 'long'],
      ['sku', 'string'],
      ['quantity', 'int'],
      ['unit_price', 'decimal(10,2)'],
      ['event_type', 'string'],
      ['event_time', 'timestamp-millis'],
    ],
    { kind: 'TOPIC', format: 'avro', owners: ['teams:id:platform'], glossaryTerms: ['Order'] },
  ),
  d(
    'dataos://kafka:retail/clickstream',
    'raw',
    'retail',
    'Storefront page views and clicks.',
    [
      ['session_id', 'string'],
      ['customer_id', 'long'],
      ['page', 'string'],
      ['referrer', 'string'],
      ['ip_address', 'string', PII.ip],
      ['user_agent', 'string'],
      ['event_time', 'timestamp-millis'],
    ],
    { kind: 'TOPIC', format: 'json', owners: ['teams:id:platform'] },
  ),
  d(
    'dataos://kafka:retail/inventory_updates',
    'raw',
    'retail',
    'Stock movements reported by warehouses.',
    [
      ['warehouse', 'string'],
      ['sku', 'string'],
      ['delta', 'int'],
      ['reason', 'string'],
      ['event_time', 'timestamp-millis'],
    ],
    { kind: 'TOPIC', format: 'avro', owners: ['teams:id:supply-chain'] },
  ),
  d(
    'dataos://gcsraw:retail/product_feed',
    'raw',
    'retail',
    'Daily product feed files from suppliers (CSV).',
    [
      ['sku', 'string'],
      ['title', 'string'],
      ['brand', 'string'],
      ['category', 'string'],
      ['list_price', 'string'],
      ['currency', 'string'],
    ],
    { kind: 'FILES', format: 'csv', owners: ['teams:id:retail-data'] },
  ),
  d(
    'dataos://icebase:retail/raw_customers',
    'raw',
    'retail',
    'Copy of crm customers, as-is, partitioned by load date.',
    [
      ['id', 'bigint'],
      ['first_name', 'varchar', PII.name],
      ['last_name', 'varchar', PII.name],
      ['email', 'varchar', PII.email],
      ['phone', 'varchar', PII.phone],
      ['date_of_birth', 'date', PII.dob],
      ['country', 'varchar'],
      ['storefront', 'varchar'],
      ts('load_date'),
    ],
    { owners: ['teams:id:platform'], tags: ['PII'] },
  ),
  d(
    'dataos://icebase:retail/raw_orders',
    'raw',
    'retail',
    'Order events landed from Kafka, one row per event.',
    [
      ['event_id', 'varchar'],
      ['order_id', 'bigint'],
      ['customer_id', 'bigint'],
      ['sku', 'varchar'],
      ['quantity', 'int'],
      ['unit_price', 'decimal(10,2)'],
      ['event_type', 'varchar'],
      ['event_time', 'timestamp'],
    ],
    { owners: ['teams:id:platform'] },
  ),
  d(
    'dataos://icebase:retail/raw_products',
    'raw',
    'retail',
    'Product feed rows, typed, one partition per feed file.',
    [
      ['sku', 'varchar'],
      ['title', 'varchar'],
      ['brand', 'varchar'],
      ['category', 'varchar'],
      ['list_price', 'decimal(10,2)'],
      ['currency', 'varchar'],
      ts('feed_date'),
    ],
    { owners: ['teams:id:retail-data'] },
  ),
  // ------------------------------------------------------------------ retail: clean
  d(
    'dataos://icebase:retail/products',
    'clean',
    'retail',
    'Product catalogue with current prices.',
    [
      ['sku', 'varchar', [], 'Stock keeping unit.'],
      ['title', 'varchar'],
      ['price', 'decimal(10,2)', [], 'Current price in EUR.'],
    ],
    { owners: ['teams:id:retail-data'], glossaryTerms: ['Product', 'SKU'] },
  ),
  d(
    'dataos://icebase:retail/order_lines',
    'clean',
    'retail',
    'One row per product in an order, latest state of each order.',
    [
      ['order_id', 'bigint'],
      ['line_number', 'int'],
      ['customer_id', 'bigint'],
      ['sku', 'varchar'],
      ['quantity', 'int'],
      ['unit_price', 'decimal(10,2)'],
      ['status', 'varchar'],
      ['ordered_at', 'timestamp'],
    ],
    { owners: ['teams:id:retail-data'], glossaryTerms: ['Order'] },
  ),
  d(
    'dataos://icebase:retail/customer_addresses',
    'clean',
    'retail',
    'Validated customer addresses with a region, one shipping and one billing per customer.',
    [
      ['customer_id', 'bigint'],
      ['kind', 'varchar'],
      ['street', 'varchar', PII.address],
      ['postal_code', 'varchar', PII.address],
      ['city', 'varchar'],
      ['region', 'varchar'],
      ['country', 'varchar'],
    ],
    { owners: ['teams:id:retail-data'], tags: ['PII'] },
  ),
  d(
    'dataos://icebase:retail/sessions',
    'clean',
    'retail',
    'Storefront sessions: pages, duration and conversion.',
    [
      ['session_id', 'varchar'],
      ['customer_id', 'bigint'],
      ['started_at', 'timestamp'],
      ['pages', 'int'],
      ['duration_s', 'int'],
      ['converted', 'boolean'],
    ],
    { owners: ['teams:id:retail-data'] },
  ),
  d(
    'dataos://icebase:retail/inventory',
    'clean',
    'retail',
    'Stock on hand per warehouse and SKU.',
    [
      ['warehouse', 'varchar'],
      ['sku', 'varchar'],
      ['on_hand', 'int'],
      ['updated_at', 'timestamp'],
    ],
    { owners: ['teams:id:supply-chain'] },
  ),
  // ------------------------------------------------------------------ retail: curated
  d(
    'dataos://icebase:retail/customers',
    'curated',
    'retail',
    'One row per customer, deduplicated across storefronts.',
    [
      ['customer_id', 'bigint', [], 'Golden customer id.'],
      ['full_name', 'varchar', PII.name],
      ['email', 'varchar', PII.email],
      ['phone', 'varchar', PII.phone],
      ['date_of_birth', 'date', PII.dob],
      ['region', 'varchar'],
      ['created_at', 'timestamp'],
    ],
    {
      owners: ['users:id:alice', 'teams:id:retail-data'],
      glossaryTerms: ['Customer', 'Personal Data'],
      tags: ['PII', 'Tier.Gold'],
    },
  ),
  d(
    'dataos://icebase:retail/orders',
    'curated',
    'retail',
    'Orders placed on every storefront, one row per order.',
    [
      ['order_id', 'bigint'],
      ['customer_id', 'bigint'],
      ['order_total', 'decimal(12,2)', [], 'Sum of the order lines, EUR.'],
      ['ordered_at', 'timestamp'],
    ],
    { owners: ['users:id:alice', 'teams:id:retail-data'], glossaryTerms: ['Order'], tags: ['Tier.Gold'] },
  ),
  d(
    'dataos://icebase:retail/customer_360',
    'curated',
    'retail',
    'Everything about a customer in one row: profile, orders, sessions and value.',
    [
      ['customer_id', 'bigint'],
      ['full_name', 'varchar', PII.name],
      ['email', 'varchar', PII.email],
      ['region', 'varchar'],
      ['orders_count', 'int'],
      ['lifetime_value', 'decimal(12,2)'],
      ['last_order_at', 'timestamp'],
      ['sessions_30d', 'int'],
    ],
    { owners: ['users:id:alice'], glossaryTerms: ['Customer', 'Customer Lifetime Value'], tags: ['PII', 'Tier.Gold'] },
  ),
  d(
    'dataos://icebase:retail/product_performance',
    'curated',
    'retail',
    'Units, revenue and margin per product and day.',
    [
      ['day', 'date'],
      ['sku', 'varchar'],
      ['units', 'int'],
      ['revenue', 'decimal(12,2)'],
      ['margin', 'decimal(12,2)'],
    ],
    { owners: ['users:id:alice'], glossaryTerms: ['Product'] },
  ),
  // ------------------------------------------------------------------ retail: serving
  d(
    'dataos://icebase:retail/daily_sales',
    'serving',
    'retail',
    'Gross merchandise value and orders per day and region.',
    [
      ['day', 'date'],
      ['region', 'varchar'],
      ['orders', 'int'],
      ['gmv', 'decimal(14,2)', [], 'Gross merchandise value, EUR.'],
      ['avg_basket', 'decimal(10,2)'],
    ],
    { owners: ['users:id:alice'], glossaryTerms: ['Gross Merchandise Value'], tags: ['Tier.Silver'] },
  ),
  d(
    'dataos://icebase:retail/customer_segments',
    'serving',
    'retail',
    'RFM segments of customers, refreshed nightly.',
    [
      ['customer_id', 'bigint'],
      ['segment', 'varchar'],
      ['recency_days', 'int'],
      ['frequency', 'int'],
      ['monetary', 'decimal(12,2)'],
    ],
    { owners: ['teams:id:marketing-ops'], glossaryTerms: ['Customer', 'Churn'] },
  ),
  d(
    'dataos://icebase:retail/top_products',
    'serving',
    'retail',
    'The 100 best-selling products of the last 30 days.',
    [
      ['rank', 'int'],
      ['sku', 'varchar'],
      ['title', 'varchar'],
      ['units_30d', 'int'],
      ['revenue_30d', 'decimal(12,2)'],
    ],
    { owners: ['users:id:alice'], glossaryTerms: ['Product'] },
  ),
  d(
    'dataos://icebase:retail/sales_dashboard',
    'serving',
    'retail',
    'Extract behind the retail sales dashboard.',
    [
      ['day', 'date'],
      ['region', 'varchar'],
      ['gmv', 'decimal(14,2)'],
      ['orders', 'int'],
      ['segment_mix', 'varchar'],
    ],
    { kind: 'DASHBOARD', owners: ['users:id:alice'] },
  ),
  // ------------------------------------------------------------------ finance
  d(
    'dataos://erpdb:public/invoices_raw',
    'raw',
    'finance',
    'ERP invoice headers.',
    [
      ['invoice_no', 'varchar'],
      ['order_ref', 'bigint'],
      ['customer_ref', 'bigint'],
      ['net', 'numeric'],
      ['tax', 'numeric'],
      ['issued_on', 'date'],
    ],
    { owners: ['teams:id:finance-analytics'] },
  ),
  d(
    'dataos://erpdb:public/payments_raw',
    'raw',
    'finance',
    'Bank payments matched in the ERP.',
    [
      ['payment_id', 'varchar'],
      ['invoice_no', 'varchar'],
      ['amount', 'numeric'],
      ['iban', 'varchar', ['PII.BankAccount']],
      ['received_on', 'date'],
    ],
    { owners: ['teams:id:finance-analytics'], tags: ['PII'] },
  ),
  d(
    'dataos://erpdb:public/ledger_entries',
    'raw',
    'finance',
    'General ledger postings.',
    [
      ['entry_id', 'bigint'],
      ['account', 'varchar'],
      ['debit', 'numeric'],
      ['credit', 'numeric'],
      ['posted_on', 'date'],
    ],
    { owners: ['teams:id:finance-analytics'] },
  ),
  d(
    'dataos://lakehouse:finance/invoices',
    'curated',
    'finance',
    'Issued invoices, restricted to finance.',
    [
      ['invoice_id', 'varchar'],
      ['customer_id', 'bigint'],
      ['amount', 'decimal(12,2)'],
    ],
    { owners: ['teams:id:finance-analytics', 'users:id:farid'], glossaryTerms: ['Invoice'], tags: ['Tier.Gold'] },
  ),
  d(
    'dataos://lakehouse:finance/payments',
    'clean',
    'finance',
    'Payments with their invoice and settlement date.',
    [
      ['payment_id', 'varchar'],
      ['invoice_id', 'varchar'],
      ['amount', 'decimal(12,2)'],
      ['received_on', 'date'],
    ],
    { owners: ['teams:id:finance-analytics'], glossaryTerms: ['Payment'] },
  ),
  d(
    'dataos://lakehouse:finance/ledger',
    'clean',
    'finance',
    'Balanced ledger postings by account and day.',
    [
      ['day', 'date'],
      ['account', 'varchar'],
      ['debit', 'decimal(14,2)'],
      ['credit', 'decimal(14,2)'],
    ],
    { owners: ['teams:id:finance-analytics'] },
  ),
  d(
    'dataos://lakehouse:finance/revenue',
    'curated',
    'finance',
    'Recognised revenue per invoice line.',
    [
      ['invoice_id', 'varchar'],
      ['recognised_on', 'date'],
      ['revenue', 'decimal(12,2)'],
      ['region', 'varchar'],
    ],
    { owners: ['users:id:farid'], glossaryTerms: ['Revenue'] },
  ),
  d(
    'dataos://lakehouse:finance/monthly_revenue',
    'serving',
    'finance',
    'Revenue per month and region for the board pack.',
    [
      ['month', 'date'],
      ['region', 'varchar'],
      ['revenue', 'decimal(14,2)'],
      ['growth_pct', 'decimal(6,2)'],
    ],
    { owners: ['users:id:farid'], glossaryTerms: ['Revenue'] },
  ),
  d(
    'dataos://lakehouse:finance/ar_aging',
    'serving',
    'finance',
    'Accounts receivable aging buckets per customer.',
    [
      ['customer_id', 'bigint'],
      ['bucket', 'varchar'],
      ['open_amount', 'decimal(12,2)'],
    ],
    { owners: ['teams:id:finance-analytics'], glossaryTerms: ['Invoice', 'Payment'] },
  ),
  d(
    'dataos://lakehouse:finance/revenue_dashboard',
    'serving',
    'finance',
    'Extract behind the CFO revenue dashboard.',
    [
      ['month', 'date'],
      ['revenue', 'decimal(14,2)'],
      ['target', 'decimal(14,2)'],
    ],
    { kind: 'DASHBOARD', owners: ['users:id:farid'] },
  ),
  // ------------------------------------------------------------------ marketing
  d(
    'dataos://gcsraw:marketing/ad_spend',
    'raw',
    'marketing',
    'Ad platform spend exports (one CSV per platform and day).',
    [
      ['platform', 'string'],
      ['campaign_code', 'string'],
      ['day', 'string'],
      ['spend', 'string'],
      ['impressions', 'string'],
      ['clicks', 'string'],
    ],
    { kind: 'FILES', format: 'csv', owners: ['teams:id:marketing-ops'] },
  ),
  d(
    'dataos://kafka:marketing/email_events',
    'raw',
    'marketing',
    'Email sends, opens, clicks and bounces from the email platform.',
    [
      ['message_id', 'string'],
      ['campaign_code', 'string'],
      ['recipient_email', 'string', PII.email],
      ['event', 'string'],
      ['event_time', 'timestamp-millis'],
    ],
    { kind: 'TOPIC', format: 'json', owners: ['teams:id:marketing-ops'], tags: ['PII'] },
  ),
  d(
    'dataos://lakehouse:marketing/campaigns',
    'clean',
    'marketing',
    'Campaigns with channel, budget and dates.',
    [
      ['campaign_code', 'varchar'],
      ['name', 'varchar'],
      ['channel', 'varchar'],
      ['budget', 'decimal(12,2)'],
      ['starts_on', 'date'],
      ['ends_on', 'date'],
    ],
    { owners: ['users:id:erin'], glossaryTerms: ['Campaign'] },
  ),
  d(
    'dataos://lakehouse:marketing/ad_spend_daily',
    'clean',
    'marketing',
    'Spend, impressions and clicks per campaign and day, in EUR.',
    [
      ['day', 'date'],
      ['campaign_code', 'varchar'],
      ['spend', 'decimal(12,2)'],
      ['impressions', 'bigint'],
      ['clicks', 'bigint'],
    ],
    { owners: ['users:id:erin'] },
  ),
  d(
    'dataos://lakehouse:marketing/email_engagement',
    'clean',
    'marketing',
    'Opens and clicks per recipient and campaign.',
    [
      ['campaign_code', 'varchar'],
      ['customer_id', 'bigint'],
      ['email', 'varchar', PII.email],
      ['opened', 'boolean'],
      ['clicked', 'boolean'],
    ],
    { owners: ['users:id:erin'], tags: ['PII'] },
  ),
  d(
    'dataos://lakehouse:marketing/campaign_attribution',
    'curated',
    'marketing',
    'Orders attributed to campaigns (position-based multi-touch).',
    [
      ['order_id', 'bigint'],
      ['campaign_code', 'varchar'],
      ['weight', 'decimal(5,4)'],
      ['attributed_revenue', 'decimal(12,2)'],
    ],
    { owners: ['teams:id:marketing-ops'], glossaryTerms: ['Attribution', 'Campaign'] },
  ),
  d(
    'dataos://lakehouse:marketing/audience_profiles',
    'curated',
    'marketing',
    'Marketing audiences with contact consent and predicted value.',
    [
      ['customer_id', 'bigint'],
      ['email', 'varchar', PII.email],
      ['phone', 'varchar', PII.phone],
      ['consent_email', 'boolean'],
      ['predicted_clv', 'decimal(12,2)'],
    ],
    { owners: ['users:id:erin'], glossaryTerms: ['Customer Lifetime Value', 'Personal Data'], tags: ['PII'] },
  ),
  d(
    'dataos://lakehouse:marketing/campaign_roi',
    'serving',
    'marketing',
    'Return on ad spend per campaign.',
    [
      ['campaign_code', 'varchar'],
      ['spend', 'decimal(12,2)'],
      ['attributed_revenue', 'decimal(12,2)'],
      ['roas', 'decimal(8,2)'],
    ],
    { owners: ['users:id:erin'], glossaryTerms: ['Campaign'] },
  ),
  d(
    'dataos://lakehouse:marketing/marketing_dashboard',
    'serving',
    'marketing',
    'Extract behind the marketing performance dashboard.',
    [
      ['week', 'date'],
      ['channel', 'varchar'],
      ['spend', 'decimal(12,2)'],
      ['roas', 'decimal(8,2)'],
    ],
    { kind: 'DASHBOARD', owners: ['users:id:erin'] },
  ),
  // ------------------------------------------------------------------ supply chain
  d(
    'dataos://kafka:supply/shipment_events',
    'raw',
    'supply-chain',
    'Carrier tracking events.',
    [
      ['shipment_id', 'string'],
      ['carrier', 'string'],
      ['status', 'string'],
      ['location', 'string'],
      ['event_time', 'timestamp-millis'],
    ],
    { kind: 'TOPIC', format: 'avro', owners: ['teams:id:supply-chain'] },
  ),
  d(
    'dataos://erpdb:public/suppliers_raw',
    'raw',
    'supply-chain',
    'ERP supplier master data.',
    [
      ['supplier_no', 'varchar'],
      ['name', 'varchar'],
      ['contact_email', 'varchar', PII.email],
      ['country', 'varchar'],
    ],
    { owners: ['teams:id:supply-chain'], tags: ['PII'] },
  ),
  d(
    'dataos://erpdb:public/purchase_orders_raw',
    'raw',
    'supply-chain',
    'ERP purchase order lines.',
    [
      ['po_no', 'varchar'],
      ['supplier_no', 'varchar'],
      ['sku', 'varchar'],
      ['quantity', 'int'],
      ['ordered_on', 'date'],
      ['due_on', 'date'],
    ],
    { owners: ['teams:id:supply-chain'] },
  ),
  d(
    'dataos://icebase:supply/shipments',
    'clean',
    'supply-chain',
    'Shipments with their latest status and delivery time.',
    [
      ['shipment_id', 'varchar'],
      ['po_no', 'varchar'],
      ['carrier', 'varchar'],
      ['status', 'varchar'],
      ['delivered_at', 'timestamp'],
    ],
    { owners: ['teams:id:supply-chain'], glossaryTerms: ['Shipment'] },
  ),
  d(
    'dataos://icebase:supply/suppliers',
    'clean',
    'supply-chain',
    'Suppliers, deduplicated, with country and category.',
    [
      ['supplier_id', 'varchar'],
      ['name', 'varchar'],
      ['country', 'varchar'],
      ['category', 'varchar'],
    ],
    { owners: ['teams:id:supply-chain'], glossaryTerms: ['Supplier'] },
  ),
  d(
    'dataos://icebase:supply/purchase_orders',
    'clean',
    'supply-chain',
    'Purchase orders with promised and actual dates.',
    [
      ['po_no', 'varchar'],
      ['supplier_id', 'varchar'],
      ['sku', 'varchar'],
      ['quantity', 'int'],
      ['due_on', 'date'],
      ['received_on', 'date'],
    ],
    { owners: ['teams:id:supply-chain'], glossaryTerms: ['Purchase Order'] },
  ),
  d(
    'dataos://icebase:supply/supplier_scorecard',
    'curated',
    'supply-chain',
    'On-time and in-full rates per supplier and month.',
    [
      ['month', 'date'],
      ['supplier_id', 'varchar'],
      ['on_time_pct', 'decimal(5,2)'],
      ['in_full_pct', 'decimal(5,2)'],
    ],
    { owners: ['teams:id:supply-chain'], glossaryTerms: ['Supplier'] },
  ),
  d(
    'dataos://icebase:supply/stock_levels',
    'curated',
    'supply-chain',
    'Stock on hand and in transit per SKU.',
    [
      ['sku', 'varchar'],
      ['on_hand', 'int'],
      ['in_transit', 'int'],
      ['days_of_cover', 'decimal(6,1)'],
    ],
    { owners: ['teams:id:supply-chain'] },
  ),
  d(
    'dataos://icebase:supply/replenishment_forecast',
    'serving',
    'supply-chain',
    'Suggested reorder quantities per SKU for the next four weeks.',
    [
      ['sku', 'varchar'],
      ['week', 'date'],
      ['forecast_units', 'int'],
      ['reorder_qty', 'int'],
    ],
    { owners: ['teams:id:supply-chain'] },
  ),
];

const R = 'dataos://icebase:retail/';
const wfUrn = (workspace: string, name: string) => `dataos://workflow:${workspace}/${name}`;

export const DEMO_LINEAGE: DemoLineage[] = [
  {
    via: 'dataos://service:retail/order-events-sink',
    job: 'sink',
    from: ['dataos://kafka:retail/order_events'],
    to: `${R}raw_orders`,
  },
  {
    via: wfUrn('retail', 'crm-ingest'),
    job: 'copy-customers',
    from: ['dataos://crmdb:public/customers'],
    to: `${R}raw_customers`,
  },
  {
    via: wfUrn('retail', 'customers-dedupe'),
    job: 'addresses',
    from: ['dataos://crmdb:public/addresses'],
    to: `${R}customer_addresses`,
  },
  {
    via: wfUrn('retail', 'customers-dedupe'),
    job: 'golden-record',
    from: [`${R}raw_customers`, `${R}customer_addresses`],
    to: `${R}customers`,
    columns: [
      [0, 'id', 'customer_id', 'golden id from the match group'],
      [0, 'first_name', 'full_name', "initcap(first_name || ' ' || last_name)"],
      [0, 'last_name', 'full_name', "initcap(first_name || ' ' || last_name)"],
      [0, 'email', 'email', 'lower(trim(email))'],
      [0, 'phone', 'phone', 'E.164 normalisation'],
      [1, 'region', 'region'],
      [0, 'load_date', 'created_at', 'min over the match group'],
    ],
  },
  {
    via: wfUrn('retail', 'orders-ingest'),
    job: 'order-lines',
    from: [`${R}raw_orders`],
    to: `${R}order_lines`,
    columns: [
      [0, 'order_id', 'order_id'],
      [0, 'customer_id', 'customer_id'],
      [0, 'sku', 'sku'],
      [0, 'quantity', 'quantity'],
      [0, 'unit_price', 'unit_price'],
      [0, 'event_time', 'ordered_at', 'min(event_time) where placed'],
    ],
  },
  {
    via: wfUrn('retail', 'orders-ingest'),
    job: 'orders',
    from: [`${R}order_lines`],
    to: `${R}orders`,
    columns: [
      [0, 'order_id', 'order_id'],
      [0, 'customer_id', 'customer_id'],
      [0, 'quantity', 'order_total', 'sum(quantity * unit_price)'],
      [0, 'unit_price', 'order_total', 'sum(quantity * unit_price)'],
      [0, 'ordered_at', 'ordered_at'],
    ],
  },
  {
    via: wfUrn('retail', 'products-load'),
    job: 'load-feed',
    from: ['dataos://gcsraw:retail/product_feed'],
    to: `${R}raw_products`,
  },
  {
    via: wfUrn('retail', 'products-load'),
    job: 'current-prices',
    from: [`${R}raw_products`],
    to: `${R}products`,
    columns: [
      [0, 'sku', 'sku'],
      [0, 'title', 'title'],
      [0, 'list_price', 'price', 'latest list_price converted to EUR'],
    ],
  },
  {
    via: wfUrn('retail', 'sessionize'),
    job: 'sessionise',
    from: ['dataos://kafka:retail/clickstream'],
    to: `${R}sessions`,
  },
  {
    via: wfUrn('supply-chain', 'inventory'),
    job: 'stock',
    from: ['dataos://kafka:retail/inventory_updates'],
    to: `${R}inventory`,
  },
  {
    via: wfUrn('retail', 'customer-360'),
    job: 'build',
    from: [`${R}customers`, `${R}orders`, `${R}sessions`],
    to: `${R}customer_360`,
    columns: [
      [0, 'customer_id', 'customer_id'],
      [0, 'full_name', 'full_name'],
      [0, 'email', 'email'],
      [0, 'region', 'region'],
      [1, 'order_id', 'orders_count', 'count(*)'],
      [1, 'order_total', 'lifetime_value', 'sum(order_total)'],
      [1, 'ordered_at', 'last_order_at', 'max(ordered_at)'],
      [2, 'session_id', 'sessions_30d', 'count(*) over 30 days'],
    ],
  },
  {
    via: wfUrn('retail', 'sales-daily'),
    job: 'daily-sales',
    from: [`${R}orders`, `${R}customers`],
    to: `${R}daily_sales`,
    columns: [
      [0, 'ordered_at', 'day', 'date(ordered_at)'],
      [1, 'region', 'region'],
      [0, 'order_id', 'orders', 'count(*)'],
      [0, 'order_total', 'gmv', 'sum(order_total)'],
    ],
  },
  {
    via: wfUrn('retail', 'sales-daily'),
    job: 'product-performance',
    from: [`${R}order_lines`, `${R}products`],
    to: `${R}product_performance`,
  },
  {
    via: wfUrn('retail', 'sales-daily'),
    job: 'top-products',
    from: [`${R}product_performance`, `${R}products`],
    to: `${R}top_products`,
  },
  { via: wfUrn('retail', 'segments'), job: 'rfm', from: [`${R}customer_360`], to: `${R}customer_segments` },
  {
    via: wfUrn('retail', 'segments'),
    job: 'dashboard-extract',
    from: [`${R}daily_sales`, `${R}customer_segments`],
    to: `${R}sales_dashboard`,
  },
  // finance: fed by retail orders, invisible to retail-only readers
  {
    via: wfUrn('finance', 'invoices-export'),
    job: 'invoices',
    from: ['dataos://erpdb:public/invoices_raw', `${R}orders`],
    to: 'dataos://lakehouse:finance/invoices',
    columns: [
      [0, 'invoice_no', 'invoice_id'],
      [1, 'customer_id', 'customer_id'],
      [0, 'net', 'amount', 'net + tax'],
      [0, 'tax', 'amount', 'net + tax'],
    ],
  },
  {
    via: wfUrn('finance', 'revenue-close'),
    job: 'payments',
    from: ['dataos://erpdb:public/payments_raw'],
    to: 'dataos://lakehouse:finance/payments',
  },
  {
    via: wfUrn('finance', 'ledger-reconcile'),
    job: 'ledger',
    from: ['dataos://erpdb:public/ledger_entries'],
    to: 'dataos://lakehouse:finance/ledger',
  },
  {
    via: wfUrn('finance', 'revenue-close'),
    job: 'revenue',
    from: ['dataos://lakehouse:finance/invoices', 'dataos://lakehouse:finance/payments'],
    to: 'dataos://lakehouse:finance/revenue',
  },
  {
    via: wfUrn('finance', 'revenue-close'),
    job: 'monthly',
    from: ['dataos://lakehouse:finance/revenue'],
    to: 'dataos://lakehouse:finance/monthly_revenue',
  },
  {
    via: wfUrn('finance', 'revenue-close'),
    job: 'aging',
    from: ['dataos://lakehouse:finance/invoices', 'dataos://lakehouse:finance/payments'],
    to: 'dataos://lakehouse:finance/ar_aging',
  },
  {
    via: wfUrn('finance', 'revenue-close'),
    job: 'dashboard-extract',
    from: ['dataos://lakehouse:finance/monthly_revenue'],
    to: 'dataos://lakehouse:finance/revenue_dashboard',
  },
  // marketing
  {
    via: wfUrn('marketing', 'ad-spend-load'),
    job: 'spend',
    from: ['dataos://gcsraw:marketing/ad_spend'],
    to: 'dataos://lakehouse:marketing/ad_spend_daily',
  },
  {
    via: wfUrn('marketing', 'ad-spend-load'),
    job: 'engagement',
    from: ['dataos://kafka:marketing/email_events', `${R}customers`],
    to: 'dataos://lakehouse:marketing/email_engagement',
  },
  {
    via: wfUrn('marketing', 'campaign-scoring'),
    job: 'attribution',
    from: [
      'dataos://lakehouse:marketing/campaigns',
      'dataos://lakehouse:marketing/email_engagement',
      'dataos://lakehouse:marketing/ad_spend_daily',
      `${R}orders`,
    ],
    to: 'dataos://lakehouse:marketing/campaign_attribution',
  },
  {
    via: wfUrn('marketing', 'audience-refresh'),
    job: 'audiences',
    from: [`${R}customer_360`, 'dataos://lakehouse:marketing/email_engagement'],
    to: 'dataos://lakehouse:marketing/audience_profiles',
  },
  {
    via: wfUrn('marketing', 'campaign-scoring'),
    job: 'roi',
    from: ['dataos://lakehouse:marketing/campaign_attribution', 'dataos://lakehouse:marketing/ad_spend_daily'],
    to: 'dataos://lakehouse:marketing/campaign_roi',
  },
  {
    via: wfUrn('marketing', 'campaign-scoring'),
    job: 'dashboard-extract',
    from: ['dataos://lakehouse:marketing/campaign_roi'],
    to: 'dataos://lakehouse:marketing/marketing_dashboard',
  },
  // supply chain
  {
    via: wfUrn('supply-chain', 'procurement'),
    job: 'shipments',
    from: ['dataos://kafka:supply/shipment_events'],
    to: 'dataos://icebase:supply/shipments',
  },
  {
    via: wfUrn('supply-chain', 'procurement'),
    job: 'suppliers',
    from: ['dataos://erpdb:public/suppliers_raw'],
    to: 'dataos://icebase:supply/suppliers',
  },
  {
    via: wfUrn('supply-chain', 'procurement'),
    job: 'purchase-orders',
    from: ['dataos://erpdb:public/purchase_orders_raw'],
    to: 'dataos://icebase:supply/purchase_orders',
  },
  {
    via: wfUrn('supply-chain', 'procurement'),
    job: 'scorecard',
    from: [
      'dataos://icebase:supply/shipments',
      'dataos://icebase:supply/suppliers',
      'dataos://icebase:supply/purchase_orders',
    ],
    to: 'dataos://icebase:supply/supplier_scorecard',
  },
  {
    via: wfUrn('supply-chain', 'inventory'),
    job: 'stock-levels',
    from: [`${R}inventory`, 'dataos://icebase:supply/shipments'],
    to: 'dataos://icebase:supply/stock_levels',
  },
  {
    via: wfUrn('supply-chain', 'inventory'),
    job: 'forecast',
    from: ['dataos://icebase:supply/stock_levels', `${R}daily_sales`],
    to: 'dataos://icebase:supply/replenishment_forecast',
  },
];

export const DEMO_RUNS: DemoRun[] = [
  ...[3, 2, 1].map((daysAgo): DemoRun => ({
    dataset: `${R}customers`,
    via: wfUrn('retail', 'customers-dedupe'),
    job: 'golden-record',
    rows: 1_250_000 + (3 - daysAgo) * 1800,
    bytes: 212_000_000 + (3 - daysAgo) * 310_000,
    daysAgo,
    minutes: 14,
    profiles: [
      {
        name: 'customer_id',
        nullCount: 0,
        distinctCount: 1_250_000 + (3 - daysAgo) * 1800,
        min: '1',
        max: String(1_250_000 + (3 - daysAgo) * 1800),
      },
      { name: 'email', nullCount: 3120, distinctCount: 1_241_000 },
      { name: 'region', nullCount: 0, distinctCount: 6, min: 'APAC', max: 'NA-West' },
    ],
  })),
  ...[3, 2, 1].map((daysAgo): DemoRun => ({
    dataset: `${R}orders`,
    via: wfUrn('retail', 'orders-ingest'),
    job: 'orders',
    rows: 8_400_000 + (3 - daysAgo) * 21_000,
    bytes: 640_000_000 + (3 - daysAgo) * 1_600_000,
    daysAgo,
    minutes: 22,
    status: daysAgo === 2 ? 'FAILED' : 'SUCCEEDED',
    profiles: [{ name: 'order_total', nullCount: 0, distinctCount: 190_000, min: '0.99', max: '18450.00', mean: 74.3 }],
  })),
  {
    dataset: `${R}products`,
    via: wfUrn('retail', 'products-load'),
    job: 'current-prices',
    rows: 42_300,
    bytes: 5_100_000,
    daysAgo: 1,
    minutes: 3,
    profiles: [{ name: 'price', nullCount: 12, distinctCount: 8_900, min: '0.50', max: '2499.00', mean: 38.2 }],
  },
  {
    dataset: `${R}daily_sales`,
    via: wfUrn('retail', 'sales-daily'),
    job: 'daily-sales',
    rows: 6_570,
    bytes: 410_000,
    daysAgo: 1,
    minutes: 5,
  },
  {
    dataset: `${R}customer_360`,
    via: wfUrn('retail', 'customer-360'),
    job: 'build',
    rows: 1_253_600,
    bytes: 260_000_000,
    daysAgo: 4,
    minutes: 31,
  },
  {
    dataset: 'dataos://lakehouse:finance/invoices',
    via: wfUrn('finance', 'invoices-export'),
    job: 'invoices',
    rows: 7_900_000,
    bytes: 520_000_000,
    daysAgo: 1,
    minutes: 18,
  },
  {
    dataset: 'dataos://lakehouse:marketing/campaign_attribution',
    via: wfUrn('marketing', 'campaign-scoring'),
    job: 'attribution',
    rows: 3_100_000,
    bytes: 150_000_000,
    daysAgo: 2,
    minutes: 26,
  },
];

export interface DemoCatalog {
  people: Record<string, { name: string; email?: string }>;
  domains: { name: string; description: string | null }[];
  glossary: { name: string; domain: string | null; definition: string; synonyms: string[]; related: string[] }[];
  sources: DemoSource[];
  resources: DemoResource[];
  datasets: DemoDataset[];
  lineage: DemoLineage[];
  runs: DemoRun[];
}

export const DEMO_CATALOG: DemoCatalog = {
  people: DEMO_PEOPLE,
  domains: DEMO_DOMAINS,
  glossary: DEMO_GLOSSARY,
  sources: DEMO_SOURCES,
  resources: DEMO_RESOURCES,
  datasets: DEMO_DATASETS,
  lineage: DEMO_LINEAGE,
  runs: DEMO_RUNS,
};
