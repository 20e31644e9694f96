import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticColumnCatalog } from '../src/catalog.js';
import { DEFAULT_DATA_POLICIES, DEMO_DATA_POLICIES } from '../src/policies/defaults.js';
import type { DataPolicyInput } from '../src/policies/model.js';
import { planScan, type CatalogDataset } from '../src/policies/resolve.js';
import { policyDoc } from '../src/policies/store.js';
import { attributeOf, type Subject } from '../src/policies/subject.js';
import { validateDataPolicy } from '../src/policies/validate.js';
import { SqlParser } from '../src/sql/parser.js';
import { QueryRewriter } from '../src/sql/pipeline.js';
import { parsePredicate } from '../src/sql/predicate.js';
import { analyzeQuery, verifyRewritten } from '../src/sql/rewrite.js';
import { filterSql } from '../src/sql/scan.js';
import { DEMO_POLICIES, SECRET, derivedKey, SUBJECTS, refusal } from './support.js';

let parser: SqlParser;
let rewriter: QueryRewriter;
const catalog = StaticColumnCatalog.fromDemo();

beforeAll(async () => {
  parser = await SqlParser.create();
  rewriter = new QueryRewriter(parser, SECRET);
});
afterAll(() => parser.close());

/** The pure path: parse, analyze, plan with the static catalog and the given policies, rewrite. */
async function rewrite(sql: string, subject: Subject = SUBJECTS.alice, policies = DEMO_POLICIES) {
  const analysis = await rewriter.analyze(sql);
  const datasets = await catalog.datasets(analysis.datasets.map((d) => d.urn));
  const plans = new Map([...datasets].map(([urn, d]) => [urn, planScan(d!, subject, policies)]));
  return rewriter.rewrite(analysis, plans, subject, 'duckdb');
}

const mask = (
  name: string,
  priority: number,
  operator: string,
  extra: Partial<DataPolicyInput> = {},
  more: Record<string, unknown> = {},
): DataPolicyInput => ({
  name,
  type: 'mask',
  priority,
  selector: { user: { match: 'any', tags: ['users:id:*'] }, column: { tags: ['PII.Email'] } },
  mask: { operator: operator as never, ...more },
  ...extra,
});

const customers: CatalogDataset = {
  urn: 'dataos://icebase:retail/customers',
  columns: [
    { name: 'email', type: 'VARCHAR', tags: ['PII.Email'] },
    { name: 'region', type: 'VARCHAR', tags: [] },
    { name: 'Full_Name', type: 'VARCHAR', tags: ['pii.name'] },
  ],
};

describe('analysis', () => {
  it('finds each dataset once, with the names the query uses', async () => {
    const a = await rewriter.analyze(
      'SELECT * FROM icebase.retail.customers c JOIN ICEBASE.Retail.Orders USING (customer_id), icebase.retail.customers d',
    );
    expect(a.datasets.map((d) => d.urn)).toEqual([
      'dataos://icebase:retail/customers',
      'dataos://icebase:retail/orders',
    ]);
    expect(a.references.map((r) => r.alias)).toEqual(['c', 'Orders', 'd']);
  });

  it('a query without tables reads nothing', async () => {
    const r = await rewrite("SELECT 1 + 1 AS two, upper('x')");
    expect(r.analysis.datasets).toEqual([]);
    expect(r.sql).toBe("SELECT (1 + 1) AS two, upper('x')");
  });

  it('renames CTEs so that their names cannot resolve to anything else', async () => {
    const r = await rewrite(
      'WITH x AS (SELECT email FROM icebase.retail.customers), y AS (SELECT * FROM x) SELECT x.email FROM x, y',
    );
    expect(r.sql).toMatch(/^WITH __gw_cte_1 AS .*, __gw_cte_2 AS \(SELECT \* FROM __gw_cte_1 AS x\)/);
    expect(r.sql).toMatch(/FROM __gw_cte_1 AS x\s*, __gw_cte_2 AS y$/);
  });

  it('a CTE is visible in later CTEs and subqueries, not in its own body nor outside its query', async () => {
    expect((await refusal(rewriter.analyze('WITH x AS (SELECT * FROM x) SELECT 1'))).extensions.reason).toBe(
      'UNKNOWN_TABLE',
    );
    expect(
      (await refusal(rewriter.analyze('SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) t, x'))).extensions.reason,
    ).toBe('UNKNOWN_TABLE');
    await expect(
      rewriter.analyze('WITH x AS (SELECT 1 AS a) SELECT * FROM (SELECT * FROM x) t WHERE a IN (SELECT a FROM x)'),
    ).resolves.toBeTruthy();
  });

  it('names the right reason for CTE forms it does not support', async () => {
    const [statement] = await parser.parse('SELECT 1');
    const cteNode = {
      ...statement!,
      node: { type: 'CTE_NODE', ctename: 'x', query: statement!.node, child: statement!.node },
    };
    const e = await refusal(Promise.resolve().then(() => analyzeQuery([cteNode])));
    expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CONSTRUCT' });
    expect(e.message).toContain('CTE_NODE');
    const recursive = await refusal(
      rewriter.analyze('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r'),
    );
    expect(recursive.extensions.reason).toBe('RECURSIVE_CTE');
  });

  it('refuses SQL over 100,000 characters', async () => {
    const e = await refusal(rewriter.analyze(`SELECT ${'1 + '.repeat(30_000)}1`));
    expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_LONG' });
  });
});

describe('rewriting', () => {
  it('replaces each table by a derived table with masked columns and row filters, under the same name', async () => {
    const r = await rewrite('SELECT c.email, c.region FROM icebase.retail.customers c');
    // Every column guarded by the row filter (CASE WHEN ... THEN ... END) and qualified with the scan alias.
    expect(r.sql).toMatch(
      /CASE {2}WHEN \(\(__gw_scan\.region = 'emea'\)\) THEN \(sha256\(\(\$__gw_key_[0-9a-f]{24} \|\| CAST\(__gw_scan\.email AS VARCHAR\)\)\)\) ELSE NULL END AS email/,
    );
    expect(r.sql).toContain(
      "CASE  WHEN ((__gw_scan.region = 'emea')) THEN (__gw_scan.customer_id) ELSE NULL END AS customer_id",
    );
    expect(r.sql).toContain("FROM icebase.retail.customers AS __gw_scan WHERE (__gw_scan.region = 'emea')) AS c");
    const refs: string[][] = [];
    JSON.stringify(r.scans[0]!.template.statement, (_k, v: { class?: string; column_names?: string[] }) => {
      if (v && v.class === 'COLUMN_REF') refs.push(v.column_names!);
      return v;
    });
    expect(refs.length).toBeGreaterThan(7);
    expect(refs.filter((names) => names.length !== 2 || names[0] !== '__gw_scan')).toEqual([]);
    expect(r.policies).toEqual(['customers-by-region', 'pii-date-of-birth', 'pii-email', 'pii-name', 'pii-phone']);
  });

  it('binds hash keys as parameters: neither the master key nor a derived key is in the SQL text', async () => {
    const r = await rewrite('SELECT email, full_name FROM icebase.retail.customers');
    const email = derivedKey('pii-email');
    const name = derivedKey('pii-name');
    // Every exposed column is masked in the scan, whichever the query selects.
    expect(r.parameters.map((p) => p.value).sort()).toEqual([email, name, derivedKey('pii-phone')].sort());
    for (const text of [r.sql, r.engineSql, r.scans[0]!.template.sql]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(email);
      for (const p of r.parameters) expect(text).toContain(`$${p.name}`);
    }
  });

  it('carol (pii-reader, admin) reads clear columns and every row', async () => {
    const r = await rewrite('SELECT * FROM icebase.retail.customers', SUBJECTS.carol);
    // No filter: no hidden row, so no guard either.
    expect(r.sql).toContain(
      'SELECT __gw_scan.customer_id AS customer_id, __gw_scan.full_name AS full_name, __gw_scan.email AS email',
    );
    expect(r.sql).not.toContain('WHERE');
    expect(r.sql).not.toContain('CASE');
    expect(r.policies).toEqual(['admins-all-rows', 'pii-reader']);
  });

  it('a subject without the attribute a filter needs gets no row (FALSE), not every row', async () => {
    const r = await rewrite('SELECT * FROM icebase.retail.customers', SUBJECTS.erin);
    expect(r.sql).toContain("WHERE CAST('f' AS BOOLEAN)) AS customers");
  });

  it('every reference of a dataset gets the same derived table (self-joins, subqueries, CTEs)', async () => {
    const r = await rewrite(
      'SELECT a.email FROM icebase.retail.customers a WHERE a.email IN (SELECT email FROM icebase.retail.customers)',
    );
    expect(r.sql.match(/AS __gw_scan/g)).toHaveLength(2);
    expect(r.scans).toHaveLength(1);
  });
});

describe('independent verification of the printed SQL', () => {
  it("accepts the rewriter's output and rejects a raw table, a changed scan or a table function", async () => {
    const r = await rewrite('SELECT email FROM icebase.retail.customers');
    const approved = new Map(r.scans.map((s) => [s.name.urn, s.template.approved]));
    const raw = await parser.parse('SELECT email FROM icebase.retail.customers AS __gw_scan');
    expect(() => verifyRewritten(raw, approved)).toThrow(/verified/);
    const names = new Set(r.parameters.map((p) => p.name));
    verifyRewritten(await parser.parse(r.sql), approved, names);
    // Our parameters only inside approved scans: not without their names, not anywhere else.
    const printed = await parser.parse(r.sql);
    expect(() => verifyRewritten(printed, approved)).toThrow(/verified/);
    const outside = await parser.parse(`${r.sql} UNION ALL SELECT $${r.parameters[0]!.name}`);
    expect(() => verifyRewritten(outside, approved, names)).toThrow(/verified/);
    const changed = await parser.parse(
      r.sql.replace(
        /\(sha256\(\(\$__gw_key_[0-9a-f]+ \|\| CAST\(__gw_scan\.email AS VARCHAR\)\)\)\)/,
        '(__gw_scan.email)',
      ),
    );
    expect(changed[0]).not.toEqual((await parser.parse(r.sql))[0]);
    expect(() => verifyRewritten(changed, approved, names)).toThrow(/verified/);
    const unfiltered = await parser.parse(r.sql.replace(" WHERE (__gw_scan.region = 'emea')", ''));
    expect(unfiltered[0]).not.toEqual((await parser.parse(r.sql))[0]);
    expect(() => verifyRewritten(unfiltered, approved)).toThrow(/verified/);
    const fn = await parser.parse(`${r.sql} UNION ALL SELECT * FROM read_text('x')`);
    expect(() => verifyRewritten(fn, approved)).toThrow(/verified/);
  });
});

describe('priorities and conflicts', () => {
  const plan = (inputs: DataPolicyInput[], subject: Subject = SUBJECTS.alice, dataset = customers) =>
    planScan(
      dataset,
      subject,
      inputs.map((p) => policyDoc(p)),
    );
  const emailMask = (p: ReturnType<typeof plan>) => p.columns.find((c) => c.name === 'email')!.mask;

  it('the lower number wins', () => {
    const p = plan([mask('a', 99, 'hash'), mask('b', 10, 'redact'), mask('c', 50, 'partial', {}, { keepFirst: 1 })]);
    expect(emailMask(p)).toMatchObject({ policy: 'b', priority: 10 });
  });

  it('at equal numbers the more restrictive operator wins, then the name', () => {
    expect(emailMask(plan([mask('z', 50, 'pass_through'), mask('y', 50, 'hash')]))?.policy).toBe('y');
    expect(emailMask(plan([mask('a', 50, 'hash'), mask('b', 50, 'redact')]))?.policy).toBe('b');
    expect(emailMask(plan([mask('b', 50, 'hash'), mask('a', 50, 'hash')]))?.policy).toBe('a');
  });

  it('a pass_through at 90 for pii-readers beats the defaults at 99, for them only', () => {
    const policies = DEMO_POLICIES;
    expect(
      planScan(customers, SUBJECTS.carol, policies).columns.find((c) => c.name === 'email')!.mask?.spec.operator,
    ).toBe('pass_through');
    expect(
      planScan(customers, SUBJECTS.alice, policies).columns.find((c) => c.name === 'email')!.mask?.spec.operator,
    ).toBe('hash');
  });

  it('column tags and names match case-insensitively, with globs', () => {
    const p = plan([
      mask('n', 5, 'redact', {
        selector: { user: { match: 'any', tags: ['users:id:*'] }, column: { tags: ['PII.*'] } },
      }),
    ]);
    expect(p.columns.map((c) => c.mask?.policy ?? null)).toEqual(['n', null, 'n']);
    const q = plan([
      mask('m', 5, 'redact', {
        selector: { user: { match: 'any', tags: ['users:id:*'] }, column: { names: ['full_*'] } },
      }),
    ]);
    expect(q.columns.map((c) => c.mask?.policy ?? null)).toEqual([null, null, 'm']);
  });

  it('user selectors: any of the tags, or all of them', () => {
    const any = mask('any', 5, 'redact', {
      selector: {
        user: { match: 'any', tags: ['roles:id:data-dev', 'roles:id:nobody'] },
        column: { tags: ['PII.Email'] },
      },
    });
    const all = mask('all', 5, 'redact', {
      selector: {
        user: { match: 'all', tags: ['roles:id:data-dev', 'roles:id:nobody'] },
        column: { tags: ['PII.Email'] },
      },
    });
    expect(emailMask(plan([any]))?.policy).toBe('any');
    expect(emailMask(plan([all]))).toBeNull();
  });

  it('dataset globs and disabled policies', () => {
    expect(emailMask(plan([mask('x', 5, 'redact', { datasets: ['dataos://icebase:*/*'] })]))?.policy).toBe('x');
    expect(emailMask(plan([mask('x', 5, 'redact', { datasets: ['dataos://lakehouse:*/*'] })]))).toBeNull();
    expect(emailMask(plan([mask('x', 5, 'redact', { enabled: false })]))).toBeNull();
  });

  it('DataOS globs: `*` stays within one URN or tag level, `**` crosses them, URNs ignore case', () => {
    const on = (datasets: string[]) => emailMask(plan([mask('x', 5, 'redact', { datasets })]))?.policy ?? null;
    expect(on(['dataos://icebase:**'])).toBe('x');
    expect(on(['dataos://**'])).toBe('x');
    expect(on(['dataos://ICEBASE:Retail/*'])).toBe('x');
    expect(on(['dataos://icebase:retail/cust?mers'])).toBe('x');
    expect(on(['dataos://icebase:{finance,retail}/customers'])).toBe('x');
    // Before the one pattern language, `*` crossed `:` and `/`: these two selected every dataset.
    expect(on(['dataos://*'])).toBeNull();
    expect(on(['dataos://icebase:*'])).toBeNull();
    const by = (tags: string[]) =>
      emailMask(
        plan([mask('u', 5, 'redact', { selector: { user: { match: 'any', tags }, column: { tags: ['PII.Email'] } } })]),
      )?.policy ?? null;
    expect(by(['users:id:*'])).toBe('u');
    expect(by(['roles:**'])).toBe('u');
    // A policy stored before could hold `*` (validation now refuses it): it selects nobody.
    const stored = {
      ...policyDoc(mask('s', 5, 'redact')),
      selector: { user: { match: 'any' as const, tags: ['*'] }, column: { tags: ['PII.Email'], names: [] } },
    };
    expect(planScan(customers, SUBJECTS.alice, [stored]).columns[0]!.mask).toBeNull();
    // A stored text that is now a malformed glob fails the scan (closed), not the mask.
    const broken = {
      ...policyDoc(mask('b', 5, 'redact')),
      selector: { user: { match: 'any' as const, tags: ['users:id:*'] }, column: { tags: ['PII.[Email'], names: [] } },
    };
    expect(() => planScan(customers, SUBJECTS.alice, [broken])).toThrow(/"\[" at 5 is never closed/);
    expect(by(['users:*'])).toBeNull();
    expect(by(['users:id:Alice'])).toBeNull();
  });

  it('the default policies still select what they did: PII.* tags, every user, the demo customers', () => {
    const defaults = [...DEFAULT_DATA_POLICIES, ...DEMO_DATA_POLICIES];
    for (const subject of Object.values(SUBJECTS)) {
      const p = plan(defaults, subject);
      expect(
        p.columns.map((c) => c.mask?.policy ?? null),
        subject.id,
      ).toEqual(
        subject.tags.includes('roles:id:pii-reader')
          ? ['pii-reader', null, 'pii-reader']
          : ['pii-email', null, 'pii-name'],
      );
      expect(
        p.filters.map((f) => f.policy),
        subject.id,
      ).toEqual(subject.tags.includes('roles:id:admin') ? [] : ['customers-by-region']);
    }
    expect(plan(defaults, SUBJECTS.alice, { ...customers, urn: 'dataos://icebase:retail/orders' }).filters).toEqual([]);
  });

  it('filters are ANDed; an exemption lifts only the filters with a higher number', () => {
    const f = (
      name: string,
      priority: number,
      filters: DataPolicyInput['filters'],
      tags = ['users:id:*'],
    ): DataPolicyInput => ({
      name,
      type: 'filter',
      priority,
      selector: { user: { match: 'any', tags } },
      filters,
    });
    const region = f('region', 50, [{ column: 'region', operator: 'equals', valueFrom: 'claims.region' }]);
    const notTest = f('not-test', 20, [{ column: 'email', operator: 'not_equals', value: 'test@example.com' }]);
    const exempt = f('exempt', 30, [], ['roles:id:data-dev']);
    const both = plan([region, notTest]);
    expect(both.filters.map((x) => x.policy)).toEqual(['not-test', 'region']);
    const lifted = plan([region, notTest, exempt]);
    expect(lifted.filters.map((x) => x.policy)).toEqual(['not-test']);
    expect(lifted.exemptions.map((x) => x.policy)).toEqual(['exempt']);
    expect(lifted.policies).toEqual(['not-test', 'exempt']);
    expect(plan([region, f('same', 50, [], ['roles:id:data-dev'])]).filters.map((x) => x.policy)).toEqual(['region']);
  });
});

describe('row filter SQL', () => {
  const columns = new Map([
    ['region', 'region'],
    ['customer_id', 'customer_id'],
  ]);
  const alice = SUBJECTS.alice;

  it('compiles each operator with literals, and fails closed', () => {
    expect(filterSql({ column: 'REGION', operator: 'equals', valueFrom: 'claims.region' }, columns, alice)).toBe(
      `"__gw_scan"."region" = 'emea'`,
    );
    expect(filterSql({ column: 'region', operator: 'equals', valueFrom: 'claims.missing' }, columns, alice)).toBe(
      'FALSE',
    );
    expect(filterSql({ column: 'nope', operator: 'equals', value: 'x' }, columns, alice)).toBe('FALSE');
    expect(filterSql({ column: 'region', operator: 'in', value: ['emea', "o'neil"] }, columns, alice)).toBe(
      `"__gw_scan"."region" IN ('emea', 'o''neil')`,
    );
    expect(filterSql({ column: 'region', operator: 'equals', valueFrom: 'tags.groups:id' }, columns, alice)).toBe(
      `"__gw_scan"."region" IN ('retail')`,
    );
    expect(filterSql({ column: 'region', operator: 'not_in', valueFrom: 'tags.nothing' }, columns, alice)).toBe(
      'FALSE',
    );
    expect(filterSql({ column: 'customer_id', operator: 'less_or_equal', value: 10 }, columns, alice)).toBe(
      '"__gw_scan"."customer_id" <= 10',
    );
    expect(filterSql({ column: 'region', operator: 'like', value: 'e%' }, columns, alice)).toBe(
      `"__gw_scan"."region" LIKE 'e%'`,
    );
    expect(filterSql({ column: 'region', operator: 'is_not_null' }, columns, alice)).toBe(
      '"__gw_scan"."region" IS NOT NULL',
    );
  });

  it('subject attributes', () => {
    expect(attributeOf(alice, 'region')).toBe('emea');
    expect(attributeOf(alice, 'claims.groups')).toEqual(['retail']);
    expect(attributeOf(alice, 'subject.id')).toBe('users:id:alice');
    expect(attributeOf(alice, 'tags.roles:id')).toEqual(['data-dev']);
    expect(attributeOf(alice, 'claims.nothing')).toBeUndefined();
  });

  it("SQL predicates: one boolean expression over the dataset's columns, nothing else", async () => {
    const ok = await parsePredicate(parser, "region = $region AND lower(email) NOT LIKE '%@test.com'");
    expect(ok.columns.sort()).toEqual(['email', 'region']);
    expect(ok.parameters).toEqual(['region']);
    for (const bad of [
      "region = 'emea') OR (1 = 1",
      "region = 'emea' ORDER BY 1",
      "region = 'emea' UNION SELECT 1",
      "region = 'emea'; DROP TABLE x",
      'customer_id IN (SELECT customer_id FROM icebase.retail.orders)',
      "c.region = 'emea'",
      "getenv('x') = 'y'",
      'row_number() OVER () = 1',
    ]) {
      const e = await refusal(parsePredicate(parser, bad));
      expect(e.extensions.code, bad).toBe('BAD_USER_INPUT');
    }
  });

  it('a predicate filter is bound to the subject and embedded as a tree, not as text', async () => {
    const policies = [
      policyDoc({
        name: 'pred',
        type: 'filter',
        priority: 40,
        selector: { user: { match: 'any', tags: ['users:id:*'] } },
        filters: [{ predicate: "region = $region OR region = 'apac'" }],
      }),
    ];
    const r = await rewrite('SELECT count(*) FROM icebase.retail.customers', SUBJECTS.alice, policies);
    expect(r.sql).toContain("WHERE ((__gw_scan.region = 'emea') OR (__gw_scan.region = 'apac'))");
  });

  it('a predicate whose attribute is missing or a list is FALSE as a whole (never bound to NULL)', async () => {
    const policies = [
      policyDoc({
        name: 'pred',
        type: 'filter',
        priority: 40,
        selector: { user: { match: 'any', tags: ['users:id:*'] } },
        filters: [{ predicate: '$region IS NULL OR region = $region' }],
      }),
    ];
    const erin = await rewrite('SELECT count(*) FROM icebase.retail.customers', SUBJECTS.erin, policies);
    expect(erin.sql).toContain("WHERE CAST('f' AS BOOLEAN)) AS customers");
    expect(erin.sql).not.toContain('NULL)');
    const listed = { ...SUBJECTS.alice, claims: { ...SUBJECTS.alice.claims, region: ['emea', 'amer'] } };
    const list = await rewrite('SELECT count(*) FROM icebase.retail.customers', listed, policies);
    expect(list.sql).toContain("WHERE CAST('f' AS BOOLEAN)) AS customers");
  });
});

describe('data policy validation', () => {
  const base: DataPolicyInput = mask('ok', 50, 'hash');
  const field = (input: Partial<DataPolicyInput>) => {
    try {
      validateDataPolicy({ ...base, ...input });
    } catch (error) {
      return (error as { extensions: { field: string; code: string } }).extensions;
    }
    return null;
  };

  it('accepts a valid policy and normalizes it', () => {
    const { fields } = validateDataPolicy({ ...base, datasets: ['dataos://ICEBASE:retail/*'] });
    expect(fields).toMatchObject({
      priority: 50,
      datasets: ['dataos://icebase:retail/*'],
      mask: { operator: 'hash', algorithm: 'sha256', keyScope: 'policy' },
      enabled: true,
    });
    expect(validateDataPolicy({ ...base, mask: { operator: 'hash', keyScope: 'dataset' } }).fields.mask).toMatchObject({
      keyScope: 'dataset',
    });
  });

  it('refuses bad input with the field at fault', () => {
    expect(field({ priority: 0 })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.priority' });
    expect(field({ priority: 101 })).toMatchObject({ field: 'input.priority' });
    expect(field({ name: 'bad name' })).toMatchObject({ field: 'input.name' });
    expect(field({ datasets: ['icebase.retail.customers'] })).toMatchObject({ field: 'input.datasets[0]' });
    expect(field({ mask: null })).toMatchObject({ field: 'input.mask' });
    expect(field({ selector: { user: { match: 'any', tags: [] }, column: { tags: ['x'] } } })).toMatchObject({
      field: 'input.selector.user.tags',
    });
    expect(field({ selector: { user: { match: 'any', tags: ['users:id:*'] } } })).toMatchObject({
      field: 'input.selector.column',
    });
    expect(field({ mask: { operator: 'partial' } })).toMatchObject({ field: 'input.mask.keepFirst' });
    expect(field({ mask: { operator: 'hash', keyScope: 'table' as never } })).toMatchObject({
      field: 'input.mask.keyScope',
    });
    expect(field({ mask: { operator: 'redact', keyScope: 'dataset' } })).toMatchObject({
      field: 'input.mask.keyScope',
    });
    expect(field({ mask: { operator: 'bucket_number', buckets: [10, 5] } })).toMatchObject({
      field: 'input.mask.buckets',
    });
    expect(field({ mask: { operator: 'bucket_number' } })).toMatchObject({ field: 'input.mask.buckets' });
    expect(field({ mask: { operator: 'bucket_date', precision: 'century' as never } })).toMatchObject({
      field: 'input.mask.precision',
    });
    expect(field({ mask: { operator: 'regex_replace', pattern: '(' } })).toMatchObject({ field: 'input.mask.pattern' });
    expect(field({ mask: { operator: 'rand_pattern', pattern: '----' } })).toMatchObject({
      field: 'input.mask.pattern',
    });
    expect(
      field({
        type: 'filter',
        mask: null,
        selector: { user: { match: 'any', tags: ['users:id:*'] } },
        filters: [{ column: 'r', operator: 'equals' }],
      }),
    ).toMatchObject({ field: 'input.filters[0]' });
    expect(
      field({
        type: 'filter',
        mask: null,
        selector: { user: { match: 'any', tags: ['users:id:*'] } },
        filters: [{ column: 'r', operator: 'in', value: 'x' }],
      }),
    ).toMatchObject({ field: 'input.filters[0].value' });
    expect(
      field({
        type: 'filter',
        mask: null,
        selector: { user: { match: 'any', tags: ['users:id:*'] } },
        filters: [{ column: 'r', operator: 'equals', valueFrom: 'a b' }],
      }),
    ).toMatchObject({ field: 'input.filters[0].valueFrom' });
    expect(
      field({
        type: 'filter',
        mask: null,
        selector: { user: { match: 'any', tags: ['users:id:*'] } },
        filters: [{ predicate: 'x = 1', column: 'x' }],
      }),
    ).toMatchObject({ field: 'input.filters[0]' });
  });

  it('refuses a malformed or impossible glob, naming the field and saying what is wrong', () => {
    const problem = (input: Partial<DataPolicyInput>) => {
      try {
        validateDataPolicy({ ...base, ...input });
      } catch (error) {
        const e = error as { message: string; extensions: { field: string; code: string } };
        return { code: e.extensions.code, field: e.extensions.field, message: e.message };
      }
      return null;
    };
    const user = (tags: string[]) => ({
      selector: { user: { match: 'any' as const, tags }, column: { tags: ['PII.Email'] } },
    });
    const column = (c: { tags?: string[]; names?: string[] }) => ({
      selector: { user: { match: 'any' as const, tags: ['users:id:*'] }, column: c },
    });
    expect(problem({ datasets: ['dataos://icebase:retail/customers', 'dataos://icebase:retail/[abc'] })).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.datasets[1]',
      message: '"dataos://icebase:retail/[abc" is not a valid glob: "[" at 25 is never closed.',
    });
    expect(problem({ datasets: ['dataos://icebase:{retail,finance/*'] })).toMatchObject({
      field: 'input.datasets[0]',
      message: expect.stringMatching(/"\{" at 18 is never closed/),
    });
    expect(problem(user(['roles:id:{admin,operator']))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.selector.user.tags[0]',
      message: expect.stringMatching(/never closed/),
    });
    expect(problem(user(['users:id:*', '*']))).toMatchObject({
      field: 'input.selector.user.tags[1]',
      message: expect.stringMatching(/users:id:\*. selects every user/),
    });
    expect(problem(user(['roles:id:x\\']))).toMatchObject({
      field: 'input.selector.user.tags[0]',
      message: expect.stringMatching(/lone backslash/),
    });
    expect(problem(column({ tags: ['PII.[Email'] }))).toMatchObject({
      field: 'input.selector.column.tags[0]',
      message: expect.stringMatching(/never closed/),
    });
    expect(problem(column({ tags: ['PII.*'], names: ['email', 'full_{a'] }))).toMatchObject({
      field: 'input.selector.column.names[1]',
    });
    expect(problem(column({ tags: ['PII.*', 'PII.{Email,Name}'], names: ['full_*'] }))).toBeNull();
    expect(problem({ datasets: ['dataos://icebase:**', 'dataos://*:retail/{customers,orders}'] })).toBeNull();
  });
});
