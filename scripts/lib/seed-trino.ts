import { createHash } from 'node:crypto';
import { trinoQuery } from '@dataos/devstack';
import { demoTables } from '@dataos/gateway';
import { mongoFromEnv } from '@dataos/stores';

type DemoTable = ReturnType<typeof demoTables>[number];

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The Trino type of a demo column's DuckDB type (Iceberg keeps timestamps in microseconds). */
export function trinoType(duckdbType: string): string {
  const type = duckdbType.trim().toUpperCase();
  if (type === 'TIMESTAMP') return 'timestamp(6)';
  if (['BIGINT', 'VARCHAR', 'DATE', 'DOUBLE', 'BOOLEAN', 'INTEGER'].includes(type)) return type.toLowerCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
  throw new Error(`No Trino type for the demo column type ${duckdbType}`);
}

/** A fingerprint of a table's columns and rows, kept as its comment: reseeding skips an unchanged table. */
export function demoFingerprint(table: DemoTable): string {
  const hash = createHash('sha256').update(JSON.stringify([table.columns, table.rows]));
  return `dataos demo data sha256:${hash.digest('hex')}`;
}

/**
 * One statement that creates (or replaces) the table with its rows: every value travels as a
 * string literal cast to the column's type, so the rows are the CSV's values, as DuckDB reads them.
 */
export function createTableSql(table: DemoTable): string {
  const name = [table.depot, table.collection, table.dataset].map(ident).join('.');
  const aliases = table.columns.map((_, i) => `c${i}`);
  const select = table.columns
    .map((c, i) => `CAST(${aliases[i]} AS ${trinoType(c.type)}) AS ${ident(c.name)}`)
    .join(', ');
  const values = table.rows
    .map((row) => `(${row.map((v) => (v === null ? 'CAST(NULL AS varchar)' : literal(String(v)))).join(', ')})`)
    .join(',\n');
  return `CREATE OR REPLACE TABLE ${name} AS SELECT ${select} FROM (VALUES ${values}) AS v(${aliases.join(', ')})`;
}

/**
 * Puts the Gateway's demo datasets into Trino's Iceberg catalogs (one per depot, schemas per
 * collection): the same tables and rows as the embedded DuckDB engine. Idempotent and cheap when
 * nothing changed (one look at the table comments per catalog); returns the tables written.
 */
export async function seedTrinoLakehouse(url: string, tables = demoTables()): Promise<number> {
  const depots = [...new Set(tables.map((t) => t.depot))];
  const comments = new Map<string, string | null>();
  for (const depot of depots) {
    const { rows } = await trinoQuery(
      url,
      `SELECT schema_name, table_name, comment FROM system.metadata.table_comments WHERE catalog_name = ${literal(depot)}`,
    );
    for (const [schema, table, comment] of rows) comments.set(`${depot}.${schema}.${table}`, comment as string | null);
  }
  const stale = tables.filter((t) => comments.get(`${t.depot}.${t.collection}.${t.dataset}`) !== demoFingerprint(t));
  for (const schema of new Set(stale.map((t) => `${ident(t.depot)}.${ident(t.collection)}`))) {
    // A run seeding at the same time may create it between Trino's check and its create.
    await trinoQuery(url, `CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((error: Error) => {
      if (!error.message.startsWith('SCHEMA_ALREADY_EXISTS')) throw error;
    });
  }
  for (const table of stale) {
    const name = [table.depot, table.collection, table.dataset].map(ident).join('.');
    try {
      await trinoQuery(url, createTableSql(table), { timeoutMs: 300_000 });
      await trinoQuery(url, `COMMENT ON TABLE ${name} IS ${literal(demoFingerprint(table))}`);
    } catch (error) {
      // Another run (a second `npm test`) may have seeded the same table at the same time.
      const { rows } = await trinoQuery(
        url,
        `SELECT comment FROM system.metadata.table_comments WHERE catalog_name = ${literal(table.depot)} AND schema_name = ${literal(table.collection)} AND table_name = ${literal(table.dataset)}`,
      );
      if (rows[0]?.[0] !== demoFingerprint(table)) throw error;
    }
  }
  return stale.length;
}

/** The Trino Minerva cluster of `npm run dev`, beside the embedded DuckDB one (its endpoint kept current). */
export const DEV_TRINO_CLUSTER = 'minerva-trino';

export async function registerTrinoCluster(url: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const mongo = await mongoFromEnv('GATEWAY', 'gateway', env);
  try {
    const now = new Date();
    await mongo.db.collection<{ _id: string }>('clusters').updateOne(
      { _id: DEV_TRINO_CLUSTER },
      {
        $set: { engine: 'trino', endpoint: url, depots: [...new Set(demoTables().map((t) => t.depot))] },
        $setOnInsert: {
          description: 'Trino 483 over the Iceberg lakehouse of the devstack (icebase, lakehouse).',
          replicas: 1,
          resources: null,
          state: 'RUNNING',
          health: null,
          createdAt: now,
          updatedAt: now,
          updatedBy: 'seed',
        },
      },
      { upsert: true },
    );
  } finally {
    await mongo.close();
  }
}
