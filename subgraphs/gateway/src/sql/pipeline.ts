import type { ScanPlan } from '../policies/resolve.js';
import type { Subject } from '../policies/subject.js';
import { canonical, type Statement } from './ast.js';
import { Lru } from './lru.js';
import type { Dialect } from './masks.js';
import type { SqlParser } from './parser.js';
import { analyzeQuery, applyScans, verifyRewritten, type Analysis, type DatasetName } from './rewrite.js';
import { ScanBuilder, type ScanTemplate } from './scan.js';
import { printTrino } from './trino.js';

export interface PlannedScan {
  name: DatasetName;
  plan: ScanPlan;
  template: ScanTemplate;
}

export interface Rewritten {
  /** The verified SQL, printed by DuckDB. */
  sql: string;
  /** What runs on the engine: `sql` for DuckDB, the same verified tree printed as Trino SQL for Trino. */
  engineSql: string;
  /** `engineSql` with the hashing secret hidden: for explain and the history. */
  displaySql: string;
  analysis: Analysis;
  scans: PlannedScan[];
  /** Data policies that decided something, each once, in priority order. */
  policies: string[];
}

/**
 * parse (DuckDB's parser) → analyze (refuse the unsafe, find dataset references) → plan each
 * scan (policies; done by the caller) → replace every reference by its derived table → print →
 * re-parse the printed SQL and verify it independently.
 */
export class QueryRewriter {
  readonly scans: ScanBuilder;
  /** Verified outputs by (query text, approved scans): the same inputs always give the same SQL. */
  private readonly verified: Lru<string, { sql: string; engineSql: string }>;

  /** `cacheSize`: derived tables and verified outputs kept (0: none, for benchmarks). */
  constructor(
    readonly parser: SqlParser,
    secret: string,
    cacheSize = 2000,
  ) {
    this.scans = new ScanBuilder(parser, secret, cacheSize);
    this.verified = new Lru(cacheSize);
  }

  async analyze(sql: string): Promise<Analysis> {
    return analyzeQuery(await this.parser.parse(sql));
  }

  async rewrite(analysis: Analysis, plans: ReadonlyMap<string, ScanPlan>, subject: Subject, dialect: Dialect): Promise<Rewritten> {
    const scans: PlannedScan[] = [];
    for (const name of analysis.datasets) {
      const plan = plans.get(name.urn);
      if (!plan) throw new Error(`no plan for ${name.urn}`);
      scans.push({ name, plan, template: await this.scans.build(name, plan, subject, dialect) });
    }
    const key = [dialect, canonical(analysis.statement), ...scans.map((s) => `${s.name.urn}\u0001${s.template.approved}`)].join('\u0000');
    let verified = this.verified.get(key);
    if (verified === undefined) {
      const statement: Statement = applyScans(analysis, new Map(scans.map((s) => [s.name.urn, s.template.statement])));
      const sql = await this.parser.print(statement);
      const reparsed = await this.parser.parse(sql);
      verifyRewritten(reparsed, new Map(scans.map((s) => [s.name.urn, s.template.approved])));
      verified = { sql, engineSql: dialect === 'trino' ? printTrino(reparsed[0]!) : sql };
      this.verified.set(key, verified);
    }
    const { sql, engineSql } = verified;
    const order = new Map<string, number>();
    for (const s of scans) {
      for (const c of s.plan.columns) if (c.mask) order.set(c.mask.policy, c.mask.priority);
      for (const f of [...s.plan.filters, ...s.plan.exemptions]) order.set(f.policy, f.priority);
    }
    const policies = [...order.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([n]) => n);
    return { sql, engineSql, displaySql: this.scans.redact(engineSql), analysis, scans, policies };
  }
}
