import { staticMaskKey, type KeyParameter, type MaskKeySource } from '../policies/keys.js';
import type { ScanPlan } from '../policies/resolve.js';
import type { Subject } from '../policies/subject.js';
import { canonical, isObject, type Statement } from './ast.js';
import { Lru, textBytes } from '@dataos/subgraph-kit';
import type { Dialect } from './masks.js';
import { applyNames, pendingNames } from './names.js';
import { CACHE_BYTES, type SqlParser } from './parser.js';
import { analyzeQuery, applyScans, verifyRewritten, type Analysis, type DatasetName } from './rewrite.js';
import { ScanBuilder, type ScanTemplate } from './scan.js';
import { printTrino } from './trino.js';
import { expectedShape, type ExpectedShape } from '../engines/shape.js';

export interface PlannedScan {
  name: DatasetName;
  plan: ScanPlan;
  template: ScanTemplate;
}

export interface Rewritten {
  /** The verified SQL, printed by DuckDB; hash keys are parameters (`$__gw_key_...`). */
  sql: string;
  /** What runs on the engine: `sql` for DuckDB, the same verified tree printed as Trino SQL (`?` parameters) for Trino. */
  engineSql: string;
  /** The derived hash keys `engineSql` reads, bound when it runs (for Trino, in the order of its `?`). */
  parameters: KeyParameter[];
  analysis: Analysis;
  scans: PlannedScan[];
  /** Data policies that decided something, each once, in priority order. */
  policies: string[];
  /** What the answer must look like (column count and types), read from the verified tree. */
  shape: ExpectedShape;
  /**
   * The top level has no LIMIT or OFFSET of its own: a page may be appended to `engineSql` as is
   * (Trino does not keep a subquery's ORDER BY in an outer SELECT, so wrapping would lose it).
   */
  topLevelPage: boolean;
}

/**
 * parse (DuckDB's parser) → analyze (refuse the unsafe, find dataset references) → plan each
 * scan (policies; done by the caller) → replace every reference by its derived table → print →
 * re-parse the printed SQL and verify it independently.
 */
interface Verified {
  sql: string;
  engineSql: string;
  order: string[];
  shape: ExpectedShape;
  topLevelPage: boolean;
}

export class QueryRewriter {
  readonly scans: ScanBuilder;
  readonly keys: MaskKeySource;
  /** Verified outputs by (query text, approved scans): the same inputs always give the same SQL. */
  private readonly verified: Lru<string, Verified> | undefined;

  /** `keys`: the keyring (a plain string is one fixed master key); `cacheSize`: derived tables and verified outputs kept (0: none, for benchmarks). */
  constructor(
    readonly parser: SqlParser,
    keys: MaskKeySource | string,
    cacheSize = 2000,
  ) {
    this.keys = typeof keys === 'string' ? staticMaskKey(keys) : keys;
    this.scans = new ScanBuilder(parser, cacheSize);
    this.verified =
      cacheSize > 0
        ? new Lru({
            max: cacheSize,
            maxBytes: CACHE_BYTES,
            sizeOf: (v, key) => textBytes(key, v.sql, v.engineSql, ...v.order),
          })
        : undefined;
  }

  async analyze(sql: string): Promise<Analysis> {
    const statements = await this.parser.parse(sql);
    // Taken from the tree as parsed; named only once the query passed the checks.
    const pending = statements.length === 1 ? pendingNames(statements[0]!) : [];
    const analysis = analyzeQuery(statements);
    await applyNames(pending, (s) => this.parser.print(s));
    return analysis;
  }

  async rewrite(
    analysis: Analysis,
    plans: ReadonlyMap<string, ScanPlan>,
    subject: Subject,
    dialect: Dialect,
  ): Promise<Rewritten> {
    const master = await this.keys.active();
    const scans: PlannedScan[] = [];
    const parameters = new Map<string, KeyParameter>();
    for (const name of analysis.datasets) {
      const plan = plans.get(name.urn);
      if (!plan) throw new Error(`no plan for ${name.urn}`);
      const template = await this.scans.build(name, plan, subject, dialect, master);
      for (const p of template.parameters) parameters.set(p.name, p);
      scans.push({ name, plan, template });
    }
    const key = [
      dialect,
      canonical(analysis.statement),
      // catalog types enter the expected shape: a type change must not reuse an old one
      ...scans.map(
        (s) => `${s.name.urn}\u0001${s.template.approved}\u0001${s.plan.columns.map((c) => c.type).join(',')}`,
      ),
    ].join('\u0000');
    let verified = this.verified?.get(key);
    if (verified === undefined) {
      const statement: Statement = applyScans(analysis, new Map(scans.map((s) => [s.name.urn, s.template.statement])));
      statement.named_param_map = [...parameters.keys()].map((k, i) => ({ key: k, value: i + 1 }));
      const sql = await this.parser.print(statement);
      const reparsed = await this.parser.parse(sql);
      verifyRewritten(
        reparsed,
        new Map(scans.map((s) => [s.name.urn, s.template.approved])),
        new Set(parameters.keys()),
      );
      const order: string[] = [];
      const types = new Map(
        scans.map((s) => [
          [s.name.depot, s.name.collection, s.name.dataset].join('.').toLowerCase(),
          new Map(s.plan.columns.map((c) => [c.name.toLowerCase(), c.type])),
        ]),
      );
      const shape = expectedShape(reparsed[0]!, (t) => types.get(t));
      const modifiers = reparsed[0]!.node.modifiers;
      const topLevelPage = !(Array.isArray(modifiers) ? modifiers : []).some(
        (m) => isObject(m) && String(m.type).startsWith('LIMIT'),
      );
      verified =
        dialect === 'trino'
          ? { sql, engineSql: printTrino(reparsed[0]!, order), order, shape, topLevelPage }
          : { sql, engineSql: sql, order: [], shape, topLevelPage };
      this.verified?.set(key, verified);
    }
    const { sql, engineSql, shape, topLevelPage } = verified;
    const order = new Map<string, number>();
    for (const s of scans) {
      for (const c of s.plan.columns) if (c.mask) order.set(c.mask.policy, c.mask.priority);
      for (const f of [...s.plan.filters, ...s.plan.exemptions]) order.set(f.policy, f.priority);
    }
    const policies = [...order.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([n]) => n);
    // DuckDB binds by name; Trino by position, one value per `?` in printing order.
    const bound = dialect === 'trino' ? verified.order.map((n) => parameters.get(n)!) : [...parameters.values()];
    return { sql, engineSql, parameters: bound, analysis, scans, policies, shape, topLevelPage };
  }
}
