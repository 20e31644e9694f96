import { afterAll, describe, expect, it } from 'vitest';
import { mongoFromEnv, neo4jFromEnv } from '@dataos/stores';
import { uniqueId } from '@dataos/testkit';

describe('Neo4j (embedded Community 5.26 over Bolt)', () => {
  const neo4j = neo4jFromEnv('TEST');
  const label = uniqueId('StoreTest_');
  afterAll(async () => {
    await neo4j.driver.executeQuery(`MATCH (n:${label}) DETACH DELETE n`);
    await neo4j.close();
  });

  it('round-trips nodes and relationships through Cypher', async () => {
    await neo4j.driver.executeQuery(
      `CREATE (:${label} {name: 'orders'})-[:FEEDS {via: 'wf'}]->(:${label} {name: 'revenue'})`,
    );
    const { records } = await neo4j.driver.executeQuery(
      `MATCH (a:${label})-[r:FEEDS]->(b:${label}) RETURN a.name AS from, r.via AS via, b.name AS to`,
    );
    expect(records.map((r) => r.toObject())).toEqual([{ from: 'orders', via: 'wf', to: 'revenue' }]);
  });

  it('has APOC core loaded (needed by @neo4j/graphql)', async () => {
    const { records } = await neo4j.driver.executeQuery(
      "RETURN apoc.text.join(['a', 'b'], '-') AS joined, apoc.version() AS version",
    );
    expect(records[0]?.get('joined')).toBe('a-b');
    expect(records[0]?.get('version')).toMatch(/^5\.26/);
  });
});

describe('FerretDB (MongoDB wire protocol)', () => {
  it('writes, reads and aggregates through the mongodb driver', async () => {
    const db = uniqueId('store_test_');
    const mongo = await mongoFromEnv('TEST', db);
    try {
      const pods = mongo.db.collection<{ _id: string; phase: string; restarts: number }>('pods');
      await pods.insertMany([
        { _id: 'a', phase: 'Running', restarts: 1 },
        { _id: 'b', phase: 'Running', restarts: 2 },
        { _id: 'c', phase: 'Failed', restarts: 5 },
      ]);
      await pods.updateOne({ _id: 'a' }, { $inc: { restarts: 1 } });
      expect(await pods.findOne({ _id: 'a' })).toEqual({ _id: 'a', phase: 'Running', restarts: 2 });
      // One accumulator per $group: FerretDB 1.24 answers 0 for a field $sum placed after a
      // $sum: 1 or $count in the same stage (checked; see devstack/README.md).
      const count = await pods
        .aggregate<{ _id: string; count: number }>([
          { $group: { _id: '$phase', count: { $sum: 1 } } },
          { $sort: { _id: 1 } },
        ])
        .toArray();
      const restarts = await pods
        .aggregate<{ _id: string; restarts: number }>([
          { $match: { phase: 'Running' } },
          { $group: { _id: '$phase', restarts: { $sum: '$restarts' } } },
        ])
        .toArray();
      expect(count).toEqual([
        { _id: 'Failed', count: 1 },
        { _id: 'Running', count: 2 },
      ]);
      expect(restarts).toEqual([{ _id: 'Running', restarts: 4 }]);
    } finally {
      await mongo.db.dropDatabase();
      await mongo.close();
    }
  });
});
