import type { ClusterDoc } from '../clusters.js';
import { DuckDbEngine, type DuckDbEngineOptions } from './duckdb.js';
import type { Engine } from './engine.js';
import { TrinoEngine, type TrinoEngineOptions } from './trino.js';

export interface EngineSettings {
  /** Options of the embedded engine when the registry creates it. */
  duckdb?: DuckDbEngineOptions;
  /** Credentials for every Trino endpoint. */
  trino?: Pick<TrinoEngineOptions, 'user' | 'password' | 'impersonation'>;
}

/** The engine of each cluster: the one embedded DuckDB for every DUCKDB cluster, a Trino client per endpoint. */
export class EngineRegistry {
  private embedded?: Promise<DuckDbEngine>;
  private readonly trino = new Map<string, TrinoEngine>();

  constructor(
    embedded?: DuckDbEngine | (() => Promise<DuckDbEngine>),
    private readonly settings: EngineSettings = {},
  ) {
    if (embedded instanceof DuckDbEngine) this.embedded = Promise.resolve(embedded);
    else if (embedded) this.factory = embedded;
  }

  private factory: () => Promise<DuckDbEngine> = () => DuckDbEngine.create(this.settings.duckdb);

  /** The embedded engine, created (demo files generated and loaded) on first use. */
  duckdb(): Promise<DuckDbEngine> {
    this.embedded ??= this.factory();
    this.embedded.catch(() => {
      this.embedded = undefined;
    });
    return this.embedded;
  }

  forCluster(doc: ClusterDoc): Engine {
    if (doc.engine === 'trino') {
      const endpoint = doc.endpoint!;
      let engine = this.trino.get(endpoint);
      if (!engine) {
        engine = new TrinoEngine({ ...this.settings.trino, endpoint });
        this.trino.set(endpoint, engine);
      }
      return engine;
    }
    return lazyEngine(() => this.duckdb());
  }

  async close(): Promise<void> {
    const embedded = await this.embedded?.catch(() => undefined);
    await embedded?.close();
    this.embedded = undefined;
  }
}

/** An Engine whose instance is created on first use. */
function lazyEngine(get: () => Promise<Engine>): Engine {
  return {
    kind: 'duckdb',
    dialect: 'duckdb',
    execute: async (sql, page, options) => (await get()).execute(sql, page, options),
    ping: async () => (await get()).ping(),
    close: async () => undefined,
  };
}
