import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongo, type TestMongo } from '@dataos/testkit';
import { StaticColumnCatalog } from '../src/catalog.js';
import { DuckDbEngine } from '../src/engines/duckdb.js';
import { MaskKeyring, staticMaskKey, type MaskKeySource } from '../src/policies/keys.js';
import type { DataPolicyDoc } from '../src/policies/model.js';
import { QueryService } from '../src/query.js';
import { SqlParser } from '../src/sql/parser.js';
import { QueryRewriter } from '../src/sql/pipeline.js';
import { CLUSTER, DEMO_POLICIES, docs, rawCustomers, SUBJECTS } from './support.js';

/**
 * Mask keys seen only through the product: hashed values are read with runQuery (never
 * recomputed here). One e-mail read two ways (a join, a subquery, a second dataset under the same
 * policy) hashes alike; another policy, a per-dataset key or a rotation give other values. The
 * keyring lives in a real FerretDB `gateway.meta`.
 */

const raw = rawCustomers();
const emea = raw.filter((c) => c.region === 'emea');
const X = emea[3]!;
const A = 'icebase.retail.customers';
const B = 'icebase2.retail.customers'; // the same rows under another URN
const URN_B = 'dataos://icebase2:retail/customers';

let mongo: TestMongo;
let parser: SqlParser;
let engine: DuckDbEngine;
let keyring: MaskKeyring;
let policies: DataPolicyDoc[] = DEMO_POLICIES;

beforeAll(async () => {
  mongo = await testMongo('GATEWAY', 'gateway_keys_');
  keyring = new MaskKeyring(mongo.db, {});
  await keyring.ensure();
  parser = await SqlParser.create();
  engine = await DuckDbEngine.create({ depotAliases: { icebase2: 'icebase' } });
});

afterAll(async () => {
  await engine?.close();
  parser?.close();
  await mongo?.drop();
});

function service(keys: MaskKeySource = keyring) {
  return new QueryService({
    rewriter: new QueryRewriter(parser, keys),
    catalog: StaticColumnCatalog.fromDemo(undefined, { icebase2: 'icebase' }),
    policies: { all: async () => policies },
    engineFor: () => engine,
  });
}

async function rows(sql: string, keys?: MaskKeySource): Promise<unknown[][]> {
  return (
    await service(keys).run(
      { subject: SUBJECTS.alice, caller: {}, canRead: async () => true, cluster: CLUSTER, sql },
      1000,
    )
  ).rows;
}

const one = async (sql: string, keys?: MaskKeySource) => {
  const r = await rows(sql, keys);
  expect(r, sql).toHaveLength(1);
  return r[0]![0];
};

/** X's hashed e-mail read four ways. */
async function readX() {
  return {
    direct: await one(`SELECT email FROM ${A} WHERE customer_id = ${X.customer_id}`),
    join: await one(
      `SELECT DISTINCT c.email FROM icebase.retail.orders o JOIN ${A} c USING (customer_id) WHERE customer_id = ${X.customer_id}`,
    ),
    subquery: await one(`SELECT (SELECT email FROM ${A} WHERE customer_id = ${X.customer_id}) AS e`),
    otherDataset: await one(`SELECT email FROM ${B} WHERE customer_id = ${X.customer_id}`),
  };
}

const crossJoin = () => one(`SELECT count(*) FROM ${A} a JOIN ${B} b ON a.email = b.email`);

describe('hashed values through the product', () => {
  it('one e-mail read through a join, a subquery and a second dataset under the same policy hashes alike', async () => {
    policies = DEMO_POLICIES;
    const x = await readX();
    expect(x.direct).toMatch(/^[0-9a-f]{64}$/);
    expect(x.direct).not.toBe(X.email);
    expect(new Set(Object.values(x))).toEqual(new Set([x.direct]));
    expect(await crossJoin()).toBe(String(emea.length));
  });

  it('another policy on the second dataset hashes the same e-mail differently: the datasets no longer join', async () => {
    policies = [
      ...DEMO_POLICIES,
      ...docs([
        {
          name: 'other-email',
          type: 'mask',
          priority: 50,
          datasets: [URN_B],
          selector: { user: { match: 'any', tags: ['users:id:*'] }, column: { tags: ['PII.Email'] } },
          mask: { operator: 'hash' },
        },
      ]),
    ];
    const x = await readX();
    expect(x.otherDataset).not.toBe(x.direct);
    expect([x.join, x.subquery]).toEqual([x.direct, x.direct]);
    expect(await crossJoin()).toBe('0');
  });

  it('a per-dataset key (keyScope dataset): equal within a dataset, different across datasets', async () => {
    policies = docs([
      ...DEMO_POLICIES.map(({ _id: name, ...rest }) => ({
        ...rest,
        name,
        ...(name === 'pii-email' ? { mask: { operator: 'hash' as const, keyScope: 'dataset' as const } } : {}),
      })),
    ]);
    const x = await readX();
    expect([x.join, x.subquery]).toEqual([x.direct, x.direct]);
    expect(x.otherDataset).not.toBe(x.direct);
    expect(await crossJoin()).toBe('0');
    expect(await one(`SELECT count(*) FROM ${A} a JOIN ${A} b ON a.email = b.email`)).toBe(String(emea.length));
  });

  it('rotation: new values for every hash, still joinable within a policy; the retired key is erased from the store', async () => {
    policies = DEMO_POLICIES;
    const before = await readX();
    const name = await one(`SELECT full_name FROM ${A} WHERE customer_id = ${X.customer_id}`);
    const keys = await keyring.rotate('users:id:carol');
    expect(keys.map((k) => [k.id, k.active, k.retiredAt !== null])).toEqual([
      ['k1', false, true],
      ['k2', true, false],
    ]);
    expect(keys[1]!.createdBy).toBe('users:id:carol');
    const after = await readX();
    expect(after.direct).not.toBe(before.direct);
    expect(new Set(Object.values(after))).toEqual(new Set([after.direct]));
    expect(await one(`SELECT full_name FROM ${A} WHERE customer_id = ${X.customer_id}`)).not.toBe(name);
    expect(await crossJoin()).toBe(String(emea.length));
    const stored = (await mongo.db.collection('meta').findOne({ _id: 'mask-keys' as never })) as unknown as {
      keys: { id: string; secret: string | null }[];
    };
    expect(stored.keys.map((k) => [k.id, k.secret === null])).toEqual([
      ['k1', true],
      ['k2', false],
    ]);
    // Another replica (its own keyring object) reads the new active key.
    const replica = new MaskKeyring(mongo.db, {});
    expect(await one(`SELECT email FROM ${A} WHERE customer_id = ${X.customer_id}`, replica)).toBe(after.direct);
  });
});

describe('what the engine receives', () => {
  it('SQL text without any key; the derived keys as bound values only', async () => {
    policies = DEMO_POLICIES;
    const sent: { sql: string; values: string[] }[] = [];
    const spy = new QueryService({
      rewriter: new QueryRewriter(parser, keyring),
      catalog: StaticColumnCatalog.fromDemo(undefined, { icebase2: 'icebase' }),
      policies: { all: async () => policies },
      engineFor: () => ({
        kind: 'duckdb',
        dialect: 'duckdb',
        execute: (sql, page, options) => {
          sent.push({ sql, values: (options?.parameters ?? []).map((p) => p.value) });
          return engine.execute(sql, page, options);
        },
        ping: () => engine.ping(),
        close: async () => undefined,
      }),
    });
    await spy.run(
      {
        subject: SUBJECTS.alice,
        caller: {},
        canRead: async () => true,
        cluster: CLUSTER,
        sql: `SELECT a.email, b.full_name FROM ${A} a JOIN ${B} b USING (customer_id)`,
      },
      10,
    );
    const master = (await keyring.active()).secret;
    expect(sent).toHaveLength(1);
    expect(sent[0]!.values).toHaveLength(3); // pii-email, pii-name, pii-phone: one key each, shared by both datasets
    expect(sent[0]!.values).not.toContain(master);
    for (const secret of [master, ...sent[0]!.values]) expect(sent[0]!.sql).not.toContain(secret);
    expect(sent[0]!.sql.match(/\$__gw_key_[0-9a-f]{24}/g)!.length).toBeGreaterThanOrEqual(6);
  });
});

describe("the keyring's first key", () => {
  const fresh = () => testMongo('GATEWAY', 'gateway_keys_first_');

  it('GATEWAY_MASK_SECRET: used, never stored; unset later, queries fail closed', async () => {
    const db = await fresh();
    try {
      const env = { GATEWAY_MASK_SECRET: 'from-the-environment-0123456789' };
      const ring = new MaskKeyring(db.db, env);
      await ring.ensure();
      expect((await ring.describe()).map((k) => [k.id, k.source, k.active])).toEqual([['k1', 'env', true]]);
      const doc = JSON.stringify(await db.db.collection('meta').find().toArray());
      expect(doc).not.toContain(env.GATEWAY_MASK_SECRET);
      const sql = `SELECT email FROM ${A} WHERE customer_id = ${X.customer_id}`;
      policies = DEMO_POLICIES;
      expect(await one(sql, ring)).toBe(await one(sql, staticMaskKey(env.GATEWAY_MASK_SECRET)));
      expect(await one(sql, ring)).not.toBe(await one(sql, staticMaskKey('another-secret')));
      await expect(new MaskKeyring(db.db, {}).active()).rejects.toThrow(/GATEWAY_MASK_SECRET/);
    } finally {
      await db.drop();
    }
  });

  it('a secret kept by an earlier version (`meta.mask-secret`) becomes the master key k1', async () => {
    const db = await fresh();
    try {
      await db.db
        .collection('meta')
        .insertOne({ _id: 'mask-secret' as never, value: 'legacy-secret-abcdef', at: new Date() });
      const ring = new MaskKeyring(db.db, {});
      await ring.ensure();
      await ring.ensure(); // idempotent
      expect((await ring.describe()).map((k) => [k.id, k.source])).toEqual([['k1', 'store']]);
      const sql = `SELECT phone FROM ${A} WHERE customer_id = ${X.customer_id}`;
      expect(await one(sql, ring)).toBe(await one(sql, staticMaskKey('legacy-secret-abcdef')));
    } finally {
      await db.drop();
    }
  });
});
