import { createHash, createHmac } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { GraphQLError } from 'graphql';
import { StaticColumnCatalog } from '../src/catalog.js';
import type { ClusterDoc } from '../src/clusters.js';
import { demoTables, writeDemoFiles } from '../src/data/demo.js';
import { DuckDbEngine } from '../src/engines/duckdb.js';
import type { Engine } from '../src/engines/engine.js';
import { TrinoEngine } from '../src/engines/trino.js';
import { DEFAULT_DATA_POLICIES, DEMO_DATA_POLICIES } from '../src/policies/defaults.js';
import type { DataPolicyDoc, DataPolicyInput } from '../src/policies/model.js';
import { policyDoc } from '../src/policies/store.js';
import type { Subject } from '../src/policies/subject.js';
import { QueryService, type QueryResult } from '../src/query.js';
import type { JsonValue } from '../src/sql/ast.js';
import { SqlParser } from '../src/sql/parser.js';
import { QueryRewriter } from '../src/sql/pipeline.js';

export const SECRET = 'test-secret-0123456789';

export const SUBJECTS = {
  alice: {
    id: 'users:id:alice',
    sub: 'alice',
    tags: ['users:id:alice', 'users:type:person', 'roles:id:data-dev', 'groups:id:retail'],
    claims: { sub: 'alice', region: 'emea', groups: ['retail'] },
  },
  carol: {
    id: 'users:id:carol',
    sub: 'carol',
    tags: ['users:id:carol', 'users:type:person', 'roles:id:admin', 'roles:id:pii-reader'],
    claims: { sub: 'carol', region: 'amer' },
  },
  /** A data developer whose token has no region claim. */
  erin: {
    id: 'users:id:erin',
    sub: 'erin',
    tags: ['users:id:erin', 'users:type:person', 'roles:id:data-dev'],
    claims: { sub: 'erin' },
  },
  tester: {
    id: 'users:id:tester',
    sub: 'tester',
    tags: ['users:id:tester', 'roles:id:tester'],
    claims: { sub: 'tester', region: 'apac' },
  },
} satisfies Record<string, Subject>;

export const CLUSTER: ClusterDoc = {
  _id: 'minerva-test',
  engine: 'duckdb',
  endpoint: null,
  state: 'RUNNING',
  createdAt: new Date(),
};

export const docs = (inputs: DataPolicyInput[]): DataPolicyDoc[] => inputs.map((p) => policyDoc(p));
export const DEMO_POLICIES = docs([...DEFAULT_DATA_POLICIES, ...DEMO_DATA_POLICIES]);

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The documented key derivation, written out here (not imported) so the reference stays
 * independent: HMAC-SHA256(master, "dataos-gateway-mask-v1" NUL policy [NUL dataset URN]), hex.
 */
export const derivedKey = (policy: string, urn?: string, master = SECRET) =>
  createHmac('sha256', master)
    .update(['dataos-gateway-mask-v1', policy, ...(urn ? [urn] : [])].join('\u0000'))
    .digest('hex');
export const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** The engines every masking, row-filter and adversarial suite runs on, with the same expectations. */
export const ENGINES = ['duckdb', 'trino'] as const;
export type EngineKind = (typeof ENGINES)[number];

/** The devstack's Trino (npm test starts it and seeds the demo lakehouse: the same rows as DuckDB's). */
export function trinoUrl(): string {
  const url = process.env.TRINO_URL;
  if (!url) throw new Error('TRINO_URL is not set: the devstack should have started Trino');
  return url;
}

/**
 * Parser, rewriter and a real engine over the demo tables; policies are swappable. `engine` is
 * always the embedded DuckDB (ground truth through `unsafeRaw`), `target` the engine queries run
 * on: the same DuckDB, or the devstack's Trino. Trino's answers are given in DuckDB's spelling
 * (types, 64-bit integers as text, timestamps without trailing zeros) so every expectation is shared.
 */
export interface EngineHarness {
  kind: EngineKind;
  parser: SqlParser;
  rewriter: QueryRewriter;
  engine: DuckDbEngine;
  target: Engine;
  cluster: ClusterDoc;
  policies: DataPolicyDoc[];
  service: QueryService;
  run(subject: Subject, sql: string, limit?: number): Promise<QueryResult>;
  /** `service.run`, the answer in DuckDB's spelling. */
  serve(...args: Parameters<QueryService['run']>): Promise<QueryResult>;
  close(): Promise<void>;
}

/** The same runtime failure as each engine names it (what a caller sees of it: only its kind). */
export const ENGINE_ERRORS: Record<EngineKind, { conversion: RegExp }> = {
  duckdb: { conversion: /Conversion Error/ },
  trino: { conversion: /invalid cast argument Error/ },
};

export async function startEngineHarness(
  policies: DataPolicyDoc[] = DEMO_POLICIES,
  kind: EngineKind = 'duckdb',
): Promise<EngineHarness> {
  const parser = await SqlParser.create();
  const rewriter = new QueryRewriter(parser, SECRET);
  const engine = await DuckDbEngine.create();
  const target: Engine = kind === 'trino' ? new TrinoEngine({ endpoint: trinoUrl() }) : engine;
  const cluster: ClusterDoc =
    kind === 'trino' ? { ...CLUSTER, _id: 'minerva-test-trino', engine: 'trino', endpoint: trinoUrl() } : CLUSTER;
  const h: EngineHarness = {
    kind,
    parser,
    rewriter,
    engine,
    target,
    cluster,
    policies,
    service: new QueryService({
      rewriter,
      catalog: StaticColumnCatalog.fromDemo(),
      policies: { all: async () => h.policies },
      engineFor: () => target,
    }),
    run: (subject, sql, limit = 10_000) =>
      h.serve({ subject, caller: {}, canRead: async () => true, cluster, sql }, limit),
    serve: async (...args) => {
      const result = await h.service.run(...args);
      return kind === 'trino' ? asDuckDb(result) : result;
    },
    async close() {
      await engine.close();
      parser.close();
    },
  };
  return h;
}

/** A Trino type in DuckDB's spelling (`varchar(3)` → VARCHAR, `timestamp(6)` → TIMESTAMP, `decimal(12,2)` → DECIMAL(12,2)). */
export function duckDbType(type: string): string {
  const t = type.toLowerCase();
  if (/^(var)?char(\(\d+\))?$/.test(t)) return 'VARCHAR';
  if (/^timestamp(\(\d+\))?$/.test(t)) return 'TIMESTAMP';
  if (t === 'real') return 'FLOAT';
  if (t === 'varbinary') return 'BLOB';
  return /^[a-z]+(\(\d+(,\s*\d+)?\))?$/.test(t) ? t.toUpperCase().replace(/,\s*/, ',') : type;
}

/** One Trino value in DuckDB's JSON: 64-bit integers as text, timestamps without trailing fractional zeros. */
function duckDbValue(value: JsonValue, type: string): JsonValue {
  if (value === null) return null;
  if (type === 'BIGINT' && typeof value === 'number') return String(value);
  // Trino sends varbinary as base64; DuckDB's JSON shows the bytes' text
  if (type === 'BLOB' && typeof value === 'string') return Buffer.from(value, 'base64').toString('latin1');
  if (type === 'TIMESTAMP' && typeof value === 'string' && value.includes('.'))
    return value.replace(/0+$/, '').replace(/\.$/, '');
  return value;
}

/** A Trino answer in DuckDB's spelling (types, 64-bit integers as text, timestamps, bytes). */
export function asDuckDb(result: QueryResult): QueryResult {
  const columns = result.columns.map((c) => ({ name: c.name, type: duckDbType(c.type) }));
  const rows = result.rows.map((row) => row.map((v, i) => duckDbValue(v, columns[i]!.type)));
  return { ...result, columns, rows };
}

/** The GraphQL error a promise rejects with (fails the test if it resolves). */
export async function refusal(promise: Promise<unknown>): Promise<GraphQLError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected a refusal, got a result');
}

/** The raw demo customers, for ground truth. */
export function rawCustomers() {
  const t = demoTables().find((x) => x.dataset === 'customers')!;
  return t.rows.map((r) => ({
    customer_id: String(r[0]),
    full_name: String(r[1]),
    email: String(r[2]),
    phone: String(r[3]),
    region: String(r[4]),
    date_of_birth: String(r[5]),
  }));
}

/**
 * An independent reference of what alice may see, built by hand (not by the rewriter): the demo
 * tables with alice's masks applied and only emea customers, in a separate DuckDB under the same
 * names. A safe answer to any deterministic query equals the same query run on this reference.
 */
export async function aliceReference() {
  const files = writeDemoFiles();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const cols = (name: string) => files.find((f) => f.table.dataset === name)!;
  const load = (name: string) => {
    const f = cols(name);
    const spec = f.table.columns.map((col) => `'${col.name}': '${col.type}'`).join(', ');
    return `read_csv('${f.file}', header = true, columns = {${spec}})`;
  };
  await c.run(
    `ATTACH ':memory:' AS icebase; CREATE SCHEMA icebase.retail; ATTACH ':memory:' AS lakehouse; CREATE SCHEMA lakehouse.finance;`,
  );
  await c.run(`CREATE TABLE icebase.retail.customers AS
    SELECT customer_id,
      sha256('${derivedKey('pii-name')}' || full_name) AS full_name,
      sha256('${derivedKey('pii-email')}' || email) AS email,
      sha256('${derivedKey('pii-phone')}' || phone) AS phone,
      region,
      CAST(date_trunc('year', date_of_birth) AS DATE) AS date_of_birth,
      created_at
    FROM ${load('customers')} WHERE region = 'emea'`);
  for (const [schema, name] of [
    ['icebase.retail', 'orders'],
    ['icebase.retail', 'products'],
    ['lakehouse.finance', 'invoices'],
  ] as const) {
    await c.run(`CREATE TABLE ${schema}.${name} AS SELECT * FROM ${load(name)}`);
  }
  return {
    /** Column names and types as DuckDB gives them for the caller's SQL run on the view as is (no rewriting). */
    async columns(sql: string): Promise<{ name: string; type: string }[]> {
      const reader = await c.runAndReadAll(sql);
      const types = reader.columnTypes().map((t) => t.toString());
      return reader.columnNames().map((name, i) => ({ name, type: types[i]! }));
    },
    /** Rows as JSON strings, sorted unless `ordered`. */
    async rows(sql: string, ordered = false): Promise<string[]> {
      const reader = await c.runAndReadAll(sql);
      const rows = (reader.getRowsJson() as unknown[]).map((r) => JSON.stringify(r));
      return ordered ? rows : rows.sort();
    },
    close() {
      c.closeSync();
      db.closeSync();
    },
  };
}
