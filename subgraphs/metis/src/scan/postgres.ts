import pg from 'pg';
import type { ScanTarget } from './config.js';
import { MAX_SCANNED_TABLES, type CatalogReader, type ScannedCatalog, type ScannedTable } from './model.js';

// Every schema except PostgreSQL's own; partitions are scanned through their parent.
const USER_RELATIONS = `
  c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

const RELATIONS = `
  SELECT n.nspname AS schema, c.relname AS name, c.relkind AS kind,
         obj_description(c.oid, 'pg_class') AS comment,
         CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE ${USER_RELATIONS}
  ORDER BY 1, 2 LIMIT $1`;

const COLUMNS = `
  SELECT n.nspname AS schema, c.relname AS name, a.attname AS column,
         format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
         col_description(c.oid, a.attnum) AS comment
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE a.attnum > 0 AND NOT a.attisdropped AND ${USER_RELATIONS}
  ORDER BY 1, 2, a.attnum`;

const KEYS = `
  SELECT n.nspname AS schema, c.relname AS name, con.contype AS kind,
         ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS columns,
         fn.nspname AS ref_schema, fc.relname AS ref_name,
         ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord)::text[] AS ref_columns
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class fc ON fc.oid = con.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  WHERE con.contype IN ('p', 'f') AND ${USER_RELATIONS}
  ORDER BY 1, 2, con.conname`;

/**
 * A PostgreSQL database's catalog through `pg`, in one read-only transaction (a consistent
 * snapshot). `search_path` is emptied so that view definitions name every table with its schema.
 */
export class PostgresReader implements CatalogReader {
  constructor(private readonly target: ScanTarget) {}

  async read(): Promise<ScannedCatalog> {
    const url = new URL(this.target.url);
    // Fields one by one: with `connectionString`, pg lets the URL override an explicit password.
    const client = new pg.Client({
      host: url.hostname,
      port: Number(url.port || 5432),
      database: decodeURIComponent(url.pathname.replace(/^\//, '')),
      user: decodeURIComponent(url.username),
      ...(this.target.password !== null ? { password: this.target.password } : {}),
      connectionTimeoutMillis: 10_000,
      statement_timeout: 60_000,
      application_name: 'metis-scanner',
    });
    // Without a listener, a connection dropped between queries would crash the process.
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query("SET LOCAL search_path = ''");
      const relations = await client.query<{
        schema: string;
        name: string;
        kind: string;
        comment: string | null;
        definition: string | null;
      }>(RELATIONS, [MAX_SCANNED_TABLES + 1]);
      const columns = await client.query<{
        schema: string;
        name: string;
        column: string;
        type: string;
        nullable: boolean;
        comment: string | null;
      }>(COLUMNS);
      const keys = await client.query<{
        schema: string;
        name: string;
        kind: 'p' | 'f';
        columns: string[];
        ref_schema: string | null;
        ref_name: string | null;
        ref_columns: string[];
      }>(KEYS);
      await client.query('COMMIT');

      const tables = new Map<string, ScannedTable>();
      const key = (schema: string, name: string) => `${schema}\u0000${name}`;
      for (const r of relations.rows) {
        tables.set(key(r.schema, r.name), {
          collection: r.schema,
          name: r.name,
          kind: r.kind === 'v' || r.kind === 'm' ? 'VIEW' : 'TABLE',
          comment: r.comment,
          columns: [],
          primaryKey: [],
          foreignKeys: [],
          definition: r.definition,
        });
      }
      for (const c of columns.rows) {
        tables.get(key(c.schema, c.name))?.columns.push({
          name: c.column,
          type: c.type,
          nullable: c.nullable,
          comment: c.comment,
        });
      }
      for (const k of keys.rows) {
        const table = tables.get(key(k.schema, k.name));
        if (!table) continue;
        if (k.kind === 'p') table.primaryKey = k.columns;
        else if (k.ref_schema && k.ref_name)
          table.foreignKeys.push({
            columns: k.columns,
            collection: k.ref_schema,
            table: k.ref_name,
            referencedColumns: k.ref_columns,
          });
      }
      return {
        sourceType: 'postgres',
        connection: [
          { key: 'host', value: url.hostname },
          { key: 'port', value: url.port || '5432' },
          { key: 'database', value: decodeURIComponent(url.pathname.replace(/^\//, '')) },
        ],
        tables: [...tables.values()],
      };
    } finally {
      await client.end().catch(() => {});
    }
  }
}
