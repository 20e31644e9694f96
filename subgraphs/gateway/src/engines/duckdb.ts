import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../sql/ast.js';
import { writeDemoFiles, type DemoFile } from '../data/demo.js';
import { EngineError, type Engine, type ExecuteOptions, type Page, type ResultPage } from './engine.js';

export interface DuckDbEngineOptions {
  /** Tables to load, each as `depot.collection.dataset` (catalog.schema.table); default: the demo files. */
  files?: DemoFile[];
  /** Also load the same files under these extra depot names (tests use unique depots). */
  depotAliases?: Record<string, string>;
  connections?: number;
  /** Worker threads of the engine (GATEWAY_DUCKDB_THREADS, 2). */
  threads?: number;
  /** DuckDB `memory_limit` (GATEWAY_DUCKDB_MEMORY_LIMIT, `1GB`). */
  memoryLimit?: string;
  /** Where DuckDB may spill (GATEWAY_DUCKDB_TEMP_DIRECTORY; default none: over the limit fails instead). */
  tempDirectory?: string;
  /** Largest page, in bytes of JSON (GATEWAY_MAX_RESULT_BYTES, 16 MiB). */
  maxResultBytes?: number;
}

/** Defaults of the GATEWAY_DUCKDB_* settings and GATEWAY_MAX_RESULT_BYTES (src/settings.ts reads them). */
export const DUCKDB_DEFAULTS = {
  threads: 2,
  memoryLimit: '1GB',
  tempDirectory: '',
  maxResultBytes: 16 * 1024 * 1024,
};

const PLANNING = /^(Parser|Binder|Catalog) Error/;
const OUT_OF_MEMORY = /^Out of Memory Error/;

interface Slot {
  connection: DuckDBConnection;
  busy: boolean;
}

/**
 * The embedded engine: an in-memory DuckDB whose catalogs are the depots, schemas the
 * collections and tables the datasets, loaded from the generated files at start. Then external
 * access (files, HTTP, extensions) is switched off and the configuration locked, so even a query
 * that slipped through could read nothing but these tables.
 */
export class DuckDbEngine implements Engine {
  readonly kind = 'duckdb' as const;
  readonly dialect = 'duckdb' as const;
  private readonly waiting: ((slot: Slot) => void)[] = [];

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly slots: Slot[],
    private readonly maxResultBytes: number,
  ) {}

  static async create(options: DuckDbEngineOptions = {}): Promise<DuckDbEngine> {
    const files = options.files ?? writeDemoFiles();
    const threads = options.threads ?? DUCKDB_DEFAULTS.threads;
    if (!Number.isInteger(threads) || threads < 1)
      throw new Error(`GATEWAY_DUCKDB_THREADS must be a positive integer (got ${threads}).`);
    // Locked below with the rest of the configuration: a query cannot raise them.
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(threads),
      memory_limit: options.memoryLimit ?? DUCKDB_DEFAULTS.memoryLimit,
      temp_directory: options.tempDirectory ?? DUCKDB_DEFAULTS.tempDirectory,
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const setup = await instance.connect();
    const depots = new Map<string, string[]>();
    for (const { table } of files) {
      const names = [
        table.depot,
        ...Object.entries(options.depotAliases ?? {})
          .filter(([, d]) => d === table.depot)
          .map(([alias]) => alias),
      ];
      depots.set(table.depot, names);
    }
    const attached = new Set<string>();
    const schemas = new Set<string>();
    for (const { table, file } of files) {
      for (const depot of depots.get(table.depot)!) {
        if (!attached.has(depot)) {
          await setup.run(`ATTACH ':memory:' AS ${quoteIdent(depot)}`);
          attached.add(depot);
        }
        const schema = `${quoteIdent(depot)}.${quoteIdent(table.collection)}`;
        if (!schemas.has(schema)) {
          await setup.run(`CREATE SCHEMA ${schema}`);
          schemas.add(schema);
        }
        const columns = table.columns.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type)}`).join(', ');
        await setup.run(
          `CREATE TABLE ${schema}.${quoteIdent(table.dataset)} AS SELECT * FROM read_csv(${quoteLiteral(file)}, header = true, columns = {${columns}})`,
        );
      }
    }
    await setup.run(
      'SET enable_external_access = false; SET allow_community_extensions = false; SET lock_configuration = true',
    );
    setup.closeSync();
    const slots: Slot[] = [];
    for (let i = 0; i < (options.connections ?? 4); i++)
      slots.push({ connection: await instance.connect(), busy: false });
    return new DuckDbEngine(instance, slots, options.maxResultBytes ?? DUCKDB_DEFAULTS.maxResultBytes);
  }

  private acquire(): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  async execute(sql: string, page: Page, options: ExecuteOptions = {}): Promise<ResultPage> {
    const slot = await this.acquire();
    const timer = options.timeoutMs ? setTimeout(() => slot.connection.interrupt(), options.timeoutMs) : undefined;
    try {
      const paged = `SELECT * FROM (${sql}) AS __gw_page LIMIT ${page.limit + 1} OFFSET ${page.offset}`;
      // Streamed chunk by chunk so that an oversized page stops early instead of being kept whole.
      // Hash keys are bound as prepared-statement values: the SQL text never holds them.
      const values = options.parameters?.length
        ? Object.fromEntries(options.parameters.map((p) => [p.name, p.value]))
        : undefined;
      const result = await slot.connection.stream(paged, values);
      const names = result.columnNames();
      const types = result.columnTypes().map((t) => t.toString());
      const rows: ResultPage['rows'] = [];
      let bytes = 0;
      for await (const chunk of result.yieldRowsJson()) {
        for (const row of chunk as ResultPage['rows']) {
          bytes += JSON.stringify(row).length;
          if (bytes > this.maxResultBytes) {
            throw new EngineError(
              `The result is larger than ${this.maxResultBytes} bytes: ask for fewer rows or smaller values.`,
              'limit',
            );
          }
          rows.push(row);
        }
      }
      return {
        columns: names.map((name, i) => ({ name, type: types[i]! })),
        rows: rows.slice(0, page.limit),
        hasMore: rows.length > page.limit,
      };
    } catch (error) {
      if (error instanceof EngineError) throw error;
      const message = (error as Error).message;
      if (OUT_OF_MEMORY.test(message))
        throw new EngineError(
          'The query needs more memory than the engine allows (GATEWAY_DUCKDB_MEMORY_LIMIT).',
          'limit',
        );
      if (/INTERRUPT/i.test(message))
        throw new EngineError('The query was interrupted: it ran longer than the time limit.', 'runtime');
      throw new EngineError(message, PLANNING.test(message) ? 'planning' : 'runtime');
    } finally {
      if (timer) clearTimeout(timer);
      this.release(slot);
    }
  }

  async ping(): Promise<void> {
    await this.execute('SELECT 1', { limit: 1, offset: 0 });
  }

  /** Runs SQL as is, bypassing the Gateway: the benchmark's baseline and tests' ground truth only. */
  async unsafeRaw(sql: string, parameters: ExecuteOptions['parameters'] = []): Promise<ResultPage> {
    const slot = await this.acquire();
    try {
      const values = parameters.length ? Object.fromEntries(parameters.map((p) => [p.name, p.value])) : undefined;
      const reader = await slot.connection.runAndReadAll(sql, values);
      const types = reader.columnTypes().map((t) => t.toString());
      return {
        columns: reader.columnNames().map((name, i) => ({ name, type: types[i]! })),
        rows: reader.getRowsJson() as ResultPage['rows'],
        hasMore: false,
      };
    } finally {
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    for (const s of this.slots) s.connection.closeSync();
    this.instance.closeSync();
  }
}
