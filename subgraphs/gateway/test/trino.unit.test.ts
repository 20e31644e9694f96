import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticColumnCatalog } from '../src/catalog.js';
import { EngineError } from '../src/engines/engine.js';
import { TrinoEngine } from '../src/engines/trino.js';
import { planScan } from '../src/policies/resolve.js';
import { SqlParser } from '../src/sql/parser.js';
import { QueryRewriter } from '../src/sql/pipeline.js';
import { printTrino } from '../src/sql/trino.js';
import { QueryService } from '../src/query.js';
import { DEMO_POLICIES, SECRET, SUBJECTS, derivedKey, refusal } from './support.js';

/**
 * Trino clusters: the verified tree printed as Trino SQL, and the trino-client engine against a
 * small fake coordinator speaking the client protocol (no live Trino here).
 */

let parser: SqlParser;
let rewriter: QueryRewriter;
const catalog = StaticColumnCatalog.fromDemo();

beforeAll(async () => {
  parser = await SqlParser.create();
  rewriter = new QueryRewriter(parser, SECRET);
});
afterAll(() => parser.close());

async function forTrino(sql: string) {
  const analysis = await rewriter.analyze(sql);
  const datasets = await catalog.datasets(analysis.datasets.map((d) => d.urn));
  const plans = new Map([...datasets].map(([urn, d]) => [urn, planScan(d!, SUBJECTS.alice, DEMO_POLICIES)]));
  return rewriter.rewrite(analysis, plans, SUBJECTS.alice, 'trino');
}

const CORPUS = [
  'SELECT count(*) FROM icebase.retail.orders',
  `SELECT c.email, sum(o.order_total) AS spent FROM icebase.retail.customers c JOIN icebase.retail.orders o ON o.customer_id = c.customer_id WHERE c.full_name LIKE 'a%' GROUP BY c.email HAVING count(*) > 1 ORDER BY spent DESC NULLS LAST LIMIT 10 OFFSET 5`,
  "WITH m AS (SELECT date_trunc('month', ordered_at) AS month, order_total FROM icebase.retail.orders) SELECT month, sum(order_total) FROM m GROUP BY month",
  'SELECT customer_id, rank() OVER (PARTITION BY customer_id ORDER BY order_total DESC) AS r, lag(order_total, 1, 0) OVER (ORDER BY order_id) FROM icebase.retail.orders',
  'SELECT email FROM icebase.retail.customers WHERE customer_id IN (SELECT customer_id FROM icebase.retail.orders WHERE order_total > 400.5) AND EXISTS (SELECT 1)',
  'SELECT email FROM icebase.retail.customers UNION ALL SELECT phone FROM icebase.retail.customers',
  "SELECT CASE WHEN region = 'emea' THEN 1 ELSE 0 END, CAST(customer_id AS VARCHAR), region IS NULL, customer_id BETWEEN 1 AND 10, NOT (region <> 'x'), coalesce(region, 'none') FROM icebase.retail.customers",
  "SELECT EXTRACT(year FROM created_at), count(DISTINCT region), sum(customer_id) FILTER (WHERE region = 'emea') FROM icebase.retail.customers GROUP BY 1",
  'SELECT 1e3 * customer_id, -2.50, 12345678901234567 FROM icebase.retail.customers',
];

describe('Trino SQL from the verified tree', () => {
  it('prints Trino forms: count(*), LIKE, EXTRACT, OFFSET before LIMIT, Trino mask functions', async () => {
    const r = await forTrino(CORPUS[1]!);
    expect(r.engineSql).toContain('lower(to_hex(sha256(to_utf8((? || CAST("__gw_scan"."email" AS varchar))))))');
    expect(r.engineSql).toContain(`("c"."full_name" LIKE 'a%')`);
    expect(r.engineSql).toContain('HAVING (count(*) > 1) ORDER BY "spent" DESC OFFSET 5 LIMIT 10');
    expect(r.engineSql).not.toMatch(/count_star|~~|main\./);
    expect(r.engineSql).not.toContain(SECRET);
    expect(r.parameters.map((p) => p.value)).toContain(derivedKey('pii-email'));
    for (const p of r.parameters) expect(r.engineSql).not.toContain(p.value);
    expect((await forTrino(CORPUS[7]!)).engineSql).toContain('EXTRACT(YEAR FROM "created_at")');
    expect((await forTrino(CORPUS[4]!)).engineSql).toContain('("order_total" > 400.5)');
  });

  it.each(CORPUS)('is read back into the same tree (printing is a fixpoint): %s', async (sql) => {
    const printed = (await forTrino(sql)).engineSql;
    const [again] = await parser.parse(printed);
    expect(printTrino(again!)).toBe(printed);
  });

  it('VALUES lists', async () => {
    const printed = (await forTrino("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)")).engineSql;
    expect(printed).toContain(`(VALUES (1, 'a'), (2, 'b')) AS "valueslist"`);
    expect(printed).toMatch(/AS "v"\("id", "name"\)$/);
  });

  it('refuses what Trino cannot express', async () => {
    for (const sql of [
      'SELECT email FROM icebase.retail.customers QUALIFY row_number() OVER (ORDER BY email) = 1',
      'SELECT region, count(*) FROM icebase.retail.customers GROUP BY ALL',
      'SELECT * FROM icebase.retail.customers NATURAL JOIN icebase.retail.orders',
      'SELECT * EXCLUDE (email) FROM icebase.retail.customers',
      "SELECT {'a': 1}",
    ]) {
      const e = await refusal(forTrino(sql));
      expect(e.extensions, sql).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_SUPPORTED_ON_ENGINE' });
    }
  });
});

describe('TrinoEngine against a fake coordinator', () => {
  let server: http.Server;
  let base: string;
  const seen: { sql: string; user: string | undefined }[] = [];
  let mode: 'rows' | 'error' = 'rows';
  let failure: Record<string, unknown> = {};

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const send = (o: unknown) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(o));
        };
        if (req.method === 'POST' && req.url === '/v1/statement') {
          seen.push({ sql: body, user: req.headers['x-trino-user'] as string | undefined });
          if (mode === 'error') {
            return send({
              id: 'q2',
              stats: { state: 'FAILED' },
              error: { errorCode: 1, errorType: 'USER_ERROR', failureInfo: {}, ...failure },
            });
          }
          return send({ id: 'q1', nextUri: `${base}/v1/statement/q1/1`, stats: { state: 'QUEUED' } });
        }
        if (req.url === '/v1/statement/q1/1') {
          return send({
            id: 'q1',
            nextUri: `${base}/v1/statement/q1/2`,
            columns: [{ name: 'n', type: 'bigint' }],
            data: [[1], [2]],
            stats: { state: 'RUNNING' },
          });
        }
        if (req.url === '/v1/statement/q1/2') {
          return send({
            id: 'q1',
            columns: [{ name: 'n', type: 'bigint' }],
            data: [[3]],
            stats: { state: 'FINISHED' },
          });
        }
        if (req.method === 'DELETE') return send({});
        res.statusCode = 404;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pages (OFFSET then LIMIT + 1), follows nextUri and sends the service user', async () => {
    const engine = new TrinoEngine({ endpoint: base, user: 'gw' });
    mode = 'rows';
    const page = await engine.execute('SELECT n FROM t', { limit: 2, offset: 4 });
    expect(seen.at(-1)).toEqual({ sql: 'SELECT * FROM (SELECT n FROM t) AS __gw_page OFFSET 4 LIMIT 3', user: 'gw' });
    expect(page).toEqual({ columns: [{ name: 'n', type: 'bigint' }], rows: [[1], [2]], hasMore: true });
    const all = await engine.execute('SELECT n FROM t', { limit: 10, offset: 0 });
    expect(all).toMatchObject({ rows: [[1], [2], [3]], hasMore: false });
  });

  it('binds hash keys through EXECUTE IMMEDIATE ... USING: the statement body holds `?`, only derived keys travel, never the master key', async () => {
    const engine = new TrinoEngine({ endpoint: base, user: 'gw' });
    mode = 'rows';
    const r = await forTrino('SELECT email, full_name FROM icebase.retail.customers WHERE email <> phone');
    await engine.execute(r.engineSql, { limit: 2, offset: 0 }, { parameters: r.parameters });
    const sent = seen.at(-1)!.sql;
    const m = /^EXECUTE IMMEDIATE '((?:[^']|'')*)' USING (.*)$/s.exec(sent);
    expect(m, sent).not.toBeNull();
    const body = m![1]!.replaceAll("''", "'");
    expect(body).toBe(`SELECT * FROM (${r.engineSql}) AS __gw_page OFFSET 0 LIMIT 3`);
    // One value per `?`, in order: the email, name and phone policies' keys as the columns are printed.
    const values = m![2]!.split(', ').map((v) => v.replace(/^'|'$/g, ''));
    expect(values).toEqual(r.parameters.map((p) => p.value));
    expect(body.split('?').length - 1).toBe(values.length);
    expect(new Set(values)).toEqual(
      new Set([derivedKey('pii-email'), derivedKey('pii-name'), derivedKey('pii-phone')]),
    );
    expect(sent).not.toContain(SECRET);
    for (const v of values) expect(body).not.toContain(v);
  });

  it('a planning error that quotes the rewritten SQL reaches the caller as a fixed message', async () => {
    mode = 'error';
    const service = new QueryService({
      rewriter,
      catalog,
      policies: { all: async () => DEMO_POLICIES },
      engineFor: () => new TrinoEngine({ endpoint: base }),
    });
    const cluster = {
      _id: 'trino-test',
      engine: 'trino' as const,
      endpoint: base,
      state: 'RUNNING' as const,
      createdAt: new Date(),
    };
    const run = (sql: string) =>
      refusal(service.run({ subject: SUBJECTS.alice, caller: {}, canRead: async () => true, cluster, sql }, 10));
    failure = {
      message: `line 1:8: 'lower(to_hex(sha256(to_utf8((? || CAST(email AS varchar))))))' must be an aggregate expression or appear in GROUP BY clause`,
      errorName: 'EXPRESSION_NOT_AGGREGATE',
    };
    const withheld = await run('SELECT email, count(*) FROM icebase.retail.customers');
    expect(withheld.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ENGINE_PLANNING' });
    expect(withheld.message).not.toMatch(/sha256|to_hex|\?/);
    failure = { message: "line 1:8: Column 'nope' cannot be resolved", errorName: 'COLUMN_NOT_FOUND' };
    const shown = await run('SELECT nope FROM icebase.retail.customers');
    expect(shown.message).toBe("The engine refused the query: Column 'nope' cannot be resolved");
  });

  it('classifies errors: runtime messages are not planning errors; unreachable is unavailable', async () => {
    mode = 'error';
    failure = { message: "Cannot cast 'secret value' to INT", errorName: 'INVALID_CAST_ARGUMENT' };
    const engine = new TrinoEngine({ endpoint: base });
    const error = await engine.execute('SELECT 1', { limit: 1, offset: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe('runtime');
    const down = await new TrinoEngine({ endpoint: 'http://127.0.0.1:9' })
      .execute('SELECT 1', { limit: 1, offset: 0 })
      .catch((e: unknown) => e);
    expect((down as EngineError).kind).toBe('unavailable');
  });

  it('decides what is shown by the error name only, never by the shape of the message', async () => {
    mode = 'error';
    const engine = new TrinoEngine({ endpoint: base });
    const run = async (error: Record<string, unknown>) => {
      failure = error;
      return (await engine.execute('SELECT 1', { limit: 1, offset: 0 }).catch((e: unknown) => e)) as EngineError;
    };
    // A runtime error that looks like an analysis error (USER_ERROR, "line 1:8:") and quotes a value.
    for (const errorName of [
      'INVALID_CAST_ARGUMENT',
      'DIVISION_BY_ZERO',
      'INVALID_FUNCTION_ARGUMENT',
      'GENERIC_USER_ERROR',
      'NOT_SUPPORTED',
      'weird name\n',
    ]) {
      const e = await run({ message: "line 1:8: Cannot cast 'alice@example.com' to INT", errorName });
      expect(e, errorName).toBeInstanceOf(EngineError);
      expect(e.kind, errorName).toBe('runtime');
      expect(e.message).not.toContain('alice@example.com');
      expect(e.message).toMatch(/^[a-z ]+ Error: details withheld$/);
    }
    const shown = await run({ message: "line 1:8: Column 'nope' cannot be resolved", errorName: 'COLUMN_NOT_FOUND' });
    expect(shown).toMatchObject({ kind: 'planning', message: "line 1:8: Column 'nope' cannot be resolved" });
    // Through the service: the person sees the kind, never the value.
    const runtime = await run({
      message: "line 1:8: Cannot cast 'alice@example.com' to INT",
      errorName: 'INVALID_CAST_ARGUMENT',
    });
    expect(runtime.message).toBe('invalid cast argument Error: details withheld');
  });
});
