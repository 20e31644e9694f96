import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ScanTarget } from './config.js';
import { MAX_SCANNED_TABLES, type CatalogReader, type ScannedCatalog, type ScannedTable } from './model.js';

// DuckDB keeps a view as its CREATE statement: the query is what follows `AS` after the name
// (quoted parts may hold anything, `""` included) and an optional column list.
const IDENT = String.raw`(?:"(?:[^"]|"")*"|[^\s."(]+)`;
const CREATE_VIEW = new RegExp(
  String.raw`^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?VIEW\s+${IDENT}(?:\.${IDENT}){0,2}\s*(?:\((?:[^()"]|"(?:[^"]|"")*")*\))?\s*AS\s+`,
  'i',
);

/** The SELECT of a DuckDB view definition, or null when it is not in the expected form. */
export function viewQuery(sql: string): string | null {
  const match = CREATE_VIEW.exec(sql);
  return match ? sql.slice(match[0].length) : null;
}

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? null : String(v));

/**
 * A DuckDB database file (`file:///path/to/db.duckdb`), opened read-only (so a scan never
 * blocks or changes it, and fails rather than create a missing file), through DuckDB's own
 * catalog functions: tables, views with their SQL, columns with comments, and keys.
 */
export class DuckDbReader implements CatalogReader {
  constructor(private readonly target: ScanTarget) {}

  async read(): Promise<ScannedCatalog> {
    const path = fileURLToPath(this.target.url);
    const instance = await DuckDBInstance.create(path, {
      access_mode: 'READ_ONLY',
      threads: '1',
      enable_external_access: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[];
    const here = `database_name = current_database() AND NOT internal`;
    try {
      const tables = await rows(
        `SELECT schema_name, table_name AS name, comment, NULL AS sql FROM duckdb_tables() WHERE ${here}
         UNION ALL
         SELECT schema_name, view_name, comment, sql FROM duckdb_views() WHERE ${here}
         ORDER BY 1, 2 LIMIT ${MAX_SCANNED_TABLES + 1}`,
      );
      const columns = await rows(
        `SELECT schema_name, table_name, column_name, data_type, is_nullable, comment FROM duckdb_columns()
         WHERE ${here} ORDER BY schema_name, table_name, column_index`,
      );
      const keys = await rows(
        `SELECT schema_name, table_name, constraint_type, constraint_column_names, referenced_table,
                referenced_column_names
         FROM duckdb_constraints() WHERE database_name = current_database()
           AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')`,
      );
      const key = (s: unknown, t: unknown) => `${String(s)}\u0000${String(t)}`;
      const byKey = new Map<string, ScannedTable>();
      for (const t of tables) {
        const view = t.sql !== null && t.sql !== undefined;
        byKey.set(key(t.schema_name, t.name), {
          collection: String(t.schema_name),
          name: String(t.name),
          kind: view ? 'VIEW' : 'TABLE',
          comment: text(t.comment),
          columns: [],
          primaryKey: [],
          foreignKeys: [],
          definition: view ? viewQuery(String(t.sql)) : null,
        });
      }
      for (const c of columns) {
        byKey.get(key(c.schema_name, c.table_name))?.columns.push({
          name: String(c.column_name),
          type: String(c.data_type).toLowerCase(),
          nullable: c.is_nullable !== false,
          comment: text(c.comment),
        });
      }
      for (const k of keys) {
        const table = byKey.get(key(k.schema_name, k.table_name));
        const names = (k.constraint_column_names as string[] | null) ?? [];
        if (!table) continue;
        if (k.constraint_type === 'PRIMARY KEY') table.primaryKey = names;
        else if (k.referenced_table)
          // DuckDB names the referenced table only: it is in the same schema.
          table.foreignKeys.push({
            columns: names,
            collection: table.collection,
            table: String(k.referenced_table),
            referencedColumns: (k.referenced_column_names as string[] | null) ?? [],
          });
      }
      return {
        sourceType: 'duckdb',
        connection: [{ key: 'file', value: path.slice(path.lastIndexOf('/') + 1) }],
        tables: [...byKey.values()],
      };
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
}
