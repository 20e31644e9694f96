import { BasicAuth, Trino, type QueryResult } from 'trino-client';
import type { ScanTarget } from './config.js';
import { MAX_SCANNED_TABLES, type CatalogReader, type ScannedCatalog, type ScannedTable } from './model.js';

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * A Trino catalog (`icebase`, ...) through its `information_schema` and `system.metadata`, with
 * `trino-client`. Trino has no key constraints: tables come without keys.
 */
export class TrinoReader implements CatalogReader {
  constructor(private readonly target: ScanTarget) {}

  private async rows(client: Trino, sql: string): Promise<unknown[][]> {
    const iterator = await client.query(sql);
    const rows: unknown[][] = [];
    // The client's iterator answers the last page twice: keep distinct answers only.
    let seen: QueryResult | undefined;
    for (;;) {
      const { value, done } = (await iterator.next()) as IteratorResult<QueryResult, QueryResult>;
      if (value && value !== seen) {
        seen = value;
        if (value.error) throw new Error(`Trino: ${value.error.errorName}: ${value.error.message}`);
        for (const row of value.data ?? []) rows.push(row as unknown[]);
      }
      if (done) return rows;
    }
  }

  async read(): Promise<ScannedCatalog> {
    const url = new URL(this.target.url);
    const catalog = this.target.catalog!;
    const user = decodeURIComponent(url.username) || 'metis-scanner';
    const client = Trino.create({
      server: `${url.protocol}//${url.host}`,
      catalog,
      source: 'metis-scanner',
      auth: new BasicAuth(user, this.target.password ?? undefined),
    });
    // Trino's own schemas (`information_schema`, and `system`, the Iceberg connector's metadata tables).
    const skip = `table_schema NOT IN ('information_schema', 'system')`;
    const tables = await this.rows(
      client,
      `SELECT table_schema, table_name, table_type FROM ${catalog}.information_schema.tables
       WHERE ${skip} ORDER BY 1, 2 LIMIT ${MAX_SCANNED_TABLES + 1}`,
    );
    const columns = await this.rows(
      client,
      `SELECT table_schema, table_name, column_name, data_type, is_nullable, comment
       FROM ${catalog}.information_schema.columns WHERE ${skip} ORDER BY 1, 2, ordinal_position`,
    );
    const comments = await this.rows(
      client,
      `SELECT schema_name, table_name, comment FROM system.metadata.table_comments
       WHERE catalog_name = ${quote(catalog)} AND schema_name NOT IN ('information_schema', 'system')
         AND comment IS NOT NULL`,
    );
    const views = await this.rows(
      client,
      `SELECT table_schema, table_name, view_definition FROM ${catalog}.information_schema.views WHERE ${skip}`,
    );

    const key = (s: unknown, t: unknown) => `${String(s)}\u0000${String(t)}`;
    const comment = new Map(comments.map((r) => [key(r[0], r[1]), String(r[2])]));
    const definition = new Map(views.map((r) => [key(r[0], r[1]), r[2] == null ? null : String(r[2])]));
    const byKey = new Map<string, ScannedTable>();
    for (const [schema, name, type] of tables) {
      byKey.set(key(schema, name), {
        collection: String(schema),
        name: String(name),
        kind: type === 'VIEW' ? 'VIEW' : 'TABLE',
        comment: comment.get(key(schema, name)) ?? null,
        columns: [],
        primaryKey: [],
        foreignKeys: [],
        definition: definition.get(key(schema, name)) ?? null,
      });
    }
    for (const [schema, name, column, type, nullable, columnComment] of columns) {
      byKey.get(key(schema, name))?.columns.push({
        name: String(column),
        type: String(type),
        nullable: nullable !== 'NO',
        comment: columnComment == null || columnComment === '' ? null : String(columnComment),
      });
    }
    return {
      sourceType: 'trino',
      connection: [
        { key: 'server', value: `${url.protocol}//${url.host}` },
        { key: 'catalog', value: catalog },
      ],
      tables: [...byKey.values()],
    };
  }
}
