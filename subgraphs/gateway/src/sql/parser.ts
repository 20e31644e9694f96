import type { DuckDBConnection, DuckDBInstance, DuckDBPreparedStatement } from '@duckdb/node-api';
import { badUserInput, forbidden } from '@dataos/errors';
import { DESERIALIZE_SQL, openParserDb, runText, SERIALIZE_SQL } from '@dataos/sql-tree';
import type { Statement } from './ast.js';
import { protectNumbers, restoreNumbers } from './numbers.js';
import { Lru, textBytes } from '@dataos/subgraph-kit';

/** The most SQL text a query may have. */
export const MAX_SQL_LENGTH = 100_000;

/** Each of the rewrite's caches (parse trees, scans, verified outputs) holds at most this many bytes as well as its entry count: parse trees of long queries are large. */
export const CACHE_BYTES = 64 * 1024 * 1024;

interface Worker {
  connection: DuckDBConnection;
  serialize: DuckDBPreparedStatement;
  deserialize: DuckDBPreparedStatement;
  queue: Promise<unknown>;
}

interface SerializeAnswer {
  error: boolean;
  error_type?: string;
  error_message?: string;
  position?: string;
  statements?: Statement[];
}

/**
 * SQL parsing and printing with DuckDB's own parser (`json_serialize_sql` /
 * `json_deserialize_sql`) on a parser-only DuckDB (`@dataos/sql-tree`) that holds no data and
 * never runs a user's statement: the parser that checks a query is the parser of the engine that runs it.
 */
export class SqlParser {
  private next = 0;
  private readonly parsed: Lru<string, string> | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly workers: Worker[],
    cacheSize: number,
  ) {
    this.parsed =
      cacheSize > 0
        ? new Lru({ max: cacheSize, maxBytes: CACHE_BYTES, sizeOf: (json, sql) => textBytes(json, sql) })
        : undefined;
  }

  /** `cacheSize`: parse trees kept by SQL text (0: none, for benchmarks). */
  static async create(concurrency = 2, cacheSize = 1000): Promise<SqlParser> {
    const instance = await openParserDb();
    const workers: Worker[] = [];
    for (let i = 0; i < concurrency; i++) {
      const connection = await instance.connect();
      workers.push({
        connection,
        serialize: await connection.prepare(SERIALIZE_SQL),
        deserialize: await connection.prepare(DESERIALIZE_SQL),
        queue: Promise.resolve(),
      });
    }
    return new SqlParser(instance, workers, cacheSize);
  }

  /** One call at a time per connection; calls are spread over the connections. */
  private run<T>(task: (worker: Worker) => Promise<T>): Promise<T> {
    const worker = this.workers[this.next++ % this.workers.length]!;
    const result = worker.queue.then(() => task(worker));
    worker.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * The statements of `sql` as DuckDB's parser sees them. Unparseable SQL is BAD_USER_INPUT;
   * statements that are not SELECTs (DDL, DML, COPY, ATTACH, PRAGMA, SET, ...) are FORBIDDEN.
   */
  async parse(sql: string): Promise<Statement[]> {
    if (sql.length > MAX_SQL_LENGTH) {
      throw badUserInput(`The SQL is longer than ${MAX_SQL_LENGTH} characters.`, { field: 'sql', reason: 'TOO_LONG' });
    }
    if (sql.includes('\u0000'))
      throw badUserInput('The SQL contains a NUL character.', { field: 'sql', reason: 'SYNTAX' });
    let json = this.parsed?.get(sql);
    if (json === undefined) {
      json = await this.run((w) => runText(w.serialize, sql));
      this.parsed?.set(sql, json);
    }
    const answer = JSON.parse(protectNumbers(json)) as SerializeAnswer;
    if (answer.error) {
      if (answer.error_type === 'parser') {
        throw badUserInput(`The SQL could not be parsed: ${answer.error_message ?? 'syntax error'}.`, {
          field: 'sql',
          reason: 'SYNTAX',
          ...(answer.position !== undefined ? { position: Number(answer.position) } : {}),
        });
      }
      throw forbidden('Only read-only SELECT queries are allowed (one SELECT, WITH, VALUES or set operation).', {
        field: 'sql',
        reason: 'NOT_A_SELECT',
      });
    }
    const statements = answer.statements ?? [];
    if (statements.length === 0) throw badUserInput('The SQL holds no statement.', { field: 'sql', reason: 'SYNTAX' });
    return statements;
  }

  /** SQL text for a statement, printed by DuckDB. */
  print(statement: Statement): Promise<string> {
    const json = restoreNumbers(JSON.stringify({ error: false, statements: [statement] }));
    return this.run((w) => runText(w.deserialize, json));
  }

  close(): void {
    for (const w of this.workers) {
      w.serialize.destroySync();
      w.deserialize.destroySync();
      w.connection.closeSync();
    }
    this.instance.closeSync();
  }
}
