import { DuckDBInstance, type DuckDBPreparedStatement } from '@duckdb/node-api';

/** SQL text to its parse tree: `{error, statements: [{node, ...}]}` or `{error: true, error_type, ...}`. */
export const SERIALIZE_SQL = 'SELECT json_serialize_sql($1::VARCHAR) AS j';
/** A parse tree (the serialized JSON) back to SQL text, printed by DuckDB. */
export const DESERIALIZE_SQL = 'SELECT json_deserialize_sql($1::JSON) AS s';

/**
 * A DuckDB only for parsing and printing SQL: in memory, one thread, no file or network access
 * and no extension loading, so a statement it is handed (a user's query, a scanned view's
 * definition) can at worst be parsed; nothing here runs it. The Gateway's query checker and
 * Metis's view lineage both parse with it.
 */
export function openParserDb(): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', {
    threads: '1',
    enable_external_access: 'false',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
}

/** Runs a prepared SERIALIZE_SQL or DESERIALIZE_SQL with `input`: the one text it answers. */
export async function runText(statement: DuckDBPreparedStatement, input: string): Promise<string> {
  statement.bindVarchar(1, input);
  const reader = await statement.runAndReadAll();
  return String(reader.getRows()[0]![0]);
}
