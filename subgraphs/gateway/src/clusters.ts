import type { Collection, Db } from 'mongodb';
import { badUserInput, conflict, notFound } from '@dataos/errors';
import { CLUSTER_NAME } from '@dataos/names';
import type { Logger } from '@dataos/subgraph-kit';
import type { EngineRegistry } from './engines/registry.js';
import { validateSelector, type ClusterSelector, type SelectorInput } from './routing.js';

export type ClusterState = 'PROVISIONING' | 'RUNNING' | 'DEGRADED' | 'STOPPED';
export type EngineKind = 'duckdb' | 'trino';

export interface HealthCheck {
  ok: boolean;
  at: Date;
  latencyMs: number;
  message: string | null;
}

export interface ClusterDoc {
  _id: string; // cluster name
  engine: EngineKind;
  /** Trino coordinator URL; null for the embedded DuckDB engine. */
  endpoint: string | null;
  description?: string | null;
  replicas?: number;
  resources?: { cpu: string | null; memory: string | null } | null;
  /** Depots the cluster may read; empty: every depot. */
  depots?: string[];
  /** Which queries naming no cluster it takes (src/routing.ts); none: only queries that name it. */
  selector?: ClusterSelector | null;
  state: ClusterState;
  health?: HealthCheck | null;
  createdAt: Date;
  updatedAt?: Date;
  updatedBy?: string | null;
}

export interface ClusterInput {
  name: string;
  engine: EngineKind;
  endpoint?: string | null;
  description?: string | null;
  replicas?: number | null;
  resources?: { cpu?: string | null; memory?: string | null } | null;
  depots?: string[] | null;
  /** null removes the selector. */
  selector?: SelectorInput | null;
  state?: ClusterState | null;
}

export type ClusterUpdate = Partial<Omit<ClusterInput, 'name'>>;

export const clustersOf = (db: Db) => db.collection<ClusterDoc>('clusters');

const DEPOT = /^[a-z][a-z0-9_-]*$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const STATES: ClusterState[] = ['PROVISIONING', 'RUNNING', 'DEGRADED', 'STOPPED'];

function validateFields(input: ClusterUpdate & { engine?: EngineKind }, field = 'input') {
  const out: Partial<ClusterDoc> = {};
  if (input.engine !== undefined) {
    if (!['duckdb', 'trino'].includes(input.engine))
      throw badUserInput('engine must be DUCKDB or TRINO.', { field: `${field}.engine` });
    out.engine = input.engine;
  }
  if (input.endpoint !== undefined) {
    if (input.endpoint !== null) {
      let url: URL;
      try {
        url = new URL(input.endpoint);
      } catch {
        throw badUserInput('endpoint must be an http(s) URL.', { field: `${field}.endpoint` });
      }
      if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password) {
        throw badUserInput('endpoint must be an http(s) URL without credentials.', { field: `${field}.endpoint` });
      }
    }
    out.endpoint = input.endpoint;
  }
  if (input.description !== undefined) {
    if (input.description && input.description.length > 1000)
      throw badUserInput('description is at most 1000 characters.', { field: `${field}.description` });
    out.description = input.description ?? null;
  }
  if (input.replicas !== undefined && input.replicas !== null) {
    if (!Number.isInteger(input.replicas) || input.replicas < 1 || input.replicas > 1000) {
      throw badUserInput('replicas must be an integer from 1 to 1000.', { field: `${field}.replicas` });
    }
    out.replicas = input.replicas;
  }
  if (input.resources !== undefined) {
    const cpu = input.resources?.cpu ?? null;
    const memory = input.resources?.memory ?? null;
    for (const [k, v] of [
      ['cpu', cpu],
      ['memory', memory],
    ] as const) {
      if (v !== null && !QUANTITY.test(v))
        throw badUserInput(`resources.${k} must be a quantity like 500m, 2, 4Gi.`, {
          field: `${field}.resources.${k}`,
        });
    }
    out.resources = { cpu, memory };
  }
  if (input.depots !== undefined && input.depots !== null) {
    input.depots.forEach((d, i) => {
      if (!DEPOT.test(d)) throw badUserInput(`"${d}" is not a depot name.`, { field: `${field}.depots[${i}]` });
    });
    out.depots = [...new Set(input.depots)];
  }
  if (input.selector !== undefined)
    out.selector = input.selector === null ? null : validateSelector(input.selector, `${field}.selector`);
  if (input.state !== undefined && input.state !== null) {
    if (!STATES.includes(input.state)) throw badUserInput('Unknown state.', { field: `${field}.state` });
    out.state = input.state;
  }
  return out;
}

export class ClusterStore {
  readonly clusters: Collection<ClusterDoc>;

  constructor(db: Db) {
    this.clusters = clustersOf(db);
  }

  list(): Promise<ClusterDoc[]> {
    return this.clusters.find().sort({ _id: 1 }).toArray();
  }

  get(name: string): Promise<ClusterDoc | null> {
    return this.clusters.findOne({ _id: name });
  }

  async require(name: string): Promise<ClusterDoc> {
    const doc = await this.get(name);
    if (!doc) throw notFound(`No cluster named "${name}".`, { field: 'cluster' });
    return doc;
  }

  async register(input: ClusterInput, by: string): Promise<ClusterDoc> {
    if (!CLUSTER_NAME.test(input.name ?? ''))
      throw badUserInput('name: lower-case letters, digits and -, starting with a letter (at most 63).', {
        field: 'input.name',
      });
    const fields = validateFields(input);
    const engine = fields.engine!;
    const endpoint = fields.endpoint ?? null;
    if (engine === 'trino' && !endpoint)
      throw badUserInput('A Trino cluster needs its coordinator endpoint.', { field: 'input.endpoint' });
    if (engine === 'duckdb' && endpoint)
      throw badUserInput('The embedded DuckDB engine has no endpoint.', { field: 'input.endpoint' });
    const now = new Date();
    const doc: ClusterDoc = {
      _id: input.name,
      engine,
      endpoint,
      description: fields.description ?? null,
      replicas: fields.replicas ?? 1,
      resources: fields.resources ?? null,
      depots: fields.depots ?? [],
      selector: fields.selector ?? null,
      state: fields.state ?? 'PROVISIONING',
      health: null,
      createdAt: now,
      updatedAt: now,
      updatedBy: by,
    };
    try {
      await this.clusters.insertOne(doc);
    } catch (error) {
      if ((error as { code?: number }).code === 11000)
        throw conflict(`A cluster named "${input.name}" exists.`, { field: 'input.name' });
      throw error;
    }
    return doc;
  }

  async update(name: string, input: ClusterUpdate, by: string): Promise<ClusterDoc> {
    const current = await this.require(name);
    const fields = validateFields(input);
    const next = { ...current, ...fields };
    if (next.engine === 'trino' && !next.endpoint)
      throw badUserInput('A Trino cluster needs its coordinator endpoint.', { field: 'input.endpoint' });
    if (next.engine === 'duckdb' && next.endpoint)
      throw badUserInput('The embedded DuckDB engine has no endpoint.', { field: 'input.endpoint' });
    const $set = { ...fields, updatedAt: new Date(), updatedBy: by };
    await this.clusters.updateOne({ _id: name }, { $set });
    return { ...current, ...$set };
  }

  async remove(name: string): Promise<boolean> {
    const res = await this.clusters.deleteOne({ _id: name });
    return res.deletedCount === 1;
  }

  async recordHealth(name: string, health: HealthCheck): Promise<ClusterDoc | null> {
    const current = await this.get(name);
    if (!current) return null;
    // STOPPED is an operator's decision: checks do not change it.
    const state: ClusterState = current.state === 'STOPPED' ? 'STOPPED' : health.ok ? 'RUNNING' : 'DEGRADED';
    await this.clusters.updateOne({ _id: name }, { $set: { health, state } });
    return { ...current, health, state };
  }
}

/**
 * Periodic health checks of every cluster that is not STOPPED (GATEWAY_HEALTH_INTERVAL_MS,
 * 30 s). Each replica checks; the updates are idempotent.
 */
export class ClusterMonitor {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly store: ClusterStore,
    private readonly engines: EngineRegistry,
    private readonly logger: Logger,
  ) {}

  async check(doc: ClusterDoc): Promise<ClusterDoc | null> {
    const started = performance.now();
    let message: string | null = null;
    try {
      await this.engines.forCluster(doc).ping();
    } catch (error) {
      message = (error as Error).message.slice(0, 500);
    }
    const health: HealthCheck = {
      ok: message === null,
      at: new Date(),
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      message,
    };
    return this.store.recordHealth(doc._id, health);
  }

  async checkAll(): Promise<void> {
    const docs = await this.store.list();
    await Promise.all(docs.filter((d) => d.state !== 'STOPPED').map((d) => this.check(d)));
  }

  start(intervalMs = 30_000): void {
    if (this.timer || intervalMs <= 0) return;
    const tick = () => {
      if (this.running) return;
      this.running = this.checkAll()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'cluster health check failed'))
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, intervalMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

export const toCluster = (doc: ClusterDoc) => ({
  name: doc._id,
  engine: doc.engine.toUpperCase() as 'DUCKDB' | 'TRINO',
  endpoint: doc.endpoint,
  description: doc.description ?? null,
  size: { replicas: doc.replicas ?? 1, cpu: doc.resources?.cpu ?? null, memory: doc.resources?.memory ?? null },
  depots: doc.depots ?? [],
  selector: doc.selector ?? null,
  state: doc.state,
  health: doc.health ?? null,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt ?? doc.createdAt,
  updatedBy: doc.updatedBy ?? null,
});
